import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_RESPONSES } from '../../src/plugins/openapi-document.ts';
import { EXAMPLES } from '../../src/plugins/openapi-examples.ts';
import { OPERATION_DOCS } from '../../src/plugins/openapi-operations.ts';
import { ROUTE_FIXTURES } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

type Json = Record<string, unknown>;
type Operation = {
  operationId: string;
  summary: string;
  description: string;
  security?: unknown[];
  'x-required-scope'?: string;
  requestBody?: { required: boolean; content: Record<string, { examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, Json>;
};

let t: TestApp;
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Json; responses: Json } };
const PREFIX = '/api/v1';

/** Every operation of the document, keyed like the route contract: `POST /api/v1/workflows/:id`. */
function operations(): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, op] as [string, Operation]),
  );
}

beforeAll(async () => {
  t = await buildTestApp();
  const res = await t.app.inject({ url: `${PREFIX}/openapi.json` });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(() => t.close());

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3 document, and the validator does refuse a broken one', async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const broken = structuredClone(doc);
    delete (Object.values(broken.paths)[0]!.get!.responses['200'] as Json).description;
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it('resolves every $ref, holds one copy per schema, and no schema nothing uses', () => {
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`));
    for (const ref of refs) {
      const [kind, name] = ref.split('/') as ['schemas' | 'responses', string];
      expect(doc.components[kind][name], ref).toBeDefined();
    }
    const names = Object.keys(doc.components.schemas);
    expect(names.filter((name) => name.endsWith('Input'))).toEqual([]);
    for (const name of names) expect(refs.has(`schemas/${name}`), name).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['Error', 'Workflow', 'Node', 'WorkflowDiffRequest', 'Credential', 'Execution']));
  });

  it('documents every route the server serves, with its method and the scopes of its route contract', () => {
    const served = t.app.routeContracts.filter((r) => !r.hidden && r.method !== 'HEAD');
    const documented = new Map(operations());
    expect([...documented.keys()].sort()).toEqual(served.map((r) => `${r.method} ${r.url}`).sort());
    for (const route of served) {
      const name = `${route.method} ${route.url}`;
      const op = documented.get(name)!;
      const expected = route.scopes.length ? route.scopes.join(',') : route.anyKey ? 'none' : undefined;
      expect(op['x-required-scope'], name).toBe(expected);
      if (route.public) expect(op.security, name).toEqual([]);
      for (const scope of route.scopes) expect(op.description, name).toContain(`\`${scope}\``);
      expect(op.description, name).toMatch(/\*\*Required scope:\*\* /);
    }
  });

  it('has an entry in the docs table for every operation, and none for a route that does not exist', () => {
    const keys = operations().map(([name]) => name.replace(PREFIX, '').replace(/:(\w+)/g, '{$1}'));
    expect(Object.keys(OPERATION_DOCS).sort()).toEqual(keys.sort());
    for (const [name, op] of operations()) {
      const entry = OPERATION_DOCS[name.replace(PREFIX, '').replace(/:(\w+)/g, '{$1}')]!;
      expect(op.summary, name).toBe(entry.summary);
      expect(op.description.startsWith(entry.description), name).toBe(true);
      for (const [status, text] of Object.entries(entry.success)) expect(op.responses[status]?.description, `${name} ${status}`).toBe(text);
    }
  });

  it('describes every response: no "Default Response", error statuses with the error body and its codes', () => {
    for (const [name, op] of operations()) {
      for (const status of ['429', '500']) expect(Object.keys(op.responses), name).toContain(status);
      for (const [status, response] of Object.entries(op.responses)) {
        const resolved = (typeof response.$ref === 'string' ? doc.components.responses[response.$ref.split('/').pop()!] : response) as Json;
        expect(resolved.description, `${name} ${status}`).not.toBe('Default Response');
        expect(resolved.description, `${name} ${status}`).toBeTruthy();
        if (Number(status) >= 400) {
          expect(JSON.stringify(resolved), `${name} ${status}`).toContain('#/components/schemas/Error');
          expect(op.description, `${name} ${status}`).toContain(`\`${ERROR_RESPONSES[Number(status)]!.code}\` (${status})`);
        }
        if (status === '204') expect(resolved.content, name).toBeUndefined();
      }
    }
    expect(doc.paths['/healthz/readiness']!.get!.responses['503']).toBeDefined();
  });

  it('carries request and response examples for the main operations, the same the examples table holds', () => {
    const create = doc.paths[`${PREFIX}/workflows`]!.post!;
    expect(create.requestBody!.content['application/json']!.examples!.webhookToSet!.value).toEqual(EXAMPLES.createWorkflowBody.value);
    expect((create.responses['200']!.content as Json)['application/json']).toMatchObject({
      examples: { workflow: { value: EXAMPLES.workflow.value } },
    });
    const patch = doc.paths[`${PREFIX}/workflows/{id}`]!.patch!;
    expect(Object.keys(patch.requestBody!.content['application/json']!.examples!)).toEqual(['diff', 'fields']);
    const withExamples = operations().filter(([, op]) => op.requestBody?.content['application/json']?.examples);
    expect(withExamples.length).toBeGreaterThanOrEqual(15);
  });
});

describe('the document against the server', () => {
  const bodyOperations = () => operations().filter(([, op]) => op.requestBody);

  it('marks a body optional exactly where the server accepts a request without one', async () => {
    const optional = bodyOperations().filter(([, op]) => !op.requestBody!.required);
    expect(optional.map(([name]) => name).sort()).toEqual(
      [
        'POST /api/v1/audit',
        'POST /api/v1/executions/:id/retry',
        'POST /api/v1/workflows/:id/activate',
        'POST /api/v1/workflows/:id/publish',
        'POST /api/v1/workflows/:id/run',
        'POST /api/v1/workflows/:id/versions/:versionId/restore',
      ].sort(),
    );
    for (const [name, op] of bodyOperations()) {
      const fixture = ROUTE_FIXTURES[name];
      expect(fixture, `route fixture for ${name}`).toBeDefined();
      const { url } = await fixture!(t, {});
      const res = await t.app.inject({ method: name.split(' ')[0] as 'POST', url, headers: { 'x-n8n-api-key': t.ownerKey } });
      if (op.requestBody!.required) {
        expect(res.statusCode, `${name}: ${res.body}`).toBe(415);
      } else {
        expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(300);
      }
    }
  });

  it('documents 415 exactly on the operations that refuse a body that is not JSON', async () => {
    for (const [name, op] of operations()) {
      const fixture = ROUTE_FIXTURES[name];
      if (!fixture) continue;
      const { url } = await fixture(t, {});
      const res = await t.app.inject({
        method: name.split(' ')[0] as 'POST',
        url,
        headers: { 'x-n8n-api-key': t.ownerKey, 'content-type': 'text/plain' },
        payload: 'not json',
      });
      expect(res.statusCode === 415, `${name}: ${res.statusCode} ${res.body}`).toBe('415' in op.responses);
      if (res.statusCode === 415) expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('documents 413 exactly on the operations that refuse a body over the size limit', async () => {
    const small = await buildTestApp({ N8N_PAYLOAD_SIZE_MAX: '1' }, t.db);
    try {
      const payload = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
      for (const [name, op] of operations()) {
        const fixture = ROUTE_FIXTURES[name];
        if (!fixture) continue;
        const { url } = await fixture(t, {});
        const res = await small.app.inject({
          method: name.split(' ')[0] as 'POST',
          url,
          headers: { 'x-n8n-api-key': small.ownerKey, 'content-type': 'application/json' },
          payload,
        });
        expect(res.statusCode === 413, `${name}: ${res.statusCode}`).toBe('413' in op.responses);
        if (res.statusCode === 413) expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
      }
    } finally {
      await small.close();
    }
  });

  it('accepts the request examples of the main create operations', async () => {
    for (const [url, example, status] of [
      ['/workflows', EXAMPLES.createWorkflowBody, 200],
      ['/tags', EXAMPLES.tagBody, 201],
      ['/credentials', EXAMPLES.createCredentialBody, 200],
      ['/api-keys', EXAMPLES.createApiKeyBody, 201],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${PREFIX}${url}`,
        headers: { 'x-n8n-api-key': t.ownerKey },
        payload: example.value as never,
      });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    }
  });
});
