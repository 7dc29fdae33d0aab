import type { Config } from '../config/env.ts';
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres.ts';

export interface Database {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

type Log = (level: 'info' | 'warn' | 'debug', message: string) => void;

/** DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR (started here, stopped by close()). */
export async function openDatabase(config: Config, log: Log, options: { reuseRunning?: boolean } = {}): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, close: async () => {} };
  if (options.reuseRunning) {
    const url = await runningEmbeddedPostgresUrl(config.dataDir);
    if (url) return { url, embedded: true, close: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  return { url: server.url, embedded: true, close: () => server.stop() };
}
