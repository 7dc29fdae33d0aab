import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { newId } from '../../src/lib/ids.ts';
import { encryptData, encryptionKey } from '../../src/modules/credentials/credentials.crypto.ts';
import { KEY_ROTATION_LOCK } from '../../src/modules/credentials/credentials.repository.ts';
import { runCliAsync } from '../helpers/server-process.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase, testEnv } from '../helpers/test-app.ts';

/**
 * `credentials rotate-key` while servers run: a running server keeps the key it started with, so the CLI refuses
 * while any instance holds an unexpired lease on the database, and the servers keep serving credentials. Once they
 * are stopped it rotates, and they start with the new key (and refuse the old one).
 */

const OLD_KEY = 'flowgate-test-encryption-key';
const NEW_KEY = 'the-rotated-key-0123456789abcdef';
const HOOK_TOKEN = 'hook-token-never-logged';

let db: TestDatabase;
let dir: string;
let newKeyFile: string;
const apps: TestApp[] = [];
let hookPath: string;
let headerCredentialId: string;
let basicCredentialId: string;

function runCli(args: string[]) {
  return runCliAsync(args, { ...process.env, DATABASE_URL: db.url, N8N_ENCRYPTION_KEY: OLD_KEY, LOG_LEVEL: 'warn' });
}

/** A server on a real port: the app as the server builds it, listening. */
async function startServer(key: string): Promise<{ t: TestApp; baseUrl: string }> {
  const t = await buildTestApp({ N8N_ENCRYPTION_KEY: key }, db);
  apps.push(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, baseUrl: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}

async function stop(t: TestApp) {
  apps.splice(apps.indexOf(t), 1);
  await t.app.close();
}

function callHook(baseUrl: string) {
  return fetch(`${baseUrl}/webhook/${hookPath}`, { method: 'POST', headers: { 'x-hook-token': HOOK_TOKEN } });
}

function patchCredential(server: { t: TestApp; baseUrl: string }, password: string) {
  return fetch(`${server.baseUrl}/api/v1/credentials/${basicCredentialId}`, {
    method: 'PATCH',
    headers: { 'x-n8n-api-key': server.t.ownerKey, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { password } }),
  });
}

async function storedKeyIds(): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<{ key_id: string }>('SELECT key_id FROM credential ORDER BY id')).rows.map((r) => r.key_id);
  } finally {
    await client.end();
  }
}

/** Serves the webhook and reads a credential through the API; both need the credentials decrypted. */
async function expectServingCredentials(server: { t: TestApp; baseUrl: string }, password: string) {
  const hook = await callHook(server.baseUrl);
  expect(hook.status, await hook.clone().text()).toBe(200);
  expect(await hook.json()).toEqual({ served: 'yes' });
  const patched = await patchCredential(server, password);
  expect(patched.status, await patched.clone().text()).toBe(200);
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'flowgate-rotate-'));
  newKeyFile = path.join(dir, 'new-key');
  await writeFile(newKeyFile, `${NEW_KEY}\n`);

  const { t, baseUrl } = await startServer(OLD_KEY);
  const post = (url: string, body: unknown) =>
    fetch(`${baseUrl}/api/v1${url}`, {
      method: 'POST',
      headers: { 'x-n8n-api-key': t.ownerKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => {
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as { id: string };
    });
  const header = await post('/credentials', {
    name: 'Hook token',
    type: 'httpHeaderAuth',
    data: { name: 'X-Hook-Token', value: HOOK_TOKEN },
  });
  headerCredentialId = header.id;
  basicCredentialId = (await post('/credentials', { name: 'Basic', type: 'httpBasicAuth', data: { user: 'u', password: 'p0' } })).id;
  hookPath = `rotate-${newId(8).toLowerCase()}`;
  const workflow = await post('/workflows', {
    name: 'Header auth hook',
    nodes: [
      {
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', authentication: 'headerAuth' },
        credentials: { httpHeaderAuth: { id: headerCredentialId, name: 'Hook token' } },
      },
      {
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [200, 0],
        parameters: { assignments: { assignments: [{ id: '0', name: 'served', value: 'yes', type: 'string' }] }, options: {} },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
    settings: {},
  });
  await post(`/workflows/${workflow.id}/activate`, {});
});

afterAll(async () => {
  for (const t of [...apps]) await t.app.close();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('credentials rotate-key while servers run', () => {
  it('refuses while any instance runs on the database, naming them and what to do; the servers keep serving credentials', async () => {
    const first = { t: apps[0]!, baseUrl: `http://127.0.0.1:${(apps[0]!.app.server.address() as AddressInfo).port}` };
    await expectServingCredentials(first, 'p1');
    const second = await startServer(OLD_KEY);

    const refused = await runCli(['credentials', 'rotate-key', '--new-key-file', newKeyFile]);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toMatch(/2 flowgate server instance\(s\) are running on this database/);
    expect(refused.stderr).toMatch(
      /Stop every server that uses this database \(a server that was killed counts until its lease expires, INSTANCE_LEASE_SECONDS\), run this command again, then start them with N8N_ENCRYPTION_KEY set to the new key/,
    );
    expect(refused.stderr).toMatch(/Nothing was changed/);
    expect(refused.stdout).not.toMatch(/Re-encrypted/);
    for (const secret of [NEW_KEY, OLD_KEY, HOOK_TOKEN]) expect(refused.stdout + refused.stderr).not.toContain(secret);
    expect(await storedKeyIds()).toEqual([encryptionKey(OLD_KEY).id, encryptionKey(OLD_KEY).id]);

    // Both keep reading credentials: a webhook with header auth, and a PATCH that merges into the stored data.
    await expectServingCredentials(first, 'p2');
    await expectServingCredentials(second, 'p3');

    // One instance left: still refused.
    await stop(second.t);
    const stillRefused = await runCli(['credentials', 'rotate-key', '--new-key-file', newKeyFile]);
    expect(stillRefused.code).toBe(1);
    expect(stillRefused.stderr).toMatch(/1 flowgate server instance\(s\) are running/);
    await expectServingCredentials(first, 'p4');
  });

  it('rotates once every server is stopped; the servers then start with the new key and refuse the old one', async () => {
    for (const t of [...apps]) await stop(t);
    const rotated = await runCli(['credentials', 'rotate-key', '--new-key-file', newKeyFile]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/Re-encrypted 2 credential\(s\)/);
    expect(rotated.stdout).toMatch(/Start the servers with N8N_ENCRYPTION_KEY set to the new key/);
    expect(rotated.stdout).not.toContain(NEW_KEY);
    expect(await storedKeyIds()).toEqual([encryptionKey(NEW_KEY).id, encryptionKey(NEW_KEY).id]);

    const withOldKey = await buildApp({ config: loadConfig(testEnv(db.url, { N8N_ENCRYPTION_KEY: OLD_KEY })), databaseUrl: db.url });
    try {
      await expect(withOldKey.ready()).rejects.toThrow(
        /2 of 2 stored credential\(s\) cannot be decrypted with the configured encryption key/,
      );
    } finally {
      await withOldKey.close();
    }

    const server = await startServer(NEW_KEY);
    await expectServingCredentials(server, 'p5');
  });

  it('a server that starts during a rotation waits for it to end, then refuses a key that no longer reads the rows', async () => {
    for (const t of [...apps]) await stop(t);
    // Stand in for a rotation at work: its lock held, rows rewritten for another key, not yet committed.
    const rotation = new pg.Client({ connectionString: db.url });
    await rotation.connect();
    try {
      await rotation.query('BEGIN');
      await rotation.query('SELECT pg_advisory_xact_lock($1::bigint)', [KEY_ROTATION_LOCK]);
      const other = encryptionKey('yet-another-key-0123456789');
      await rotation.query('UPDATE credential SET data = $1, key_id = $2', [encryptData({ value: 'x' }, other), other.id]);

      const starting = await buildApp({ config: loadConfig(testEnv(db.url, { N8N_ENCRYPTION_KEY: NEW_KEY })), databaseUrl: db.url });
      try {
        let settled = false;
        const ready = Promise.resolve(starting.ready()).finally(() => {
          settled = true;
        });
        ready.catch(() => {});
        await new Promise((r) => setTimeout(r, 700));
        expect(settled).toBe(false);
        await rotation.query('COMMIT');
        await expect(ready).rejects.toThrow(/2 of 2 stored credential\(s\) cannot be decrypted/);
      } finally {
        await starting.close();
      }
    } finally {
      await rotation.end();
    }
  });
});
