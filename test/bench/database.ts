import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

export interface BenchDatabase {
  url: string;
  /** Stops PostgreSQL and deletes its temporary directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway, migrated PostgreSQL (fsync off) in a temporary directory; on failure nothing is left behind. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flowgate-bench-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    // As root, PostgreSQL runs as the postgres user, which must be able to enter this 0700 directory.
    await chmod(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), ephemeral: true });
    const stop = async () => {
      await server.stop();
      await removeDir();
    };
    await migrateDatabase(server.url).catch(async (err: unknown) => {
      await stop();
      throw err;
    });
    return { url: server.url, stop };
  } catch (err) {
    await removeDir();
    throw err;
  }
}
