import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient };
/** Repositories accept either the client or a transaction, so services decide the transaction boundary. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export function createPrismaClient(connectionString: string, options: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
