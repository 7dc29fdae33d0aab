import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { buildTestApp, type TestApp, testEnv } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

type Operation = { operationId?: string; summary?: string; responses?: Record<string, unknown>; security?: unknown[] };

describe('OpenAPI document and docs page', () => {
  it('is generated from the routes, public, and complete for every operation', async () => {
    const res = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.ApiKeyAuth).toEqual({ type: 'apiKey', in: 'header', name: 'X-N8N-API-KEY' });

    const operations: [string, Operation][] = [];
    for (const [path, item] of Object.entries<Record<string, Operation>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) operations.push([`${method.toUpperCase()} ${path}`, op]);
    }
    const documented = t.app.routeContracts.filter((r) => !r.hidden && r.method !== 'HEAD');
    expect(operations.length).toBe(documented.length);
    const operationIds = new Set<string>();
    for (const [name, op] of operations) {
      expect(op.operationId, name).toBeTruthy();
      expect(op.summary, name).toBeTruthy();
      operationIds.add(op.operationId!);
      expect(Object.keys(op.responses ?? {}), name).toEqual(expect.arrayContaining(['429', '500']));
      const contract = documented.find((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}` === name);
      expect(contract, name).toBeDefined();
      if (contract?.public) {
        expect(op.security, name).toEqual([]);
      } else if (contract?.anyKey) {
        expect(Object.keys(op.responses ?? {}), name).toContain('401');
        expect(Object.keys(op.responses ?? {}), name).not.toContain('403');
      } else {
        expect(Object.keys(op.responses ?? {}), name).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(operationIds.size).toBe(operations.length);
    expect(doc.paths['/api/v1/api-keys'].post.responses['201']).toBeDefined();
  });

  it('serves an interactive docs page without a key', async () => {
    const res = await t.app.inject({ url: '/api/v1/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe('health', () => {
  it('liveness and readiness answer ok without a key', async () => {
    for (const url of ['/healthz', '/healthz/readiness']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    }
  });

  it('readiness is 503 with a reason when the database is unreachable', async () => {
    const unreachable = 'postgresql://nobody:nothing@127.0.0.1:1/none';
    const app = await buildApp({ config: loadConfig(testEnv(unreachable)), databaseUrl: unreachable });
    try {
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      const res = await app.inject({ url: '/healthz/readiness' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'NOT_READY', message: 'Database is not reachable' });
    } finally {
      await app.close();
    }
  });
});

describe('logging', () => {
  it('logs requests with their id but never the API key', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      config: loadConfig(testEnv(t.db.url, { LOG_LEVEL: 'trace' })),
      databaseUrl: t.db.url,
      logStream: { write: (line: string) => void lines.push(line) },
    });
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { 'x-n8n-api-key': t.ownerKey },
        payload: { label: 'logged', scopes: ['tag:read'] },
      });
      expect(created.statusCode).toBe(201);
      await app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': 'n8n_api_wrongwrongwrong', authorization: 'Bearer abc' } });
      const log = lines.join('\n');
      expect(log).toContain(created.headers['x-request-id'] as string);
      expect(log).not.toContain(t.ownerKey);
      expect(log).not.toContain(created.json().apiKey);
      expect(log).not.toContain('n8n_api_wrongwrongwrong');
      expect(log).not.toContain('Bearer abc');
    } finally {
      await app.close();
    }
  });
});

describe('N8N_PUBLIC_API_DISABLED and N8N_PUBLIC_API_ENDPOINT', () => {
  it('moves the API under another prefix, or removes it', async () => {
    const moved = await buildTestApp({ N8N_PUBLIC_API_ENDPOINT: 'rest-api' }, t.db);
    try {
      expect((await moved.app.inject({ url: '/rest-api/v1/api-keys', headers: { 'x-n8n-api-key': moved.ownerKey } })).statusCode).toBe(200);
      expect((await moved.app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': moved.ownerKey } })).statusCode).toBe(404);
    } finally {
      await moved.close();
    }
    const disabled = await buildTestApp({ N8N_PUBLIC_API_DISABLED: 'true' }, t.db);
    try {
      expect((await disabled.app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': disabled.ownerKey } })).statusCode).toBe(
        404,
      );
      expect((await disabled.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await disabled.close();
    }
  });
});

describe('OpenAPI document of the diff PATCH', () => {
  it('describes every diff operation type', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    const request = JSON.stringify(doc.components.schemas.WorkflowDiffRequest);
    const { OperationSchema } = await import('../../src/diff-engine/index.ts');
    const types = OperationSchema.options.map((o) => o.shape.type.value);
    expect(types).toHaveLength(17);
    for (const type of types) expect(request, type).toContain(`"enum":["${type}"]`);
    expect(doc.paths['/api/v1/workflows/{id}'].patch.responses['200']).toBeDefined();
  });
});

describe('n8n discovery and publish routes', () => {
  it('GET /rest/settings answers like n8n, without a key and without secrets', async () => {
    const res = await t.app.inject({ url: '/rest/settings' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      data: { versionCli: '2.39.10', publicApi: { enabled: true, latestVersion: 1, path: 'api', swaggerUi: { enabled: true } } },
    });
    expect(res.body).not.toMatch(/encryption|password|secret/i);
  });

  it('publish and unpublish behave as activate and deactivate', async () => {
    const { sampleWorkflowBody } = await import('../helpers/route-fixtures.ts');
    const headers = { 'x-n8n-api-key': t.ownerKey };
    const created = (
      await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers, payload: sampleWorkflowBody('Publish me') })
    ).json();
    const published = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${created.id}/publish`, headers });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ active: true, activeVersionId: created.versionId });
    const unpublished = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${created.id}/unpublish`, headers });
    expect(unpublished.statusCode).toBe(200);
    expect(unpublished.json()).toMatchObject({ active: false, activeVersionId: null });
  });
});
