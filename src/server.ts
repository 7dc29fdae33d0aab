import pino from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/env.ts';
import { openDatabase } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { createShutdown } from './lib/shutdown.ts';

function printOwnerKey(key: string, url: string) {
  const lines = [
    'An owner API key with every scope was created. It is shown only this once: store it now.',
    '',
    `  ${key}`,
    '',
    `Try it:  curl -H "X-N8N-API-KEY: ${key}" ${url}/api-keys`,
    'More keys: npm run cli -- api-key create --label <name> --scopes workflow:read,workflow:list',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
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

  const log = pino({ level: config.logLevel, base: { name: 'flowgate' } });
  const shutdown = createShutdown({
    timeoutMs: config.shutdownTimeoutMs,
    log: (msg, err) => (err ? log.error({ err }, msg) : log.info(msg)),
  });

  try {
    const database = await openDatabase(config, (level, msg) => log[level](msg));
    shutdown.add('database', () => database.close());
    if (database.embedded) log.info(`embedded PostgreSQL is running on 127.0.0.1:${config.embeddedPgPort} (data in ${config.dataDir})`);

    const applied = await migrateDatabase(database.url);
    if (applied.length) log.info({ migrations: applied }, 'database migrations applied');

    const app = await buildApp({ config, databaseUrl: database.url });
    shutdown.add('http', () => app.close());
    const ownerKey = await app.services.apiKeys.bootstrap(config.seedApiKey);
    await app.services.workflows.ensureDefaultProject();
    // Refuse to serve with a key that cannot read the stored credentials (wrong N8N_ENCRYPTION_KEY, lost key file).
    await app.services.credentials.verifyReadable();
    await app.listen({ port: config.port, host: config.host });

    const publicUrl = `http://localhost:${config.port}${config.publicApi.prefix}`;
    if (ownerKey) printOwnerKey(ownerKey, publicUrl);
    log.info(`flowgate is ready: API ${config.publicApi.disabled ? 'disabled' : publicUrl}, docs ${publicUrl}/docs`);
  } catch (err) {
    log.error({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown.fail('start-up failure');
  }
}

await main();
