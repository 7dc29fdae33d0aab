import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { createPrismaClient, createSqlPool } from '../../src/db/client.ts';
import { decryptData, encryptionKey } from '../../src/modules/credentials/credentials.crypto.ts';
import { rotateCredentialKey } from '../../src/modules/credentials/credentials.service.ts';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, createTestDatabase, type TestApp, testEnv } from '../helpers/test-app.ts';

const SECRET = 'pa55-w0rd-that-must-never-leak';
const TEST_KEY = 'flowgate-test-encryption-key';

let t: TestApp;
const logLines: string[] = [];
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const headers = () => ({ 'x-n8n-api-key': t.ownerKey });
const createBasic = (name = 'Basic', password = SECRET) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/credentials',
    headers: headers(),
    payload: { name, type: 'httpBasicAuth', data: { user: 'alice', password } },
  });

async function rawRow(id: string) {
  return t.app.prisma.credential.findUniqueOrThrow({ where: { id } });
}

describe('credentials API', () => {
  it('creates a credential: n8n metadata back, ciphertext at rest', async () => {
    const res = await createBasic();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'createdAt',
        'id',
        'isGlobal',
        'isManaged',
        'isResolvable',
        'name',
        'resolvableAllowFallback',
        'resolverId',
        'type',
        'updatedAt',
      ].sort(),
    );
    expect(res.body).not.toContain(SECRET);
    const row = await rawRow(body.id);
    expect(row.data).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(row)).not.toContain('alice');
    expect(decryptData(row.data, encryptionKey(TEST_KEY))).toEqual({ user: 'alice', password: SECRET });
  });

  it('reads, lists, renames, merges and replaces data, transfers and deletes, never returning data', async () => {
    const id = (await createBasic('Lifecycle')).json().id;
    const get = await t.app.inject({ url: `/api/v1/credentials/${id}`, headers: headers() });
    expect(get.statusCode).toBe(200);
    expect(get.json().name).toBe('Lifecycle');

    const list = await t.app.inject({ url: '/api/v1/credentials?type=httpBasicAuth', headers: headers() });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.find((c: { id: string }) => c.id === id)).toMatchObject({
      type: 'httpBasicAuth',
      shared: [{ role: 'credential:owner' }],
    });

    const merged = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/credentials/${id}`,
      headers: headers(),
      payload: { name: 'Renamed', data: { password: 'second-secret-value' } },
    });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().name).toBe('Renamed');
    expect(decryptData((await rawRow(id)).data, encryptionKey(TEST_KEY))).toEqual({ user: 'alice', password: 'second-secret-value' });

    const replaced = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/credentials/${id}`,
      headers: headers(),
      payload: { data: { user: 'bob' }, replaceData: true },
    });
    expect(replaced.statusCode).toBe(200);
    expect(decryptData((await rawRow(id)).data, encryptionKey(TEST_KEY))).toEqual({ user: 'bob' });

    const typeChange = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/credentials/${id}`,
      headers: headers(),
      payload: { type: 'httpHeaderAuth' },
    });
    expect(typeChange.statusCode).toBe(400);

    const project = await t.app.prisma.project.create({ data: { id: `p${Date.now()}`.slice(0, 16), name: 'Team', type: 'team' } });
    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/credentials/${id}/transfer`,
      headers: headers(),
      payload: { destinationProjectId: project.id },
    });
    expect(moved.statusCode).toBe(204);
    expect((await rawRow(id)).projectId).toBe(project.id);

    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/credentials/${id}`, headers: headers() });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ id, usageScope: 'project', usedBy: [] });
    expect(await t.app.prisma.credential.count({ where: { id } })).toBe(0);
    expect((await t.app.inject({ url: `/api/v1/credentials/${id}`, headers: headers() })).statusCode).toBe(404);
  });

  it('validates the type and the data in n8n’s message style', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/credentials',
      headers: headers(),
      payload: { name: 'X', type: 'noSuchType', data: {} },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/noSuchType/);
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/v1/credentials',
      headers: headers(),
      payload: { name: 'X', type: 'httpBasicAuth', data: { nope: 1 } },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toBe('request.body.data is not allowed to have the additional property "nope"');
    const schema = await t.app.inject({ url: '/api/v1/credentials/schema/httpBasicAuth', headers: headers() });
    expect(schema.statusCode).toBe(200);
    expect(schema.json()).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { user: { type: 'string' }, password: { type: 'string', writeOnly: true } },
    });
    expect((await t.app.inject({ url: '/api/v1/credentials/schema/noSuchType', headers: headers() })).statusCode).toBe(404);
  });

  it('keeps references to missing credentials, as n8n does, and refuses mismatched ones (POST, PUT, PATCH operations)', async () => {
    const credential = (await createBasic('Used')).json();
    const other = (await createBasic('Other')).json();
    const withCredential = (ref: { id: string; name: string }, type = 'httpBasicAuth') => {
      const body = sampleWorkflowBody('Uses a credential');
      (body.nodes[1] as Record<string, unknown>).credentials = { [type]: ref };
      return body;
    };
    const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: headers(), payload });
    // Imported workflows point at their author's ids: saved as sent.
    const missing = await send('POST', '/workflows', withCredential({ id: 'doesNotExist0000', name: 'x' }));
    expect(missing.statusCode, missing.body).toBe(200);
    expect(missing.json().nodes[1].credentials).toEqual({ httpBasicAuth: { id: 'doesNotExist0000', name: 'x' } });
    const mismatch = await send('POST', '/workflows', withCredential({ id: credential.id, name: 'Used' }, 'httpHeaderAuth'));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().message).toMatch(/it is a httpBasicAuth credential/);
    const ok = await send('POST', '/workflows', withCredential({ id: credential.id, name: 'Used' }));
    expect(ok.statusCode).toBe(200);
    const workflowId = ok.json().id;

    const put = await send('PUT', `/workflows/${workflowId}`, withCredential({ id: credential.id, name: 'Used' }, 'httpHeaderAuth'));
    expect(put.statusCode).toBe(400);
    const diff = await send('PATCH', `/workflows/${workflowId}`, {
      operations: [{ type: 'updateNode', nodeName: 'Set', changes: { 'credentials.httpHeaderAuth': { id: other.id, name: 'Other' } } }],
    });
    expect(diff.statusCode).toBe(400);
    expect(JSON.stringify(diff.json())).toMatch(/it is a httpBasicAuth credential/);

    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/credentials/${credential.id}`, headers: headers() });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().usedBy).toEqual([{ id: workflowId, name: 'Uses a credential' }]);
    expect(deleted.json().warnings[0]).toMatch(/still reference this credential/);
  });

  it('never puts credential data in responses or logs', async () => {
    const app = await buildApp({
      config: loadConfig(testEnv(t.db.url, { LOG_LEVEL: 'trace' })),
      databaseUrl: t.db.url,
      logStream: { write: (line: string) => void logLines.push(line) },
    });
    try {
      const bodies: string[] = [];
      const send = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
        const res = await app.inject({ method, url, headers: headers(), payload });
        bodies.push(res.body);
        return res;
      };
      const created = (
        await send('POST', '/api/v1/credentials', { name: 'Leak check', type: 'httpBasicAuth', data: { user: 'u', password: SECRET } })
      ).json();
      await send('POST', '/api/v1/credentials', { name: 'Bad', type: 'httpBasicAuth', data: { password: SECRET, nope: SECRET } });
      await send('GET', `/api/v1/credentials/${created.id}`);
      await send('GET', '/api/v1/credentials');
      await send('PATCH', `/api/v1/credentials/${created.id}`, { data: { password: `${SECRET}-2` } });
      await send('PATCH', `/api/v1/credentials/${created.id}`, { data: { user: 42 } });
      await send('DELETE', `/api/v1/credentials/${created.id}`);
      for (const text of [...bodies, ...logLines]) expect(text).not.toContain(SECRET);
      expect(logLines.length).toBeGreaterThan(5);
    } finally {
      await app.close();
    }
  });
});

describe('encryption key', () => {
  it('refuses a key that cannot read the stored credentials, and rotation re-encrypts every row atomically', async () => {
    const db = await createTestDatabase();
    const fresh = await buildTestApp({}, db);
    const prisma = createPrismaClient(db.url, { poolSize: 2 });
    const sql = createSqlPool(db.url, { poolSize: 2 });
    let running = true;
    try {
      for (const name of ['A', 'B', 'C']) {
        await fresh.app.inject({
          method: 'POST',
          url: '/api/v1/credentials',
          headers: { 'x-n8n-api-key': fresh.ownerKey },
          payload: { name, type: 'httpBearerAuth', data: { token: SECRET } },
        });
      }
      expect(await fresh.app.services.credentials.verifyReadable()).toBe(3);
      // An instance with another key does not get ready (the check runs after it registers as running).
      const wrong = await buildApp({
        config: loadConfig(testEnv(db.url, { N8N_ENCRYPTION_KEY: 'a-different-key-entirely' })),
        databaseUrl: db.url,
      });
      try {
        await expect(wrong.ready()).rejects.toThrow(/3 of 3 stored credential\(s\) cannot be decrypted.*Nothing was changed/);
      } finally {
        await wrong.close();
      }

      // Refused while a server runs on the database (credentials-key-rotation.test.ts covers this in full).
      await expect(rotateCredentialKey(sql, TEST_KEY, 'the-new-key-0123456789')).rejects.toThrow(/server instance\(s\) are running/);
      await fresh.app.close();
      running = false;

      // An interruption (here: a row that does not decrypt) rolls the whole rotation back.
      const rows = await prisma.credential.findMany({ orderBy: { id: 'asc' } });
      const before = rows.map((r) => r.data);
      await prisma.credential.update({ where: { id: rows[2]!.id }, data: { data: 'v1:AAAA:AAAA:AAAA' } });
      await expect(rotateCredentialKey(sql, TEST_KEY, 'the-new-key-0123456789')).rejects.toThrow();
      const untouched = await prisma.credential.findMany({ orderBy: { id: 'asc' } });
      expect(untouched.slice(0, 2).map((r) => r.data)).toEqual(before.slice(0, 2));
      await prisma.credential.update({ where: { id: rows[2]!.id }, data: { data: before[2]! } });

      expect(await rotateCredentialKey(sql, TEST_KEY, 'the-new-key-0123456789')).toBe(3);
      for (const row of await prisma.credential.findMany()) {
        expect(decryptData(row.data, encryptionKey('the-new-key-0123456789'))).toEqual({ token: SECRET });
        expect(() => decryptData(row.data, encryptionKey(TEST_KEY))).toThrow();
        expect(row.keyId).toBe(encryptionKey('the-new-key-0123456789').id);
      }
    } finally {
      await prisma.$disconnect();
      await sql.end();
      if (running) await fresh.app.close();
      await db.drop();
    }
  });
});
