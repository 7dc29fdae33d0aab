import type { DbClient } from '../../db/client.ts';

export const healthRepository = {
  /** The cheapest round trip that proves the database answers queries. */
  ping: (db: DbClient) => db.$queryRaw`SELECT 1`,
};
