import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Docker cannot run in CI, so this checks the compose file statically: the parts that would only fail at
 * `docker compose up` time (a drifted start command, a wrong database host, a missing variable) fail here.
 */

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Healthcheck {
  test?: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
}

interface Service {
  image?: string;
  init?: boolean;
  build?: { context?: string; dockerfile_inline?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition?: string; required?: boolean }> | string[];
  healthcheck?: Healthcheck;
  ports?: (string | number)[];
  profiles?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as ComposeFile;
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const envSource = read('src/config/env.ts');
const envExample = read('.env.example');

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Compose's ${VAR}, ${VAR:-default} and ${VAR-default} substitution, resolved against `vars`; `$$` is a literal `$`. */
function interpolate(value: string, vars: Record<string, string> = {}): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?-)([^}]*))?\}/g, (whole, name: string, op: string | undefined, fallback = '') => {
    if (whole === '$$') return '$';
    const v = vars[name];
    if (op === ':-') return v ? v : fallback;
    if (op === '-') return v ?? fallback;
    return v ?? '';
  });
}

/** Every key of the zod schema in src/config/env.ts (top-level keys of the object, indented four spaces). */
function schemaKeys(): string[] {
  return [...envSource.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
}

/** Compose durations such as "30s", "1m30s", "500ms", in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
  expect(parts.map((p) => p[0]).join('')).toBe(value);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] as string] as number), 0);
}

/** A deep copy of the file with every string interpolated, as `docker compose config` would print it. */
function interpolateAll<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, vars)])) as T;
  }
  return value;
}

/** The shell script the app service runs (`sh -c <script>`), with compose's `$$` turned into `$`. */
function appScript(): string {
  const command = service('app').command;
  expect(Array.isArray(command)).toBe(true);
  const [shell, flag, script] = command as string[];
  expect([shell, flag]).toEqual(['sh', '-c']);
  return interpolate(script as string);
}

/**
 * The Compose Specification's JSON schema (the format Docker Compose v2 reads), vendored unchanged from the npm
 * package dclint@3.1.0 (`schemas/compose.schema.json`; the schema itself is the compose-spec project's, Apache-2.0),
 * sha256 46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496. To update: `npm pack dclint@<version>`
 * and copy the file.
 */
const composeSchema = JSON.parse(read('test/fixtures/compose-spec.schema.json')) as Record<string, unknown>;
// The schema names draft-07 by an https URL Ajv does not know; its keywords are draft-07's.
const validateCompose = new Ajv({ strict: false, allErrors: true }).compile({ ...composeSchema, $schema: undefined });

describe('docker-compose.yml against the Compose Specification schema', () => {
  it('is valid as written and after interpolation, with and without settings', () => {
    for (const doc of [
      compose,
      interpolateAll(compose, {}),
      interpolateAll(compose, { POSTGRES_PASSWORD: 'p', REDIS_URL: 'redis://r:1' }),
    ]) {
      expect(validateCompose(doc), JSON.stringify(validateCompose.errors, null, 2)).toBe(true);
    }
  });

  it('rejects what Compose would reject (the check is not vacuous)', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    (broken.services.app as Record<string, unknown>).depends_on = { redis: { condition: 'service_healthy', required: 'no' } };
    expect(validateCompose(broken)).toBe(false);
    const misspelt = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    (misspelt.services.app as Record<string, unknown>).enviroment = {};
    expect(validateCompose(misspelt)).toBe(false);
  });
});

describe('docker-compose.yml', () => {
  it("parses and defines postgres, app, redis, and queue mode's worker and webhook processor", () => {
    expect(compose).toBeTypeOf('object');
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'redis', 'webhook', 'worker']);
  });

  it('runs queue mode with the queue profile: redis, two workers and a webhook processor, all on the app image and settings', () => {
    for (const name of ['worker', 'webhook']) {
      const queued = service(name);
      expect(queued.profiles).toEqual(['queue']);
      expect(queued.image).toBe(service('app').image);
      expect(queued.build).toEqual(service('app').build);
      // The same settings as the app (one YAML anchor), so a worker decrypts with the same key, uses the same database.
      expect(queued.environment).toEqual(service('app').environment);
      expect(queued.init).toBe(true);
      expect(queued.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      const lines = interpolate((queued.command as string[])[2] as string)
        .trim()
        .split('\n');
      expect(lines.at(-1)).toBe(`exec ${pkg.scripts[name]}`);
      expect(lines.join('\n')).toMatch(/export EXECUTIONS_MODE=queue/);
    }
    expect((service('worker') as Service & { deploy?: { replicas?: number } }).deploy?.replicas).toBe(2);
    expect(service('webhook').ports).toEqual(['5679:5678']);
    expect(pkg.scripts.worker).toBe('node --no-node-snapshot --import tsx src/server.ts worker');
    expect(pkg.scripts.webhook).toBe('node --no-node-snapshot --import tsx src/server.ts webhook');
  });

  it('starts redis only with the redis or queue profile, and postgres and app by default', () => {
    expect(service('redis').profiles).toEqual(['redis', 'queue']);
    expect(service('redis').image).toBe('redis:7-alpine');
    expect(service('postgres').profiles).toBeUndefined();
    expect(service('app').profiles).toBeUndefined();
  });

  it('runs postgres 18 with its data in a named volume at the path the 18+ image uses', () => {
    const postgres = service('postgres');
    expect(postgres.image).toBe('postgres:18-alpine');
    const mounts = postgres.volumes ?? [];
    expect(mounts).toHaveLength(1);
    const [volume, target] = (mounts[0] as string).split(':');
    expect(target).toBe('/var/lib/postgresql');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it('starts the app only once postgres is healthy, and once redis is healthy when the redis profile runs it', () => {
    expect(service('app').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      // required: false, or compose refuses to start the app without the profile (a dependency it disabled).
      redis: { condition: 'service_healthy', required: false },
      // Only with the queue profile: the workers first, so their name resolves when the app's command looks.
      worker: { condition: 'service_started', required: false },
    });
  });

  it('gives every service a healthcheck that probes the right thing', () => {
    const testOf = (name: string) => {
      const test = service(name).healthcheck?.test;
      expect(Array.isArray(test), `${name} healthcheck.test must be an exec-form array`).toBe(true);
      return (test as string[]).join(' ');
    };
    for (const name of Object.keys(compose.services)) expect(testOf(name).length).toBeGreaterThan(0);
    expect(testOf('postgres')).toMatch(/^CMD-SHELL pg_isready /);
    expect(testOf('redis')).toBe('CMD redis-cli ping');
    const app = testOf('app');
    expect(app).toMatch(/^CMD node -e /);
    expect(app).toContain("fetch('http://127.0.0.1:5678/healthz/readiness')");
    expect(testOf('webhook')).toContain("fetch('http://127.0.0.1:5678/healthz/readiness')");
    // A worker's health server: QUEUE_HEALTH_CHECK_PORT as its command sets it.
    expect(testOf('worker')).toContain("fetch('http://127.0.0.1:5680/healthz/readiness')");
    expect((service('worker').command as string[])[2]).toContain('QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT=5680');
  });

  it("ends by exec'ing exactly package.json's start script, so node itself receives SIGTERM", () => {
    const script = appScript();
    const lines = script.trim().split('\n');
    expect(lines.at(-1)).toBe(`exec ${pkg.scripts.start}`);
    expect(pkg.scripts.start).toBe('node --no-node-snapshot --import tsx src/server.ts');
    // Nothing may run after the server or keep the shell alive in front of it.
    expect(lines.filter((l) => /\bexec\b/.test(l))).toHaveLength(1);
    expect(service('app').init).toBe(true);
    // The image's own CMD (a plain `docker run`) is the same command.
    const cmd = (service('app').build?.dockerfile_inline ?? '').split('\n').find((l) => l.trim().startsWith('CMD '));
    expect(JSON.parse((cmd as string).trim().slice(4)).join(' ')).toBe(pkg.scripts.start);
  });

  describe('REDIS_URL with and without the redis profile (the command run by a real sh)', () => {
    // Stand-ins on PATH: getent answers as Docker's DNS does (the name "redis" resolves only while the redis
    // service runs on the project network), and node prints the environment it was started with.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'flowgate-compose-'));
    afterAll(() => rmSync(bin, { recursive: true, force: true }));
    writeFileSync(
      path.join(bin, 'getent'),
      '#!/bin/sh\n{ [ "$1 $2" = "hosts redis" ] && [ -n "$REDIS_RUNNING" ]; } || { [ "$1 $2" = "hosts worker" ] && [ -n "$WORKER_RUNNING" ]; }\n',
    );
    writeFileSync(
      path.join(bin, 'node'),
      '#!/bin/sh\necho "REDIS_URL=$REDIS_URL"\necho "ARGS=$*"\necho "EXECUTIONS_MODE=$EXECUTIONS_MODE"\n',
    );
    chmodSync(path.join(bin, 'getent'), 0o755);
    chmodSync(path.join(bin, 'node'), 0o755);

    function runApp(env: Record<string, string>) {
      const command = service('app').command as string[];
      const [shell, flag, script] = command.map((part) => interpolate(part, env));
      const appEnv = interpolate(String(service('app').environment?.REDIS_URL), env);
      const mode = interpolate(String(service('app').environment?.EXECUTIONS_MODE), env);
      const result = spawnSync(shell as string, [flag as string, script as string], {
        env: {
          PATH: `${bin}:/usr/bin:/bin`,
          REDIS_URL: appEnv,
          EXECUTIONS_MODE: mode,
          ...(env.REDIS_RUNNING ? { REDIS_RUNNING: '1' } : {}),
          ...(env.WORKER_RUNNING ? { WORKER_RUNNING: '1' } : {}),
        },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      return result.stdout;
    }

    it('uses the redis service when the profile runs it', () => {
      expect(runApp({ REDIS_RUNNING: '1' })).toBe(
        'REDIS_URL=redis://redis:6379\nARGS=--no-node-snapshot --import tsx src/server.ts\nEXECUTIONS_MODE=\n',
      );
    });

    it('runs the app in queue mode when the queue profile runs workers, unless EXECUTIONS_MODE says otherwise', () => {
      expect(runApp({ REDIS_RUNNING: '1', WORKER_RUNNING: '1' })).toMatch(/EXECUTIONS_MODE=queue\n$/);
      expect(runApp({ REDIS_RUNNING: '1', WORKER_RUNNING: '1', EXECUTIONS_MODE: 'regular' })).toMatch(/EXECUTIONS_MODE=regular\n$/);
      expect(runApp({ REDIS_RUNNING: '1' })).toMatch(/EXECUTIONS_MODE=\n$/);
    });

    it('keeps counters in memory without the profile', () => {
      expect(runApp({})).toMatch(/^REDIS_URL=\n/);
    });

    it("keeps the user's REDIS_URL either way", () => {
      expect(runApp({ REDIS_URL: 'redis://elsewhere:6380' })).toMatch(/^REDIS_URL=redis:\/\/elsewhere:6380\n/);
      expect(runApp({ REDIS_URL: 'redis://elsewhere:6380', REDIS_RUNNING: '1' })).toMatch(/^REDIS_URL=redis:\/\/elsewhere:6380\n/);
    });
  });

  it('points DATABASE_URL at the postgres service with its credentials', () => {
    const env = service('app').environment ?? {};
    const postgresEnv = service('postgres').environment ?? {};
    const cases: Record<string, string>[] = [{}, { POSTGRES_USER: 'u1', POSTGRES_PASSWORD: 'p1', POSTGRES_DB: 'd1' }];
    for (const vars of cases) {
      const url = new URL(interpolate(String(env.DATABASE_URL), vars));
      expect(url.protocol).toBe('postgresql:');
      expect(url.hostname).toBe('postgres');
      expect(url.port).toBe('5432');
      expect(url.username).toBe(interpolate(String(postgresEnv.POSTGRES_USER), vars));
      expect(url.password).toBe(interpolate(String(postgresEnv.POSTGRES_PASSWORD), vars));
      expect(url.pathname).toBe(`/${interpolate(String(postgresEnv.POSTGRES_DB), vars)}`);
    }
    expect(interpolate(String(postgresEnv.POSTGRES_USER))).not.toBe('');
  });

  it('passes N8N_API_KEY, N8N_ENCRYPTION_KEY and REDIS_URL through from the host, empty by default', () => {
    const env = service('app').environment ?? {};
    // `${NAME:-}`: the host's value when set, otherwise empty (which the config treats as unset).
    for (const name of ['N8N_API_KEY', 'N8N_ENCRYPTION_KEY', 'REDIS_URL']) expect(env[name], name).toBe(`\${${name}:-}`);
    expect(interpolate(String(env.N8N_API_KEY), { N8N_API_KEY: 'k'.repeat(24) })).toBe('k'.repeat(24));
    expect(String(env.N8N_PORT)).toBe('5678');
  });

  it('sets or deliberately omits every variable that src/config/env.ts reads', () => {
    const env = service('app').environment ?? {};
    const embeddedOnly = ['DATA_DIR', 'EMBEDDED_PG_PORT'];
    for (const key of schemaKeys()) {
      if (embeddedOnly.includes(key)) expect(env, key).not.toHaveProperty(key);
      else expect(env, key).toHaveProperty(key);
    }
  });

  it('lets the app finish its graceful shutdown before Docker sends SIGKILL', () => {
    const app = service('app');
    const graceMs = durationMs(String(app.stop_grace_period));
    expect(graceMs).toBe(30_000);
    const shutdownSeconds = Number(interpolate(String(app.environment?.N8N_GRACEFUL_SHUTDOWN_TIMEOUT)));
    expect(shutdownSeconds).toBeGreaterThan(0);
    expect(shutdownSeconds * 1000).toBeLessThan(graceMs);
  });

  it('builds the app from an inline Dockerfile that installs with npm ci and runs as node', () => {
    const build = service('app').build;
    expect(build?.context).toBe('.');
    const dockerfile = build?.dockerfile_inline ?? '';
    const lines = dockerfile.split('\n').map((l) => l.trim());
    expect(lines[0]).toBe('FROM node:20-bookworm-slim');
    // npm ci runs in the layer that installs (and then removes) the native build tools isolated-vm needs.
    const npmCi = lines.findIndex((l) => /^RUN apt-get .*python3 make g\+\+/.test(l));
    expect(lines[npmCi + 1]).toMatch(/^&& npm ci --omit=dev\b/);
    expect(npmCi).toBeGreaterThan(0);
    // postinstall runs prisma generate, which needs the schema and prisma.config.ts before npm ci.
    const copiedBefore = lines.slice(0, npmCi).filter((l) => l.startsWith('COPY '));
    for (const needed of ['package-lock.json', 'prisma.config.ts', 'prisma ', 'src/cli/prisma-offline.mjs']) {
      expect(copiedBefore.join('\n'), needed).toContain(needed);
    }
    const user = lines.findIndex((l) => l.startsWith('USER '));
    expect(lines[user]).toBe('USER node');
    expect(user).toBeGreaterThan(npmCi);
    // Compose interpolates dockerfile_inline too: a stray $ would be replaced before Docker sees it.
    expect(dockerfile).not.toContain('$');
  });

  it('publishes port 5678', () => {
    expect(service('app').ports).toEqual(['5678:5678']);
  });
});

describe('.env.example', () => {
  it('documents every variable of the schema in src/config/env.ts', () => {
    const keys = schemaKeys();
    // Guards the extraction itself: a regex that matches nothing would make the next check vacuous.
    expect(keys).toContain('DATABASE_URL');
    expect(keys).toContain('LOG_LEVEL');
    expect(keys.length).toBeGreaterThanOrEqual(20);
    for (const key of keys) expect(envExample, key).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });

  it('says that the server does not load .env files itself', () => {
    expect(envExample).toMatch(/does NOT load \.env files/);
  });
});

describe('.dockerignore', () => {
  it('keeps host dependencies, generated code and local data out of the build context', () => {
    const entries = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'src/generated', 'data', '.git', '.env']) expect(entries).toContain(entry);
  });
});
