import pg from 'pg';
import type { Config } from '../config/env.ts';
import { StartupError } from '../lib/startup.ts';
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres.ts';

export interface Database {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

type Log = (level: 'info' | 'warn' | 'debug', message: string) => void;

const CONNECT_TIMEOUT_MS = 10_000;

/** Node's own words for a failed connection; a host with several addresses fails with one error per address. */
function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return [...new Set(err.errors.map(reason))].join('; ');
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

/** Where DATABASE_URL points, without its credentials. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * One connection to DATABASE_URL before anything else uses it, so that a wrong host, port or password stops the
 * start with a message naming the variable rather than a driver stack trace from the first migration query.
 */
export async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new StartupError(
      `cannot connect to the PostgreSQL in DATABASE_URL (${describeTarget(url)}): ${reason(err)}. ` +
        'Check that the server runs and accepts this user and password from here, or unset DATABASE_URL to use the embedded database under DATA_DIR.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR (started here, stopped by close()). */
export async function openDatabase(
  config: Config,
  log: Log,
  /** `onlyRunning` names who needs an embedded database that already runs (a worker never starts one of its own). */
  options: { reuseRunning?: boolean; onlyRunning?: string } = {},
): Promise<Database> {
  if (config.databaseUrl) {
    await assertReachable(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, close: async () => {} };
  }
  if (options.reuseRunning || options.onlyRunning) {
    const url = await runningEmbeddedPostgresUrl(config.dataDir);
    if (url) return { url, embedded: true, close: async () => {} };
  }
  if (options.onlyRunning) {
    throw new StartupError(
      `${options.onlyRunning} uses the main instances' database: set DATABASE_URL to it (no embedded database runs under DATA_DIR ${config.dataDir}).`,
    );
  }
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  return { url: server.url, embedded: true, close: () => server.stop() };
}
