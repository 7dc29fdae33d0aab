import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/env.ts';
import { openDatabase } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { createStartupLogger, logDestination } from './lib/logger.ts';
import { createShutdown } from './lib/shutdown.ts';
import { assertPortFree, portError, StartupError } from './lib/startup.ts';
import { UnreadableCredentialsError } from './modules/credentials/credentials.service.ts';

function ownerKeyNotice(key: string, url: string): string {
  const lines = [
    'An owner API key with every scope was created. It is shown only this once: store it now.',
    '',
    `  ${key}`,
    '',
    `Try it:  curl -H "X-N8N-API-KEY: ${key}" ${url}/api-keys`,
    'More keys: npm run cli -- api-key create --label <name> --scopes workflow:read,workflow:list',
  ];
  return `\n${lines.join('\n')}\n\n`;
}

const write = (text: string) =>
  new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));

/**
 * Creates the owner key (only when no key exists) and prints it, as one step: a key that could not be shown is
 * deleted again, so that the next start, finding no key, creates and prints a new one. Runs after listen, so a
 * start that cannot serve (a port in use) never creates a key at all.
 */
async function createAndPrintOwnerKey(app: FastifyInstance, url: string): Promise<void> {
  const key = await app.services.apiKeys.bootstrap(undefined);
  if (!key) return;
  try {
    await write(ownerKeyNotice(key, url));
  } catch (err) {
    await app.services.apiKeys.discard(key);
    throw new StartupError(
      `the owner API key could not be printed (${err instanceof Error ? err.message : String(err)}), so it was not kept`,
    );
  }
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and its meaning.\n`);
      process.exit(1);
    }
    throw err;
  }

  const destination = logDestination();
  const log = createStartupLogger(config, destination);
  const shutdown = createShutdown({
    timeoutMs: config.shutdownTimeoutMs,
    log: (msg, err) => (err ? log.error({ err }, msg) : log.info(msg)),
  });

  try {
    // Before anything is created: a start that cannot listen must not leave a database or a key behind.
    await assertPortFree({ port: config.port, host: config.host, variable: 'N8N_PORT' });

    const database = await openDatabase(config, (level, msg) => log[level](msg));
    shutdown.add('database', () => database.close());
    if (database.embedded) log.info(`embedded PostgreSQL is running on 127.0.0.1:${config.embeddedPgPort} (data in ${config.dataDir})`);

    const applied = await migrateDatabase(database.url);
    if (applied.length) log.info({ migrations: applied }, 'database migrations applied');

    const app = await buildApp({ config, databaseUrl: database.url, logStream: destination });
    shutdown.add('http', () => app.close());
    // A known key (N8N_API_KEY) is registered before listening, so it works from the first request.
    if (config.seedApiKey) await app.services.apiKeys.bootstrap(config.seedApiKey);
    await app.services.projects.defaultProject();
    // A key that cannot read the stored credentials (wrong N8N_ENCRYPTION_KEY, lost key file) is refused in the
    // app's onReady, which listen runs before binding the port (plugins/services.ts).
    // The port can still be taken between the check above and here.
    await app.listen({ port: config.port, host: config.host }).catch((err: NodeJS.ErrnoException) => {
      throw err.code ? portError(err, { port: config.port, host: config.host, variable: 'N8N_PORT' }) : err;
    });

    const publicUrl = `http://localhost:${config.port}${config.publicApi.prefix}`;
    await createAndPrintOwnerKey(app, publicUrl);
    log.info(`flowgate is ready: API ${config.publicApi.disabled ? 'disabled' : publicUrl}, docs ${publicUrl}/docs`);
  } catch (err) {
    // Expected failures say what to change; anything else keeps its stack for the bug report.
    if (err instanceof StartupError || err instanceof UnreadableCredentialsError) log.error(`start-up failed: ${err.message}`);
    else log.error({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown.fail('start-up failure');
  }
}

await main();
