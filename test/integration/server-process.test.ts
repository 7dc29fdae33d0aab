import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresProcessesFor, ROOT, runCli, type ServerProcess, serverEnv, spawnServer, startCommand } from '../helpers/server-process.ts';
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
      // The server SIGKILLed below holds its lease until it runs out (a key rotation waits for that): short here.
      INSTANCE_LEASE_SECONDS: '2',
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
    // The last line says that shutdown finished, after the database was stopped.
    const lines = server.output().trim().split('\n');
    expect(server.output()).toMatch(/"msg":"SIGTERM: shutting down"/);
    expect(lines.at(-1)).toMatch(/^\{.*"msg":"shutdown finished in \d+ ms; exiting with code 0"\}$/);
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
    // The refused server gave its lease up; the one SIGKILLed in an earlier test counts until its lease runs out.
    let rotated = runCli(['credentials', 'rotate-key', '--new-key-file', newKeyFile], env);
    for (const deadline = Date.now() + 5000; rotated.status !== 0 && Date.now() < deadline; ) {
      expect(rotated.stderr).toMatch(/server instance\(s\) are running on this database/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      rotated = runCli(['credentials', 'rotate-key', '--new-key-file', newKeyFile], env);
    }
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

/** Failures an operator fixes from the message alone: they name the variable, exit 1 and print no stack trace. */
describe('server process (start-up failures)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const running: ServerProcess[] = [];
  const STACK_FRAME = /\n\s+at \S/;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'flowgate-startup-'));
    await chmod(dataDir, 0o755);
    env = serverEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), N8N_LISTEN_ADDRESS: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const server of running) server.child.kill('SIGKILL');
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a taken N8N_PORT before creating anything; the next start prints an owner key that works', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const refused = await spawnServer({ ...env, N8N_PORT: String(port) });
      running.push(refused);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(new RegExp(`N8N_PORT ${port} is already in use by another process .*set N8N_PORT to a free port`));
      expect(refused.output()).not.toMatch(STACK_FRAME);
      expect(refused.output()).not.toMatch(/n8n_api_/);
      // Checked first: no database was created, so nothing (no key) can have been stored.
      expect(existsSync(path.join(dataDir, 'pg'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    const server = await spawnServer({ ...env, N8N_PORT: String(port) });
    running.push(server);
    await server.waitFor(/flowgate is ready/);
    const key = (await server.waitFor(/\n {2}(n8n_api_[0-9A-Za-z]{40})\n/))[1]!;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/api-keys`, { headers: { 'X-N8N-API-KEY': key } });
    expect(res.status).toBe(200);
    // The only key there is: the one just printed.
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(1);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('names DATABASE_URL when its server cannot be reached, and says that unsetting it uses the embedded database', async () => {
    const dbPort = await freePort();
    const server = await spawnServer({
      ...env,
      N8N_PORT: String(await freePort()),
      DATABASE_URL: `postgresql://flowgate:not-logged@127.0.0.1:${dbPort}/flowgate`,
    });
    running.push(server);
    expect(await server.exited).toBe(1);
    const out = server.output();
    expect(out).toMatch(
      new RegExp(`cannot connect to the PostgreSQL in DATABASE_URL \\(127\\.0\\.0\\.1:${dbPort}/flowgate\\): connect ECONNREFUSED`),
    );
    expect(out).toMatch(/unset DATABASE_URL to use the embedded database/);
    expect(out).not.toMatch(STACK_FRAME);
    expect(out).not.toContain('not-logged');
    // Not a terminal: one JSON object per line.
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('pretty-prints its log on a terminal', async () => {
    const [bin, ...args] = await startCommand();
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    // util-linux `script` runs the server with a pseudo-terminal as stdout.
    const child = spawn('script', ['-qec', [bin!, ...args].map(quote).join(' '), '/dev/null'], {
      cwd: ROOT,
      env: { ...env, N8N_PORT: String(await freePort()), DATABASE_URL: `postgresql://x:y@127.0.0.1:${await freePort()}/x` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    const plain = out.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '').replaceAll('\r', '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] ERROR: start-up failed: cannot connect to the PostgreSQL in DATABASE_URL/m);
    expect(plain).toMatch(/INFO: shutdown finished in \d+ ms; exiting with code 1/);
    expect(plain).not.toContain('"level"');
  });
});
