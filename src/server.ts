import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/env.ts';
import { openDatabase } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { createStartupLogger, logDestination } from './lib/logger.ts';
import { createShutdown } from './lib/shutdown.ts';
import { assertPortFree, portError, StartupError } from './lib/startup.ts';
import { UnreadableCredentialsError } from './modules/credentials/credentials.service.ts';
import { assertRedisReachable, describeRedis } from './modules/queue/redis-connection.ts';
import type { ProcessRole } from './plugins/services.ts';

const ROLES: Record<string, ProcessRole> = { start: 'main', main: 'main', worker: 'worker', webhook: 'webhook' };
const USAGE = 'usage: src/server.ts [main | worker [--concurrency=N] | webhook]';

/** The process's role and flags from argv (`npm run worker -- --concurrency=5`): n8n's `n8n worker --concurrency`. */
function parseArgs(argv: string[]): { role: ProcessRole; env: Record<string, string> } {
  const [command = 'main', ...rest] = argv;
  const role = ROLES[command];
  if (!role) throw new StartupError(`unknown command "${command}": ${USAGE}`);
  const env: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const match = /^--concurrency(?:=(.*))?$/.exec(arg);
    if (!match || role !== 'worker') throw new StartupError(`unknown option "${arg}" for ${command}: ${USAGE}`);
    const value = match[1] ?? rest[++i];
    if (!value || !/^\d+$/.test(value) || Number(value) < 1)
      throw new StartupError(`--concurrency needs a whole number above 0, such as --concurrency=10`);
    env.N8N_CONCURRENCY_PRODUCTION_LIMIT = value;
  }
  return { role, env };
}

/** What a worker or webhook processor needs before it can start, said with the variable to set. */
function assertRoleConfig(role: ProcessRole, config: ReturnType<typeof loadConfig>): void {
  if (role === 'main') return;
  const name = role === 'worker' ? 'A worker' : 'A webhook processor';
  if (!config.queue.enabled) {
    throw new StartupError(
      `${name} takes its executions from the queue: set EXECUTIONS_MODE=queue here and on the main instances (they must queue executions for it to run).`,
    );
  }
}

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
  let role: ProcessRole;
  try {
    const args = parseArgs(process.argv.slice(2));
    role = args.role;
    config = loadConfig({ ...process.env, ...args.env });
    assertRoleConfig(role, config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StartupError) {
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

  // A worker listens only for health checks and metrics, on its own port, and only when asked to.
  const listen =
    role === 'worker'
      ? config.queue.health.active || config.metrics.enabled
        ? { port: config.queue.health.port, variable: 'QUEUE_HEALTH_CHECK_PORT' }
        : undefined
      : { port: config.port, variable: 'N8N_PORT' };
  try {
    // Before anything is created: a start that cannot listen must not leave a database or a key behind.
    if (listen) await assertPortFree({ port: listen.port, host: config.host, variable: listen.variable });
    if (config.queue.enabled) await assertRedisReachable(config.queue.redis);

    // A worker or webhook processor shares the mains' database: DATABASE_URL, or the embedded one a main on this
    // machine runs under the same DATA_DIR. It never starts a database of its own.
    const database = await openDatabase(
      config,
      (level, msg) => log[level](msg),
      role === 'main' ? {} : { onlyRunning: role === 'worker' ? 'A worker' : 'A webhook processor' },
    );
    shutdown.add('database', () => database.close());
    if (database.embedded && role === 'main')
      log.info(`embedded PostgreSQL is running on 127.0.0.1:${config.embeddedPgPort} (data in ${config.dataDir})`);

    const applied = await migrateDatabase(database.url);
    if (applied.length) log.info({ migrations: applied }, 'database migrations applied');

    const app = await buildApp({ config, databaseUrl: database.url, logStream: destination, role });
    shutdown.add('http', () => app.close());
    if (role === 'main') {
      // A known key (N8N_API_KEY) is registered before listening, so it works from the first request.
      if (config.seedApiKey) await app.services.apiKeys.bootstrap(config.seedApiKey);
      await app.services.projects.defaultProject();
    }
    // A key that cannot read the stored credentials (wrong N8N_ENCRYPTION_KEY, lost key file) is refused in the
    // app's onReady, which listen (or ready) runs before binding the port (plugins/services.ts).
    // The port can still be taken between the check above and here.
    if (listen) {
      await app.listen({ port: listen.port, host: config.host }).catch((err: NodeJS.ErrnoException) => {
        throw err.code ? portError(err, { port: listen.port, host: config.host, variable: listen.variable }) : err;
      });
    } else await app.ready();

    const queueNote = config.queue.enabled ? ` (queue mode, Redis ${describeRedis(config.queue.redis)})` : '';
    if (role === 'worker') {
      log.info(
        `flowgate worker is ready${queueNote}: runs up to ${config.queue.concurrency} executions at once` +
          (listen ? `, health on port ${listen.port}` : ''),
      );
    } else if (role === 'webhook') {
      log.info(`flowgate webhook processor is ready${queueNote}: http://localhost:${config.port}/${config.webhook.prefix}/`);
    } else {
      const publicUrl = `http://localhost:${config.port}${config.publicApi.prefix}`;
      await createAndPrintOwnerKey(app, publicUrl);
      log.info(`flowgate is ready${queueNote}: API ${config.publicApi.disabled ? 'disabled' : publicUrl}, docs ${publicUrl}/docs`);
    }
  } catch (err) {
    // Expected failures say what to change; anything else keeps its stack for the bug report.
    if (err instanceof StartupError || err instanceof UnreadableCredentialsError) log.error(`start-up failed: ${err.message}`);
    else log.error({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown.fail('start-up failure');
  }
}

await main();
