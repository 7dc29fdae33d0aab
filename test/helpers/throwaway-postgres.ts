import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ThrowawayPostgres {
  url: string;
  adminUrl: string;
  /** Stops PostgreSQL and deletes its temporary directory. */
  stop(): Promise<void>;
}

/** An embedded PostgreSQL (fsync off) in a temporary directory, for tests and benchmarks; nothing is left behind. */
export async function startThrowawayPostgres(options: { prefix: string; database?: string }): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), options.prefix));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    // As root, PostgreSQL runs as the postgres user, which must be able to enter this 0700 directory.
    await chmod(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), ephemeral: true, database: options.database });
    return {
      url: server.url,
      adminUrl: server.adminUrl,
      async stop() {
        await server.stop();
        await removeDir();
      },
    };
  } catch (err) {
    await removeDir();
    throw err;
  }
}
