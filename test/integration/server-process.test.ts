import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresProcessesFor, runCli, type ServerProcess, serverEnv, spawnServer } from '../helpers/server-process.ts';
import { freePort } from '../helpers/throwaway-postgres.ts';

/**
 * The fresh-machine path end to end: the real start command, an embedded PostgreSQL under DATA_DIR, a key
 * printed once, restarts that keep data, SIGKILL recovery and a clean SIGTERM shutdown.
 */
describe('server process (embedded database)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  let ownerKey: string;
  const running: ServerProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'flowgate-server-'));
    await chmod(dataDir, 0o755);
    const port = await freePort();
    env = serverEnv({
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: '127.0.0.1',
    });
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const server of running) server.child.kill('SIGKILL');
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const server = await spawnServer(env);
    running.push(server);
    await server.waitFor(/flowgate is ready/);
    return server;
  }

  const listKeys = (key: string) => fetch(`${baseUrl}/api/v1/api-keys`, { headers: { 'X-N8N-API-KEY': key } });

  it('starts from nothing, prints an owner key once, and serves the API with it', async () => {
    const server = await start();
    ownerKey = (await server.waitFor(/\n {2}(n8n_api_[0-9A-Za-z]{40})\n/))[1]!;
    const res = await listKeys(ownerKey);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(1);
    expect((await fetch(`${baseUrl}/api/v1/api-keys`)).status).toBe(401);

    const created = runCli(['api-key', 'create', '--label', 'ci', '--scopes', 'apiKey:list', '--json'], env);
    expect(created.status, created.stderr).toBe(0);
    const ciKey = JSON.parse(created.stdout).apiKey;
    expect((await listKeys(ciKey)).status).toBe(200);
    const list = runCli(['api-key', 'list'], env);
    expect(list.stdout).toMatch(/ci\s+\[apiKey:list\]/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).not.toMatch(/hung|did not finish/);
    expect(await postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('restarts with its data and prints no new key', async () => {
    const server = await start();
    expect(server.output()).not.toMatch(/n8n_api_[0-9A-Za-z]{40}/);
    expect((await listKeys(ownerKey)).status).toBe(200);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(await postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('recovers after SIGKILL left PostgreSQL running', async () => {
    const killed = await start();
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect((await postgresProcessesFor(dataDir)).length).toBeGreaterThan(0);

    const server = await start();
    expect(server.output()).toMatch(/orphaned embedded PostgreSQL/);
    expect((await listKeys(ownerKey)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('refuses to start with an encryption key that cannot read the stored credentials; rotation fixes it', async () => {
    const server = await start();
    const created = await fetch(`${baseUrl}/api/v1/credentials`, {
      method: 'POST',
      headers: { 'X-N8N-API-KEY': ownerKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bearer', type: 'httpBearerAuth', data: { token: 'server-process-secret' } }),
    });
    expect(created.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const wrong = await spawnServer({ ...env, N8N_ENCRYPTION_KEY: 'not-the-key-these-were-written-with' });
    running.push(wrong);
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toMatch(/1 of 1 stored credential\(s\) cannot be decrypted with the configured encryption key/);
    expect(wrong.output()).not.toContain('server-process-secret');

    const newKeyFile = path.join(dataDir, 'new-key');
    await writeFile(newKeyFile, 'rotated-key-0123456789abcdef\n');
    const rotated = runCli(['credentials', 'rotate-key', '--new-key-file', newKeyFile], env);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/Re-encrypted 1 credential/);
    const restarted = await start();
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  });

  it('refuses to start when the embedded database port is taken, saying which variable to change', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const server = await spawnServer({ ...env, EMBEDDED_PG_PORT: String(port) });
      running.push(server);
      expect(await server.exited).toBe(1);
      expect(server.output()).toMatch(new RegExp(`EMBEDDED_PG_PORT ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('prints every configuration problem and exits 1', async () => {
    const server = await spawnServer({ ...env, N8N_PORT: 'abc', EMBEDDED_PG_PORT: '5432', DATABASE_URL: 'mysql://x' });
    running.push(server);
    expect(await server.exited).toBe(1);
    const out = server.output();
    expect(out).toMatch(/N8N_PORT: must be a whole number/);
    expect(out).toMatch(/EMBEDDED_PG_PORT: must not be 5432/);
    expect(out).toMatch(/DATABASE_URL: must be a PostgreSQL connection URL/);
  });
});
