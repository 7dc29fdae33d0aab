import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient };
/**
 * What every repository function takes first: the pool, or the connection of a transaction (inTransaction), so
 * the service decides the transaction boundary and one transaction can span several modules' repositories.
 */
export type SqlClient = Pick<pg.Pool, 'query'>;
export type SqlPool = Pick<pg.Pool, 'query' | 'connect'>;

/**
 * Runs `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws.
 * Waits for a row lock at most `lockTimeoutMs`, and for any statement at most `statementTimeoutMs`.
 */
export async function inTransaction<T>(
  pool: SqlPool,
  fn: (client: SqlClient) => Promise<T>,
  limits: { lockTimeoutMs: number; statementTimeoutMs: number } = { lockTimeoutMs: 10_000, statementTimeoutMs: 15_000 },
): Promise<T> {
  const client = await pool.connect();
  try {
    // One round trip: a simple-protocol query may carry several statements, and these take no parameters.
    await client.query(
      `BEGIN; SET LOCAL lock_timeout = ${Math.trunc(limits.lockTimeoutMs)}; SET LOCAL statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}`,
    );
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export interface DatabaseClients {
  prisma: PrismaClient;
  sql: SqlPool;
  close(): Promise<void>;
}

/**
 * The server's connection pool, and a Prisma client on it (through its pg adapter) for tests and scripts that
 * inspect the database; the server's own queries are the repositories' plain SQL on `sql`.
 */
export function createDatabaseClients(connectionString: string, options: { poolSize?: number } = {}): DatabaseClients {
  const pool = createSqlPool(connectionString, options);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** A Prisma client with a pool of its own (tests that open a second connection to a database). */
export function createPrismaClient(connectionString: string, options: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}

/**
 * Each connection compresses large values with lz4 where the server has it: several times faster than
 * PostgreSQL's default pglz at about the same size (a 200-node workflow's nodes: 1.7 against 2.7 ms per UPDATE on
 * PostgreSQL 15 here), and every save writes those documents. A server built without lz4 (the embedded one) keeps
 * pglz; values already stored stay readable either way.
 */
const noop = () => {};
const PREFER_LZ4 = `SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings
  WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`;

/** A pg pool (the server's, or alone for processes that need no Prisma client, such as the CLI). */
export function createSqlPool(connectionString: string, options: { poolSize?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    // pg-pool awaits this before it hands the new connection out; a failure leaves the default in place.
    onConnect: (client) => client.query(PREFER_LZ4).then(noop, noop),
  });
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
