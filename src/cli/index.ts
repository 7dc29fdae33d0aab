import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config/env.ts';
import { createSqlPool } from '../db/client.ts';
import { openDatabase } from '../db/database.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { diffSchemaSql } from '../db/migration-engine.ts';
import { displayKeyHint } from '../modules/api-keys/api-keys.crypto.ts';
import { toApiKeyDto } from '../modules/api-keys/api-keys.schemas.ts';
import { createApiKeysService } from '../modules/api-keys/api-keys.service.ts';
import { isGrantableScope } from '../modules/api-keys/scopes.ts';
import { rotateCredentialKey } from '../modules/credentials/credentials.service.ts';
import { KEY_FILE } from '../modules/credentials/encryption-key.ts';
import { parseExpiry } from './expiry.ts';

const USAGE = `Usage: npm run cli -- <command>

  api-key create --label <name> --scopes <scope,scope,...> [--user <email>] [--expires <30d | ISO date>]
                                                a key for that user (the owner by default), within their role
  api-key list [--json]
  api-key revoke <id>
  db migrate
  credentials rotate-key --new-key-file <path>   re-encrypt every credential with the key in that file
                                                (refused while a server runs on the database: stop them first)
  db diff [--from <old schema.prisma>]   print the SQL for a new migration (from an empty database without --from)

Scopes use n8n's names (workflow:read, execution:list, ...), resource:* or * for all. Quote them in a shell
(--scopes '*', --scopes 'workflow:*'): an unquoted * is expanded into file names.
With no DATABASE_URL the CLI uses the embedded database in DATA_DIR (the running server's, if one is up).`;

class UsageError extends Error {}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const database = await openDatabase(config, (level, msg) => log[level](msg), { reuseRunning: true });
  try {
    await migrateDatabase(database.url);
    return await fn(database.url);
  } finally {
    await database.close();
  }
}

/** A small pg pool on the database for the length of `fn`. */
async function withSqlPool<T>(fn: (sql: ReturnType<typeof createSqlPool>) => Promise<T>): Promise<T> {
  return withDatabase(async (url) => {
    const sql = createSqlPool(url, { poolSize: 2 });
    try {
      return await fn(sql);
    } finally {
      await sql.end();
    }
  });
}

async function withApiKeys<T>(fn: (service: ReturnType<typeof createApiKeysService>) => Promise<T>): Promise<T> {
  return withSqlPool((sql) => fn(createApiKeysService({ sql, cacheTtlMs: 0, log: pino({ level: 'warn' }) })));
}

async function apiKeyCommand(action: string | undefined, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      scopes: { type: 'string' },
      user: { type: 'string' },
      expires: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  switch (action) {
    case 'create': {
      if (!values.label || !values.scopes) throw new UsageError('api-key create needs --label and --scopes');
      const scopes = values.scopes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const expanded = scopes.filter((s) => !isGrantableScope(s) && existsSync(s));
      if (expanded.length) {
        throw new UsageError(
          `--scopes got file names (${expanded.join(', ')}): the shell expanded an unquoted *. Quote it: --scopes '*' or --scopes 'workflow:*'`,
        );
      }
      const expiresAt = values.expires ? parseExpiry(values.expires) : undefined;
      const { apiKey, key } = await withApiKeys((s) => s.create({ label: values.label!, scopes, expiresAt, userEmail: values.user }));
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ id: apiKey.id, label: apiKey.label, scopes: apiKey.scopes, expiresAt: apiKey.expiresAt, apiKey: key })}\n`,
        );
      } else {
        const owner = values.user ? ` for ${values.user.toLowerCase()}` : '';
        process.stdout.write(`Created API key ${apiKey.id} (${apiKey.label})${owner} with scopes ${apiKey.scopes.join(',')}.\n`);
        process.stdout.write(`It is shown only this once:\n\n  ${key}\n\n`);
      }
      return;
    }
    case 'list': {
      const keys = await withApiKeys(async (s) => {
        const all = [];
        let cursor: string | undefined;
        do {
          const page = await s.list(undefined, { limit: 250, cursor });
          all.push(...page.data);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return all;
      });
      if (values.json) {
        // The API's own shape, so a key looks the same (keyHint included) wherever it is listed.
        process.stdout.write(`${JSON.stringify(keys.map(toApiKeyDto))}\n`);
        return;
      }
      for (const k of keys) {
        const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= new Date() ? 'expired' : 'active';
        const expiry = k.expiresAt ? `${state === 'expired' ? 'expired' : 'expires'} ${k.expiresAt.toISOString()}` : 'never expires';
        process.stdout.write(
          `${k.id}  ${state.padEnd(7)}  ${displayKeyHint(k.keyHint)}  ${k.label}  [${k.scopes.join(',')}]  ${expiry}  last used ${k.lastUsedAt?.toISOString() ?? 'never'}\n`,
        );
      }
      if (!keys.length) process.stdout.write('No API keys.\n');
      return;
    }
    case 'revoke': {
      const id = positionals[0];
      if (!id) throw new UsageError('api-key revoke needs the key id (see api-key list)');
      const notice = await withApiKeys(async (s) => {
        await s.revoke(id);
        return s.missingOwnerKeyNotice();
      });
      process.stdout.write(`Revoked API key ${id}.\n${notice ? `${notice}\n` : ''}`);
      return;
    }
    default:
      throw new UsageError(`unknown api-key command "${action ?? ''}"`);
  }
}

async function main(argv: string[]) {
  const [group, action, ...rest] = argv;
  if (group === 'api-key') return apiKeyCommand(action, rest);
  if (group === 'credentials' && action === 'rotate-key') {
    const { values } = parseArgs({ args: rest, options: { 'new-key-file': { type: 'string' } } });
    if (!values['new-key-file']) throw new UsageError('credentials rotate-key needs --new-key-file <path> (a file holding the new key)');
    const newSecret = (await readFile(values['new-key-file'], 'utf8')).trim();
    if (newSecret.length < 16) throw new UsageError('the new key must be at least 16 characters long');
    const config = loadConfig();
    const oldSecret = config.encryptionKey ?? (await readFile(path.join(config.dataDir, KEY_FILE), 'utf8').catch(() => '')).trim();
    if (!oldSecret) throw new UsageError('no current key: set N8N_ENCRYPTION_KEY or keep DATA_DIR/encryption-key');
    const count = await withSqlPool((sql) => rotateCredentialKey(sql, oldSecret, newSecret));
    if (!config.encryptionKey) await writeFile(path.join(config.dataDir, KEY_FILE), `${newSecret}\n`, { mode: 0o600 });
    const next = config.encryptionKey
      ? `Start the servers with N8N_ENCRYPTION_KEY set to the new key (the one in ${values['new-key-file']}); a server started with the old key refuses to start.`
      : `${path.join(config.dataDir, KEY_FILE)} now holds the new key; start the server.`;
    process.stdout.write(`Re-encrypted ${count} credential(s).\n${next}\n`);
    return;
  }
  if (group === 'db' && action === 'diff') {
    const { values } = parseArgs({ args: rest, options: { from: { type: 'string' } } });
    const from = values.from ? await readFile(values.from, 'utf8') : undefined;
    process.stdout.write(await withDatabase((url) => diffSchemaSql(url, from)));
    return;
  }
  if (group === 'db' && action === 'migrate') {
    const applied = await withDatabase((url) => migrateDatabase(url));
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
    return;
  }
  if (!group || group === 'help' || group === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new UsageError(`unknown command "${argv.join(' ')}"`);
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (err) {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
  if (err instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
