import pg from 'pg';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { startThrowawayPostgres } from '../helpers/throwaway-postgres.ts';

export interface BenchDatabase {
  url: string;
  /** Stops PostgreSQL and deletes its temporary directory (or drops the database made on BENCH_DATABASE_URL). */
  stop(): Promise<void>;
}

/**
 * A throwaway, migrated PostgreSQL (fsync off) in a temporary directory; on failure nothing is left behind. With
 * BENCH_DATABASE_URL (a server, as a production deployment would use), a fresh database on that server instead.
 */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) return createExternalDatabase(external);
  const server = await startThrowawayPostgres({ prefix: 'flowgate-bench-' });
  await migrateDatabase(server.url).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  return { url: server.url, stop: () => server.stop() };
}

async function createExternalDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `flowgate_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  const stop = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await migrateDatabase(url).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url, stop };
}
