import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TIMEZONE, isTimeZone } from '../engine/workflow-timezone.ts';

/** Runner processes for user code: one per core, at least two (a slow Code node then does not hold up every run). */
const DEFAULT_RUNNERS = Math.max(2, Math.min(8, os.availableParallelism()));

import { DEFAULT_BLOCKED_RANGES, type InternalPort } from '../lib/net/address-policy.ts';
import { parseHostPattern, splitList } from '../lib/net/host-patterns.ts';
import { parseIpRange } from '../lib/net/ip-address.ts';

/** Empty strings count as unset: docker-compose and .env files often pass `VAR=` for "not configured". */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const bool = (fallback: boolean) =>
  z
    .preprocess((v) => (v === '' || v === undefined ? undefined : String(v).toLowerCase()), z.enum(['true', 'false', '1', '0']).optional())
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? String(fallback) : v),
    z.string().regex(/^\d+$/, 'must be a whole number written in digits').transform(Number).pipe(z.number().int().min(min).max(max)),
  );

/** n8n writes "no limit" as -1; here it becomes 0. */
const seconds = (fallback: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? String(fallback) : v === '-1' ? '0' : v),
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of seconds (or -1 for none)')
      .transform(Number)
      .pipe(z.number().int().min(0).max(max)),
  );

/** A comma-separated list; each entry that `problemOf` objects to is reported by name. */
const list = (fallback: string, problemOf: (entry: string) => string | undefined) =>
  z
    .preprocess((v) => (v === '' || v === undefined ? fallback : v), z.string())
    .transform((text, ctx) => {
      const entries = splitList(text);
      for (const entry of entries) {
        const problem = problemOf(entry);
        if (problem) ctx.addIssue({ code: 'custom', message: `"${entry}" ${problem}` });
      }
      return entries;
    });

const ipRanges = (fallback: string, alsoAllowed?: string) =>
  list(fallback, (entry) =>
    entry === alsoAllowed || parseIpRange(entry)
      ? undefined
      : `is not an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8${alsoAllowed ? ` (or "${alsoAllowed}")` : ''}`,
  );

const EnvSchema = z
  .object({
    N8N_PORT: int(5678, 0, 65535),
    N8N_LISTEN_ADDRESS: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('0.0.0.0')),
    DATABASE_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL connection URL such as postgresql://user:pass@host:5432/db')
        .optional(),
    ),
    DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('./data')),
    EMBEDDED_PG_PORT: int(54329, 1, 65535).refine((p) => p !== 5432, {
      message: 'must not be 5432: that port belongs to a system PostgreSQL; pick another, e.g. 54329',
    }),
    N8N_ENCRYPTION_KEY: optionalString,
    N8N_PUBLIC_API_DISABLED: bool(false),
    N8N_PUBLIC_API_ENDPOINT: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_-]+)*$/, 'must be a path segment such as "api" (no leading or trailing slash)')
        .default('api'),
    ),
    N8N_PUBLIC_API_SWAGGERUI_DISABLED: bool(false),
    N8N_API_KEY: optionalString.refine((v) => v === undefined || v.length >= 24, {
      message: 'must be at least 24 characters long; generate one with `openssl rand -hex 24`',
    }),
    N8N_PAYLOAD_SIZE_MAX: int(16, 1, 1024),
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: int(30, 1, 3600),
    REDIS_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^rediss?:\/\//, 'must be a Redis URL such as redis://127.0.0.1:6379')
        // Said without the value: it may hold a password. (Characters such as / or # in one must be %-encoded.)
        .refine((v) => URL.canParse(v), 'is not a valid URL; %-encode special characters in the user name and password')
        .optional(),
    ),
    EXECUTIONS_MODE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['regular', 'queue']).default('regular')),
    QUEUE_BULL_REDIS_HOST: optionalString,
    QUEUE_BULL_REDIS_PORT: int(6379, 1, 65535),
    QUEUE_BULL_REDIS_USERNAME: optionalString,
    QUEUE_BULL_REDIS_PASSWORD: optionalString,
    QUEUE_BULL_REDIS_DB: int(0, 0, 1024),
    QUEUE_BULL_REDIS_TLS: bool(false),
    QUEUE_BULL_PREFIX: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^[a-zA-Z0-9_.-]+$/, 'must be a Redis key prefix of letters, digits, _ . and -')
        .default('bull'),
    ),
    N8N_CONCURRENCY_PRODUCTION_LIMIT: z.preprocess(
      (v) => (v === '' || v === undefined || v === '-1' ? '10' : v),
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number (or -1 for the default, 10)')
        .transform(Number)
        .pipe(z.number().int().min(1).max(1000)),
    ),
    QUEUE_HEALTH_CHECK_ACTIVE: bool(false),
    QUEUE_HEALTH_CHECK_PORT: int(5678, 0, 65535),
    RATE_LIMIT_MAX: int(1000, 1, 100_000_000),
    RATE_LIMIT_WINDOW_MS: int(300_000, 1000, 86_400_000),
    RATE_LIMIT_KEY_READ_MAX: int(1200, 0, 100_000_000),
    RATE_LIMIT_KEY_WRITE_MAX: int(300, 0, 100_000_000),
    RATE_LIMIT_KEY_WINDOW_MS: int(60_000, 1000, 86_400_000),
    RATE_LIMIT_WEBHOOK_MAX: int(6000, 0, 100_000_000),
    API_KEY_CACHE_TTL_MS: int(5000, 0, 60_000),
    WORKFLOW_CACHE_MB: int(64, 0, 4096),
    N8N_DATA_TABLES_MAX_SIZE_BYTES: int(50 * 1024 * 1024, 0, Number.MAX_SAFE_INTEGER),
    TRUST_PROXY: z.preprocess(
      (v) => (v === '' || v === undefined ? 'false' : String(v).toLowerCase()),
      z
        .string()
        .regex(
          /^(true|false|\d+|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/,
          'must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
        )
        .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
    ),
    DATABASE_POOL_SIZE: int(10, 1, 1000),
    EXECUTIONS_TIMEOUT: seconds(0, 31_536_000),
    EXECUTIONS_TIMEOUT_MAX: seconds(3600, 31_536_000),
    EXECUTIONS_DATA_PRUNE: bool(true),
    EXECUTIONS_DATA_MAX_AGE: int(336, 1, 1_000_000),
    EXECUTIONS_DATA_PRUNE_MAX_COUNT: int(10_000, 0, 1_000_000_000),
    EXECUTIONS_DATA_PRUNE_INTERVAL_MS: int(3_600_000, 100, 86_400_000),
    EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: bool(true),
    EXECUTIONS_WAIT_IN_PROCESS_MS: int(65_000, 0, 3_600_000),
    TRIGGER_POLL_INTERVAL_MS: int(1000, 20, 60_000),
    INSTANCE_LEASE_SECONDS: int(30, 1, 3600),
    GENERIC_TIMEZONE: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .default(DEFAULT_TIMEZONE)
        .refine((tz) => isTimeZone(tz), { message: 'must be an IANA time zone such as UTC or Europe/Berlin' }),
    ),
    N8N_BLOCK_ENV_ACCESS_IN_NODE: bool(true),
    N8N_RUNNERS_TASK_TIMEOUT: int(60, 1, 3600),
    N8N_RUNNERS_MAX_OLD_SPACE_SIZE: int(512, 16, 8192),
    N8N_RUNNERS_MAX_CONCURRENCY: int(DEFAULT_RUNNERS, 1, 64),
    N8N_EXPRESSION_TIMEOUT_MS: int(1000, 10, 60_000),
    WEBHOOK_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^https?:\/\//, 'must be the public base URL such as https://flows.example.com/')
        .optional(),
    ),
    N8N_ENDPOINT_WEBHOOK: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^[a-zA-Z0-9_-]+$/, 'must be one path segment such as "webhook"')
        .default('webhook'),
    ),
    LOG_LEVEL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    N8N_SSRF_PROTECTION_ENABLED: bool(false),
    N8N_METRICS: bool(false),
    N8N_METRICS_PREFIX: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name prefix: letters, digits, _ and :, not starting with a digit')
      .default('n8n_'),
    N8N_SSRF_BLOCKED_IP_RANGES: ipRanges('default', 'default'),
    N8N_SSRF_ALLOWED_IP_RANGES: ipRanges(''),
    N8N_SSRF_ALLOWED_HOSTNAMES: list('', (entry) =>
      parseHostPattern(entry) ? undefined : 'is not a hostname pattern such as api.internal, *.example.com or localhost:5678',
    ),
    N8N_HTTP_REQUEST_MAX_RESPONSE_MB: int(64, 1, 1024),
    N8N_DEFAULT_BINARY_DATA_MODE: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .enum(['filesystem', 'database', 'default'], {
          message: 'must be filesystem (files under DATA_DIR), database (in PostgreSQL, for several instances) or default (in memory)',
        })
        .default('filesystem'),
    ),
    N8N_BINARY_DATA_MAX_MB: int(200, 1, 16_384),
    N8N_RESTRICT_FILE_ACCESS_TO: optionalString,
    NODES_EXCLUDE: z.preprocess(
      (v) => (v === '' || v === undefined ? JSON.stringify(DEFAULT_NODES_EXCLUDE) : v),
      z.string().transform((text, ctx) => {
        const list = parseTypeList(text);
        if (!list)
          ctx.addIssue({
            code: 'custom',
            message: 'must be a JSON list of node types such as ["n8n-nodes-base.executeCommand"] (or [] for none)',
          });
        return list ?? [];
      }),
    ),
  })
  .transform((env) =>
    Object.freeze({
      port: env.N8N_PORT,
      host: env.N8N_LISTEN_ADDRESS,
      databaseUrl: env.DATABASE_URL,
      dataDir: path.resolve(env.DATA_DIR),
      embeddedPgPort: env.EMBEDDED_PG_PORT,
      encryptionKey: env.N8N_ENCRYPTION_KEY,
      publicApi: Object.freeze({
        disabled: env.N8N_PUBLIC_API_DISABLED,
        prefix: `/${env.N8N_PUBLIC_API_ENDPOINT}/v1`,
        docsDisabled: env.N8N_PUBLIC_API_SWAGGERUI_DISABLED,
      }),
      seedApiKey: env.N8N_API_KEY,
      bodyLimitBytes: env.N8N_PAYLOAD_SIZE_MAX * 1024 * 1024,
      shutdownTimeoutMs: env.N8N_GRACEFUL_SHUTDOWN_TIMEOUT * 1000,
      redisUrl: env.REDIS_URL,
      queue: Object.freeze({
        enabled: env.EXECUTIONS_MODE === 'queue',
        redis: queueRedisOf(env),
        prefix: env.QUEUE_BULL_PREFIX,
        concurrency: env.N8N_CONCURRENCY_PRODUCTION_LIMIT,
        health: Object.freeze({ active: env.QUEUE_HEALTH_CHECK_ACTIVE, port: env.QUEUE_HEALTH_CHECK_PORT }),
      }),
      metrics: Object.freeze({ enabled: env.N8N_METRICS, prefix: env.N8N_METRICS_PREFIX }),
      rateLimit: Object.freeze({
        ipMax: env.RATE_LIMIT_MAX,
        ipWindowMs: env.RATE_LIMIT_WINDOW_MS,
        keyReadMax: env.RATE_LIMIT_KEY_READ_MAX,
        keyWriteMax: env.RATE_LIMIT_KEY_WRITE_MAX,
        keyWindowMs: env.RATE_LIMIT_KEY_WINDOW_MS,
        webhookIpMax: env.RATE_LIMIT_WEBHOOK_MAX,
      }),
      apiKeyCacheTtlMs: env.API_KEY_CACHE_TTL_MS,
      workflowCacheBytes: env.WORKFLOW_CACHE_MB * 1024 * 1024,
      dataTablesMaxBytes: env.N8N_DATA_TABLES_MAX_SIZE_BYTES,
      trustProxy: env.TRUST_PROXY,
      databasePoolSize: env.DATABASE_POOL_SIZE,
      logLevel: env.LOG_LEVEL,
      executions: Object.freeze({
        timeoutSeconds: env.EXECUTIONS_TIMEOUT,
        maxTimeoutSeconds: env.EXECUTIONS_TIMEOUT_MAX,
        prune: env.EXECUTIONS_DATA_PRUNE,
        maxAgeHours: env.EXECUTIONS_DATA_MAX_AGE,
        maxCount: env.EXECUTIONS_DATA_PRUNE_MAX_COUNT,
        pruneIntervalMs: env.EXECUTIONS_DATA_PRUNE_INTERVAL_MS,
        saveManual: env.EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS,
        inProcessWaitMs: env.EXECUTIONS_WAIT_IN_PROCESS_MS,
        triggerPollMs: env.TRIGGER_POLL_INTERVAL_MS,
        leaseMs: env.INSTANCE_LEASE_SECONDS * 1000,
      }),
      timezone: env.GENERIC_TIMEZONE,
      runners: Object.freeze({
        envAccess: !env.N8N_BLOCK_ENV_ACCESS_IN_NODE,
        count: env.N8N_RUNNERS_MAX_CONCURRENCY,
        taskTimeoutMs: env.N8N_RUNNERS_TASK_TIMEOUT * 1000,
        memoryLimitMb: env.N8N_RUNNERS_MAX_OLD_SPACE_SIZE,
        expressionTimeoutMs: env.N8N_EXPRESSION_TIMEOUT_MS,
        maxExecutionsPerRunner: 16,
      }),
      webhook: Object.freeze({
        baseUrl: (env.WEBHOOK_URL ?? `http://localhost:${env.N8N_PORT}/`).replace(/\/?$/, '/'),
        prefix: env.N8N_ENDPOINT_WEBHOOK,
      }),
      httpRequest: Object.freeze({
        maxResponseBytes: env.N8N_HTTP_REQUEST_MAX_RESPONSE_MB * 1024 * 1024,
        ssrf: Object.freeze({
          blockPrivate: env.N8N_SSRF_PROTECTION_ENABLED,
          blockedRanges: env.N8N_SSRF_BLOCKED_IP_RANGES.flatMap((entry) => (entry === 'default' ? DEFAULT_BLOCKED_RANGES : [entry])),
          allowedRanges: env.N8N_SSRF_ALLOWED_IP_RANGES,
          allowedHostnames: env.N8N_SSRF_ALLOWED_HOSTNAMES,
        }),
        internalPorts: internalPortsOf(env),
      }),
      nodesExclude: Object.freeze(env.NODES_EXCLUDE),
      binaryData: Object.freeze({ mode: env.N8N_DEFAULT_BINARY_DATA_MODE, maxBytes: env.N8N_BINARY_DATA_MAX_MB * 1024 * 1024 }),
      // n8n's list is separated by semicolons; by default nodes reach only DATA_DIR/files.
      fileAccess: Object.freeze(
        (env.N8N_RESTRICT_FILE_ACCESS_TO ?? path.join(env.DATA_DIR, 'files'))
          .split(';')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .map((entry) => path.resolve(entry)),
      ),
    }),
  );

/**
 * Nodes that run commands on a machine are off unless an administrator turns them on, as in n8n 2.x (which excludes
 * Execute Command and Local File Trigger); SSH is off here too.
 */
const DEFAULT_NODES_EXCLUDE = ['n8n-nodes-base.executeCommand', 'n8n-nodes-base.localFileTrigger', 'n8n-nodes-base.ssh'];

/** n8n's NODES_EXCLUDE is a JSON list; a comma-separated list is taken too. */
function parseTypeList(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed);
      return Array.isArray(parsed) && parsed.every((entry) => typeof entry === 'string') ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Where the queue's Redis is, with the variables that said so (named in errors): n8n's QUEUE_BULL_REDIS_*, else REDIS_URL. */
export interface QueueRedis {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
  /** Which setting to change when Redis cannot be reached. */
  setting: string;
}

/** A user name or password with a stray % (not an escape) is taken as written. */
function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function queueRedisOf(env: {
  QUEUE_BULL_REDIS_HOST?: string;
  QUEUE_BULL_REDIS_PORT: number;
  QUEUE_BULL_REDIS_USERNAME?: string;
  QUEUE_BULL_REDIS_PASSWORD?: string;
  QUEUE_BULL_REDIS_DB: number;
  QUEUE_BULL_REDIS_TLS: boolean;
  REDIS_URL?: string;
}): QueueRedis {
  if (!env.QUEUE_BULL_REDIS_HOST && env.REDIS_URL) {
    const url = new URL(env.REDIS_URL);
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || 6379,
      ...(url.username ? { username: decodeOrKeep(url.username) } : {}),
      ...(url.password ? { password: decodeOrKeep(url.password) } : {}),
      db: Number(url.pathname.slice(1)) || 0,
      tls: url.protocol === 'rediss:',
      setting: 'REDIS_URL',
    };
  }
  return {
    host: env.QUEUE_BULL_REDIS_HOST ?? 'localhost',
    port: env.QUEUE_BULL_REDIS_PORT,
    ...(env.QUEUE_BULL_REDIS_USERNAME ? { username: env.QUEUE_BULL_REDIS_USERNAME } : {}),
    ...(env.QUEUE_BULL_REDIS_PASSWORD ? { password: env.QUEUE_BULL_REDIS_PASSWORD } : {}),
    db: env.QUEUE_BULL_REDIS_DB,
    tls: env.QUEUE_BULL_REDIS_TLS,
    setting: env.QUEUE_BULL_REDIS_HOST ? 'QUEUE_BULL_REDIS_HOST / QUEUE_BULL_REDIS_PORT' : 'QUEUE_BULL_REDIS_HOST (or REDIS_URL)',
  };
}

/**
 * The ports of this server and of the services it runs on this machine, which HTTP Request nodes may not reach on
 * its own addresses: its API, and its PostgreSQL and Redis when they listen on loopback.
 */
function internalPortsOf(env: { N8N_PORT: number; EMBEDDED_PG_PORT: number; DATABASE_URL?: string; REDIS_URL?: string }): InternalPort[] {
  const ports: InternalPort[] = [];
  // Port 0 picks a free port at listen time: there is no port to name here.
  if (env.N8N_PORT > 0) ports.push({ port: env.N8N_PORT, what: "this server's HTTP port", setting: 'N8N_PORT' });
  if (!env.DATABASE_URL) ports.push({ port: env.EMBEDDED_PG_PORT, what: 'the embedded PostgreSQL', setting: 'EMBEDDED_PG_PORT' });
  const database = loopbackPortOf(env.DATABASE_URL, 5432);
  if (database) ports.push({ port: database, what: "this server's PostgreSQL", setting: 'DATABASE_URL' });
  const redis = loopbackPortOf(env.REDIS_URL, 6379);
  if (redis) ports.push({ port: redis, what: "this server's Redis", setting: 'REDIS_URL' });
  return ports;
}

function loopbackPortOf(url: string | undefined, defaultPort: number): number | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? Number(parsed.port) || defaultPort : undefined;
}

export type Config = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; every problem is reported together so a user fixes them in one go. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  return result.data;
}
