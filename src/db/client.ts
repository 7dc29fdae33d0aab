import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient };
/** Repositories accept either the client or a transaction, so services decide the transaction boundary. */
export type DbClient = PrismaClient | Prisma.TransactionClient;
/** Plain SQL for the few hot read paths where Prisma's per-relation queries cost more than the work itself. */
export type SqlClient = Pick<pg.Pool, 'query'>;

export interface DatabaseClients {
  prisma: PrismaClient;
  sql: SqlClient;
  close(): Promise<void>;
}

/** One connection pool, shared by Prisma (through its pg adapter) and the hand-written hot queries. */
export function createDatabaseClients(connectionString: string, options: { poolSize?: number } = {}): DatabaseClients {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 });
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => {});
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

export function createPrismaClient(connectionString: string, options: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
