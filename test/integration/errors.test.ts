import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ N8N_PAYLOAD_SIZE_MAX: '1' });
});
afterAll(() => t.close());

const headers = () => ({ 'x-n8n-api-key': t.ownerKey, 'content-type': 'application/json' });

function expectErrorBody(body: Record<string, unknown>, code: string) {
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.requestId).toMatch(/^req-/);
}

describe('error bodies', () => {
  it('invalid JSON is a 400 that says so, not a 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: headers(), payload: '{"label": "x",' });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.json(), 'VALIDATION_ERROR');
    expect(res.json().message).toMatch(/not valid JSON/);
  });

  it('an empty JSON body is a 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: headers(), payload: '' });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.json(), 'VALIDATION_ERROR');
  });

  it('a body that is not JSON is a 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { ...headers(), 'content-type': 'text/plain' },
      payload: 'label=x',
    });
    expect(res.statusCode).toBe(415);
    expectErrorBody(res.json(), 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body over N8N_PAYLOAD_SIZE_MAX is a 413', async () => {
    const payload = JSON.stringify({ label: 'x'.repeat(1024 * 1024 + 10), scopes: ['tag:read'] });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: headers(), payload });
    expect(res.statusCode).toBe(413);
    expectErrorBody(res.json(), 'PAYLOAD_TOO_LARGE');
  });

  it('an unknown body key is a 400 naming the key; nothing is written', async () => {
    const before = await t.app.prisma.apiKey.count();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: headers(),
      payload: { label: 'x', scopes: ['tag:read'], admin: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: "request/body Unrecognized key(s) in object: 'admin'", code: 'VALIDATION_ERROR' });
    expect(res.json().details).toBeInstanceOf(Array);
    expect(await t.app.prisma.apiKey.count()).toBe(before);
  });

  it("a typo'd required key names the unknown key too, after n8n's message; nothing is written", async () => {
    const before = await t.app.prisma.workflow.count();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: headers(),
      payload: { name: 'Typo', nodez: [], connections: {}, settings: {} },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      message: "request/body must have required property 'nodes'; unknown key 'nodez' (did you mean 'nodes'?)",
      code: 'VALIDATION_ERROR',
      requestId: res.headers['x-request-id'],
    });
    expect(await t.app.prisma.workflow.count()).toBe(before);
  });

  it('unknown query parameters are ignored and odd limits clamped, as n8n 2.39 does', async () => {
    const res = await t.app.inject({ url: '/api/v1/api-keys?bogus=1&limit=999', headers: headers() });
    expect(res.statusCode).toBe(200);
    const zero = await t.app.inject({ url: '/api/v1/api-keys?limit=0', headers: headers() });
    expect(zero.statusCode).toBe(200);
    expect(zero.json().data.length).toBeGreaterThan(0);
  });

  it('unknown routes answer 404 JSON, with or without a key', async () => {
    for (const url of ['/api/v1/nothing-here', '/api/v2/workflows', '/whatever']) {
      const res = await t.app.inject({ url, headers: headers() });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ message: 'not found', code: 'NOT_FOUND' });
    }
  });

  it('echoes the request id, or a safe one the caller sent', async () => {
    const mine = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(mine.headers['x-request-id']).toBe('trace-123');
    const unsafe = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^req-/);
  });
});

describe('server errors', () => {
  it('a 500 carries a generic message and logs the cause', async () => {
    const lines: string[] = [];
    const { buildApp } = await import('../../src/app.ts');
    const { loadConfig } = await import('../../src/config/env.ts');
    const { testEnv } = await import('../helpers/test-app.ts');
    const app = await buildApp({
      config: loadConfig(testEnv(t.db.url, { LOG_LEVEL: 'info' })),
      databaseUrl: t.db.url,
      logStream: { write: (line: string) => void lines.push(line) },
    });
    app.get('/boom', { config: { public: true } }, async () => {
      throw new Error('secret internal detail');
    });
    try {
      const res = await app.inject({ url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ message: 'Internal server error', code: 'INTERNAL' });
      expect(res.body).not.toContain('secret internal detail');
      expect(lines.join('\n')).toContain('secret internal detail');
    } finally {
      await app.close();
    }
  });
});

describe('missing content type', () => {
  it('a body without Content-Type is a 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { 'x-n8n-api-key': t.ownerKey },
      payload: Buffer.from('{"label":"x","scopes":["tag:read"]}'),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('method not allowed', () => {
  it('answers 405 with Allow for a known path and an unserved method, as n8n does', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tags/abc', headers: { 'x-n8n-api-key': t.ownerKey } });
    expect(res.statusCode).toBe(405);
    expect(res.json()).toMatchObject({ message: 'POST method not allowed', code: 'METHOD_NOT_ALLOWED' });
    expect(res.headers.allow).toBe('GET, HEAD, PUT, DELETE');
  });
});
