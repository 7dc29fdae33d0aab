import { migrateDatabase } from '../../src/db/migrate.ts';
import { startThrowawayPostgres } from '../helpers/throwaway-postgres.ts';

export interface BenchDatabase {
  url: string;
  /** Stops PostgreSQL and deletes its temporary directory. */
  stop(): Promise<void>;
}

/** A throwaway, migrated PostgreSQL (fsync off) in a temporary directory; on failure nothing is left behind. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const server = await startThrowawayPostgres({ prefix: 'flowgate-bench-' });
  await migrateDatabase(server.url).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  return { url: server.url, stop: () => server.stop() };
}
