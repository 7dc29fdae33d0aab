import type { SqlClient } from '../../db/client.ts';

export const healthRepository = {
  /** The cheapest round trip that proves the database answers queries. */
  async ping(sql: SqlClient): Promise<void> {
    await sql.query('SELECT 1');
  },
};
