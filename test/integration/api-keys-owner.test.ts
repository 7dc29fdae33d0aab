import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { CREATE_OWNER_KEY_COMMAND } from '../../src/modules/api-keys/api-keys.service.ts';
import { runCliAsync } from '../helpers/server-process.ts';
import { buildTestApp, type TestApp, testEnv } from '../helpers/test-app.ts';

/**
 * The owner key cannot be revoked by accident over the API: the last usable `*` key is refused (409), also when
 * two revokes race. The operator's CLI still can, and then it, like the start log, says how to create a new one.
 * The CLI lists keys with their expiry and the same hint as the API.
 */

let t: TestApp;
let sql: pg.Client;
beforeAll(async () => {
  t = await buildTestApp();
  sql = new pg.Client({ connectionString: t.db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const asKey = (key: string) => ({ 'x-n8n-api-key': key });
const revoke = (key: string, id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: asKey(key) });

async function createKey(scopes: string[], label = 'test', expiresAt?: Date) {
  const { apiKey, key } = await t.app.services.apiKeys.create({ label, scopes, expiresAt });
  return { id: apiKey.id, key };
}

async function usableOwnerKeyIds(): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id FROM api_key WHERE '*' = ANY(scopes) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

function runCli(args: string[]) {
  return runCliAsync(args, {
    ...process.env,
    DATABASE_URL: t.db.url,
    N8N_ENCRYPTION_KEY: 'flowgate-test-encryption-key',
    LOG_LEVEL: 'warn',
  });
}

/** Leaves exactly one usable `*` key, the one returned (every other key is revoked). */
async function onlyOwner(): Promise<{ id: string; key: string }> {
  const owner = await createKey(['*'], 'owner');
  await sql.query('UPDATE api_key SET revoked_at = now() WHERE id <> $1 AND revoked_at IS NULL', [owner.id]);
  return owner;
}

describe('the last usable * key', () => {
  let owner: { id: string; key: string };
  beforeEach(async () => {
    owner = await onlyOwner();
  });

  it('cannot revoke itself over the API: 409 saying how to do it deliberately, and the key keeps working', async () => {
    const res = await revoke(owner.key, owner.id);
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body).toMatchObject({ code: 'CONFLICT', details: { reason: 'The last active key holding * cannot be revoked over the API' } });
    expect(body.message).toContain(`API key "${owner.id}" is the last active key holding "*"`);
    expect(body.message).toContain(`npm run cli -- api-key revoke ${owner.id}`);
    expect(body.message).toContain("npm run cli -- api-key create --label owner --scopes '*'");
    expect(await usableOwnerKeyIds()).toEqual([owner.id]);
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(owner.key) })).statusCode).toBe(200);
  });

  it('expired and revoked * keys do not count; another active * key does', async () => {
    const expired = await createKey(['*'], 'expired');
    await sql.query(`UPDATE api_key SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    const revoked = await createKey(['*'], 'revoked');
    await sql.query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [revoked.id]);
    expect((await revoke(owner.key, owner.id)).statusCode).toBe(409);
    // An expired * key opens nothing, so revoking it is fine.
    expect((await revoke(owner.key, expired.id)).statusCode).toBe(200);

    const second = await createKey(['*'], 'second owner');
    const res = await revoke(owner.key, owner.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(await usableOwnerKeyIds()).toEqual([second.id]);
    expect((await revoke(second.key, second.id)).statusCode).toBe(409);
  });

  it('a key with an expiry still counts while it lives, and a * key is refused when the other * key is the one expiring', async () => {
    const later = await createKey(['*'], 'expires in an hour', new Date(Date.now() + 3_600_000));
    expect((await revoke(later.key, owner.id)).statusCode).toBe(200);
    expect((await revoke(later.key, later.id)).statusCode).toBe(409);
  });

  it('two concurrent revokes of the last two * keys: exactly one succeeds, every time', async () => {
    let survivor = owner;
    for (let round = 0; round < 6; round++) {
      const other = await createKey(['*'], `racer ${round}`);
      const pair = [survivor, other];
      // Each key revokes itself at the same moment (round 0, 2, 4) or the other one (round 1, 3, 5).
      const targets = round % 2 ? [other, survivor] : pair;
      const results = await Promise.all(pair.map((k, i) => revoke(k.key, targets[i]!.id)));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const left = await usableOwnerKeyIds();
      expect(left).toHaveLength(1);
      survivor = pair.find((k) => k.id === left[0])!;
      expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(survivor.key) })).statusCode).toBe(200);
    }
  });

  it('the lone * key can still revoke keys of lesser scope', async () => {
    const lesser = await createKey(['workflow:read']);
    expect((await revoke(owner.key, lesser.id)).statusCode).toBe(200);
    expect(await usableOwnerKeyIds()).toEqual([owner.id]);
  });
});

describe('without a usable owner key', () => {
  it('the CLI revokes the last * key deliberately, then names the command that creates one; so does the start log', async () => {
    const owner = await onlyOwner();
    expect(await t.app.services.apiKeys.missingOwnerKeyNotice()).toBeUndefined();

    const cli = await runCli(['api-key', 'revoke', owner.id]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`Revoked API key ${owner.id}.`);
    expect(cli.stdout).toContain(CREATE_OWNER_KEY_COMMAND);
    expect(await usableOwnerKeyIds()).toEqual([]);

    const notice = await t.app.services.apiKeys.missingOwnerKeyNotice();
    expect(notice).toBe(
      `No active API key holds every scope ("*"): every owner key is revoked or expired. Create one with: npm run cli -- api-key create --label owner --scopes '*'`,
    );

    // A server starting now logs it as a warning.
    const lines: string[] = [];
    const app = await buildApp({
      config: loadConfig(testEnv(t.db.url, { LOG_LEVEL: 'warn' })),
      databaseUrl: t.db.url,
      logStream: { write: (line) => lines.push(line) },
    });
    try {
      await app.ready();
      const warning = lines.map((l) => JSON.parse(l)).find((l) => l.msg === notice);
      expect(warning, lines.join('\n')).toMatchObject({ level: 40 });
    } finally {
      await app.close();
    }

    // The command it names works (quoted, as printed) and the notice goes away.
    const created = await runCli(['api-key', 'create', '--label', 'owner', '--scopes', '*', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key.scopes).toEqual(['*']);
    expect(await t.app.services.apiKeys.missingOwnerKeyNotice()).toBeUndefined();
    expect((await t.app.inject({ url: '/api/v1/api-keys', headers: asKey(key.apiKey) })).statusCode).toBe(200);
  });
});

describe('api-key on the command line', () => {
  it('lists each key with its expiry and the same key hint as the API', async () => {
    const owner = await onlyOwner();
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000);
    const expiring = await createKey(['workflow:read'], 'expiring', expiresAt);
    const expired = await createKey(['tag:list'], 'expired');
    await sql.query(`UPDATE api_key SET expires_at = '2020-01-01T00:00:00Z' WHERE id = $1`, [expired.id]);

    const api = (await t.app.inject({ url: '/api/v1/api-keys?limit=250', headers: asKey(owner.key) })).json().data as {
      id: string;
      keyHint: string;
    }[];
    const hintOf = (id: string) => api.find((k) => k.id === id)!.keyHint;
    expect(hintOf(expiring.id)).toBe(`n8n_api_…${expiring.key.slice(-4)}`);

    const list = await runCli(['api-key', 'list']);
    expect(list.code, list.stderr).toBe(0);
    const lineOf = (id: string) => list.stdout.split('\n').find((l) => l.startsWith(id))!;
    expect(lineOf(expiring.id)).toContain(`  ${hintOf(expiring.id)}  expiring  [workflow:read]  expires ${expiresAt.toISOString()}  `);
    expect(lineOf(owner.id)).toContain(`  ${hintOf(owner.id)}  owner  [*]  never expires  `);
    expect(lineOf(expired.id)).toMatch(/ expired {2}.* expired 2020-01-01T00:00:00\.000Z {2}/);

    const json = await runCli(['api-key', 'list', '--json']);
    const rows = JSON.parse(json.stdout) as { id: string; keyHint: string; expiresAt: string | null; keyHash?: string }[];
    for (const row of rows) {
      expect(row.keyHint).toBe(hintOf(row.id));
      expect(row).not.toHaveProperty('keyHash');
    }
    expect(rows.find((r) => r.id === expiring.id)!.expiresAt).toBe(expiresAt.toISOString());
  });

  it('refuses scopes a shell expanded from an unquoted *, saying to quote it', async () => {
    // What `--scopes *` becomes in a shell: the first file name of the directory.
    const res = await runCli(['api-key', 'create', '--label', 'x', '--scopes', 'README.md']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--scopes got file names (README.md): the shell expanded an unquoted *. Quote it: --scopes '*'");
  });
});
