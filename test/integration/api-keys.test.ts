import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ API_KEY_CACHE_TTL_MS: '300' });
});
afterAll(() => t.close());

const asKey = (key: string) => ({ 'x-n8n-api-key': key });

async function createViaApi(key: string, body: object) {
  return t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: asKey(key), payload: body });
}

describe('API keys over HTTP', () => {
  it('creates a key that is shown once and works at once, with only its scopes', async () => {
    const res = await createViaApi(t.ownerKey, { label: 'reader', scopes: ['apiKey:list'] });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ label: 'reader', scopes: ['apiKey:list'], revokedAt: null, expiresAt: null });
    expect(created.apiKey).toMatch(/^n8n_api_[0-9A-Za-z]{40}$/);
    expect(created.keyHint).toBe(`n8n_api_…${created.apiKey.slice(-4)}`);

    const list = await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(created.apiKey) });
    expect(list.statusCode).toBe(200);
    const listed = list.json().data.find((k: { id: string }) => k.id === created.id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(list.json())).not.toContain(created.apiKey);

    const create = await createViaApi(created.apiKey, { label: 'x', scopes: ['apiKey:list'] });
    expect(create.statusCode).toBe(403);
  });

  it('stores only a SHA-256 hash of the key', async () => {
    const created = (await createViaApi(t.ownerKey, { label: 'hashed', scopes: ['tag:read'] })).json();
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    const { rows } = await client.query('SELECT * FROM api_key WHERE id = $1', [created.id]);
    await client.end();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(created.apiKey);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never lets a key grant scopes it does not hold', async () => {
    const limited = await t.createKey(['apiKey:create', 'workflow:read']);
    const escalate = await createViaApi(limited, { label: 'escalate', scopes: ['workflow:read', 'workflow:delete'] });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json()).toMatchObject({ message: 'Forbidden', code: 'FORBIDDEN' });
    const wildcard = await createViaApi(limited, { label: 'wild', scopes: ['workflow:*'] });
    expect(wildcard.statusCode).toBe(403);
    const subset = await createViaApi(limited, { label: 'subset', scopes: ['workflow:read'] });
    expect(subset.statusCode).toBe(201);
  });

  it('rejects unknown scopes, empty scope lists, past expiry and unknown fields with 400', async () => {
    const cases = [
      { body: { label: 'a', scopes: ['workflow:fly'] }, message: /request\/body\/scopes\/0 .*not a known scope/ },
      { body: { label: 'a', scopes: [] }, message: /request\/body\/scopes/ },
      { body: { label: 'a', scopes: ['tag:read'], expiresAt: '2001-01-01T00:00:00Z' }, message: /expiresAt must be in the future/ },
      { body: { label: 'a', scopes: ['tag:read'], role: 'admin' }, message: /Unrecognized key\(s\) in object: 'role'/ },
      { body: { scopes: ['tag:read'] }, message: /must have required property 'label'/ },
    ];
    for (const c of cases) {
      const res = await createViaApi(t.ownerKey, c.body);
      expect(res.statusCode, JSON.stringify(c.body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_ERROR');
      expect(res.json().message).toMatch(c.message);
    }
  });

  it('stops accepting a key once it expires', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const key = (await createViaApi(t.ownerKey, { label: 'short-lived', scopes: ['apiKey:list'], expiresAt })).json().apiKey;
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(key) })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(key) })).statusCode).toBe(401);
  });

  it('revokes a key on this instance at once and on other instances within the cache TTL', async () => {
    const key = await t.createKey(['apiKey:list']);
    const other = await buildTestApp({ API_KEY_CACHE_TTL_MS: '300' }, t.db);
    try {
      expect((await other.app.inject({ url: '/api/v1/api-keys', headers: asKey(key) })).statusCode).toBe(200);
      const id = (await t.app.inject({ url: '/api/v1/api-keys?limit=250', headers: asKey(t.ownerKey) }))
        .json()
        .data.find((k: { keyHint: string }) => k.keyHint.endsWith(key.slice(-4))).id;
      const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: asKey(t.ownerKey) });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(key) })).statusCode).toBe(401);
      await new Promise((r) => setTimeout(r, 350));
      expect((await other.app.inject({ url: '/api/v1/api-keys', headers: asKey(key) })).statusCode).toBe(401);

      const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: asKey(t.ownerKey) });
      expect(again.statusCode).toBe(409);
      const unknown = await t.app.inject({ method: 'DELETE', url: '/api/v1/api-keys/doesNotExist0000', headers: asKey(t.ownerKey) });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('NOT_FOUND');
    } finally {
      await other.close();
    }
  });

  it('records when a key was last used', async () => {
    const key = await t.createKey(['apiKey:list'], 'usage');
    await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(key) });
    await new Promise((r) => setTimeout(r, 100));
    const rows = (await t.app.inject({ url: '/api/v1/api-keys?limit=250', headers: asKey(t.ownerKey) })).json().data;
    const usage = rows.find((k: { keyHint: string }) => k.keyHint.endsWith(key.slice(-4)));
    expect(usage.lastUsedAt).not.toBeNull();
  });

  it('pages the list with n8n cursors', async () => {
    const first = await t.app.inject({ url: '/api/v1/api-keys?limit=2', headers: asKey(t.ownerKey) });
    expect(first.json().data).toHaveLength(2);
    const cursor = first.json().nextCursor;
    expect(JSON.parse(Buffer.from(cursor, 'base64').toString())).toEqual({ limit: 2, offset: 2 });
    const second = await t.app.inject({ url: `/api/v1/api-keys?cursor=${encodeURIComponent(cursor)}`, headers: asKey(t.ownerKey) });
    expect(second.statusCode).toBe(200);
    expect(second.json().data[0].id).not.toBe(first.json().data[0].id);
    const bad = await t.app.inject({ url: '/api/v1/api-keys?cursor=garbage', headers: asKey(t.ownerKey) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: 'An invalid cursor was provided', code: 'VALIDATION_ERROR' });
  });
});

describe('first start', () => {
  it('creates one owner key when there are none, and never again', async () => {
    const fresh = await buildTestApp();
    try {
      // buildTestApp already made keys; a database with keys gets no new owner key.
      expect(await fresh.app.services.apiKeys.bootstrap(undefined)).toBeUndefined();
      await fresh.app.prisma.apiKey.deleteMany();
      const results = await Promise.all([1, 2, 3].map(() => fresh.app.services.apiKeys.bootstrap(undefined)));
      const created = results.filter(Boolean) as string[];
      expect(created).toHaveLength(1);
      expect((await fresh.app.inject({ url: '/api/v1/api-keys', headers: asKey(created[0]!) })).statusCode).toBe(200);
      expect(await fresh.app.prisma.apiKey.count()).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('registers N8N_API_KEY with every scope, and then prints no owner key', async () => {
    const fresh = await buildTestApp();
    try {
      await fresh.app.prisma.apiKey.deleteMany();
      const seed = 'seeded-key-for-docker-compose-0123456789';
      expect(await fresh.app.services.apiKeys.bootstrap(seed)).toBeUndefined();
      expect(await fresh.app.services.apiKeys.bootstrap(seed)).toBeUndefined();
      expect(await fresh.app.prisma.apiKey.count()).toBe(1);
      expect((await fresh.app.inject({ url: '/api/v1/api-keys', headers: asKey(seed) })).statusCode).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
