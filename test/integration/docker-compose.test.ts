import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
  build?: { context?: string; dockerfile_inline?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition?: string }> | string[];
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

/** Compose's ${VAR}, ${VAR:-default} and ${VAR-default} substitution, resolved against `vars`. */
function interpolate(value: string, vars: Record<string, string> = {}): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:?-)([^}]*))?\}/g, (_, name: string, op: string | undefined, fallback = '') => {
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

describe('docker-compose.yml', () => {
  it('parses and defines postgres, app and redis', () => {
    expect(compose).toBeTypeOf('object');
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'redis']);
  });

  it('starts redis only with the redis profile, and postgres and app by default', () => {
    expect(service('redis').profiles).toEqual(['redis']);
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

  it('starts the app only once postgres is healthy', () => {
    expect(service('app').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
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
  });

  it("runs exactly package.json's start script, in exec form, so node itself receives SIGTERM", () => {
    const command = service('app').command;
    expect(Array.isArray(command)).toBe(true);
    expect((command as string[]).join(' ')).toBe(pkg.scripts.start);
    expect(command).toEqual(['node', '--no-node-snapshot', '--import', 'tsx', 'src/server.ts']);
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
