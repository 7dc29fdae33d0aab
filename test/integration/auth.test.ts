import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { SCOPES } from '../../src/modules/api-keys/scopes.ts';
import { routeContractPlugin } from '../../src/plugins/route-contract.ts';
import { ROUTE_FIXTURES } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp, testEnv } from '../helpers/test-app.ts';

const UNAUTHORIZED = { message: 'Unauthorized', code: 'UNAUTHORIZED' };
const FORBIDDEN = { message: 'Forbidden', code: 'FORBIDDEN' };

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

function routes() {
  // HEAD routes mirror their GET twins (same config), so the GET entries cover them.
  return t.app.routeContracts.filter((r) => r.method !== 'HEAD' && !r.hidden);
}

describe('route contracts', () => {
  it('every route declares scopes or is explicitly public', () => {
    for (const route of t.app.routeContracts) {
      expect(route.public || route.anyKey || route.scopes.length > 0, `${route.method} ${route.url}`).toBe(true);
    }
  });

  it('every documented route has a fixture for the auth matrix', () => {
    const missing = routes()
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !ROUTE_FIXTURES[key]);
    expect(missing).toEqual([]);
  });

  it('only declares scopes that exist', () => {
    for (const route of t.app.routeContracts) for (const scope of route.scopes) expect(SCOPES).toContain(scope);
  });

  it('refuses to boot when a route declares no scopes', async () => {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(routeContractPlugin);
    app.get('/forgot-scopes', async () => 'oops');
    await expect(app.ready()).rejects.toThrow(/Routes without scopes.*GET \/forgot-scopes/);
    await app.close().catch(() => {});
  });

  it('boots with a route that explicitly takes any valid key, and records it', async () => {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(routeContractPlugin);
    app.get('/any-key', { config: { anyKey: true } }, async () => 'ok');
    await app.ready();
    expect(app.routeContracts.find((r) => r.url === '/any-key')).toMatchObject({ anyKey: true, public: false, scopes: [] });
    await app.close();
  });

  it('takes n8n’s unscoped routes with any valid key, and still refuses a missing one', async () => {
    const anyKey = routes()
      .filter((r) => r.anyKey)
      .map((r) => `${r.method} ${r.url}`);
    expect(anyKey).toEqual(['GET /api/v1/credentials/schema/:credentialTypeName', 'GET /api/v1/discover']);
    const url = '/api/v1/credentials/schema/httpBasicAuth';
    const key = await t.createKey(['workflow:read'], 'no credential scope');
    const res = await t.app.inject({ url, headers: { 'x-n8n-api-key': key } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ type: 'object', properties: { user: { type: 'string' } } });
    expect((await t.app.inject({ url })).json()).toMatchObject(UNAUTHORIZED);
  });

  it('the real app boots only when all its routes are covered', async () => {
    const config = loadConfig(testEnv(t.db.url));
    const app = await buildApp({ config, databaseUrl: t.db.url });
    app.get('/api/v1/unguarded', async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow(/GET \/api\/v1\/unguarded/);
    await app.close().catch(() => {});
  });
});

describe('auth matrix: 401 without or with a bad key, 403 without the scope, 2xx with it', () => {
  it('covers every route', async () => {
    for (const route of routes()) {
      const name = `${route.method} ${route.url}`;
      const fixture = ROUTE_FIXTURES[name];
      if (!fixture) continue; // reported by the coverage test above
      const request = (key?: string) =>
        fixture(t, {}).then((sample) =>
          t.app.inject({
            method: route.method as 'GET',
            url: sample.url,
            payload: sample.payload as object,
            headers: key === undefined ? {} : { 'x-n8n-api-key': key },
          }),
        );

      if (route.public) {
        const res = await request();
        expect(res.statusCode, name).toBeLessThan(300);
        continue;
      }

      const missing = await request();
      expect(missing.statusCode, `${name} without key`).toBe(401);
      expect(missing.json(), name).toMatchObject(UNAUTHORIZED);

      const bad = await request('n8n_api_thisIsNotAKeyThisIsNotAKeyThisIsNotAKey');
      expect(bad.statusCode, `${name} with a bad key`).toBe(401);
      expect(bad.json(), name).toMatchObject(UNAUTHORIZED);

      if (route.anyKey) {
        // n8n's `x-required-scope: none`: any valid key will do, whatever scopes it holds.
        const unrelated = await request(await t.createKey(['tag:list'], 'an unrelated scope'));
        expect(unrelated.statusCode, `${name} with an unrelated scope: ${unrelated.body}`).toBeLessThan(300);
        continue;
      }

      const everythingElse = SCOPES.filter((s) => !route.scopes.includes(s));
      const forbidden = await request(await t.createKey(everythingElse, 'all but the needed scopes'));
      expect(forbidden.statusCode, `${name} without its scope`).toBe(403);
      expect(forbidden.json(), name).toMatchObject(FORBIDDEN);

      const allowed = await request(await t.createKey([...route.scopes], 'exactly the needed scopes'));
      expect(allowed.statusCode, `${name} with ${route.scopes.join(',')}: ${allowed.body}`).toBeGreaterThanOrEqual(200);
      expect(allowed.statusCode, `${name} with ${route.scopes.join(',')}: ${allowed.body}`).toBeLessThan(300);
    }
  });

  it('accepts resource wildcards and the all-scopes key', async () => {
    const wildcard = await t.createKey(['apiKey:*']);
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': wildcard } })).statusCode).toBe(200);
    const other = await t.createKey(['workflow:*']);
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': other } })).statusCode).toBe(403);
  });

  it('treats an empty header like a missing one', async () => {
    const res = await t.app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': '' } });
    expect(res.statusCode).toBe(401);
  });

  it('answers unknown routes with 404 before asking for a key, as n8n does', async () => {
    const res = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ message: 'not found', code: 'NOT_FOUND' });
  });
});
