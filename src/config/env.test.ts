import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.ts';

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  expect.fail(`expected loadConfig(${JSON.stringify(env)}) to throw a ConfigError`);
}

describe('loadConfig defaults', () => {
  const config = loadConfig({});

  it('listens on port 5678 on all interfaces', () => {
    expect(config.port).toBe(5678);
    expect(config.host).toBe('0.0.0.0');
  });

  it('resolves the data directory to an absolute path ending in /data', () => {
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir.endsWith(`${path.sep}data`)).toBe(true);
    expect(config.dataDir).toBe(path.resolve('data'));
  });

  it('uses 54329 for the embedded PostgreSQL and no external database', () => {
    expect(config.embeddedPgPort).toBe(54329);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('serves the public API under /api/v1 with docs enabled', () => {
    expect(config.publicApi).toEqual({ disabled: false, prefix: '/api/v1', docsDisabled: false });
  });

  it('limits each IP to 1000 requests per 300000 ms and keys to 1200 reads / 300 writes per minute', () => {
    expect(config.rateLimit).toEqual({
      ipMax: 1000,
      ipWindowMs: 300_000,
      keyReadMax: 1200,
      keyWriteMax: 300,
      keyWindowMs: 60_000,
      webhookIpMax: 6000,
    });
  });

  it('accepts request bodies up to 16 MiB', () => {
    expect(config.bodyLimitBytes).toBe(16 * 1024 * 1024);
  });

  it('has the remaining defaults', () => {
    expect(config.shutdownTimeoutMs).toBe(30_000);
    expect(config.apiKeyCacheTtlMs).toBe(5000);
    expect(config.workflowCacheBytes).toBe(64 * 1024 * 1024);
    expect(config.trustProxy).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(config.encryptionKey).toBeUndefined();
    expect(config.seedApiKey).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
  });
});

describe('loadConfig with values', () => {
  it('reads numbers', () => {
    const config = loadConfig({
      N8N_PORT: '8080',
      EMBEDDED_PG_PORT: '6000',
      RATE_LIMIT_MAX: '50',
      RATE_LIMIT_WINDOW_MS: '60000',
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
    });
    expect(config.port).toBe(8080);
    expect(config.embeddedPgPort).toBe(6000);
    expect(config.rateLimit.ipMax).toBe(50);
    expect(config.rateLimit.ipWindowMs).toBe(60_000);
    expect(config.shutdownTimeoutMs).toBe(5000);
  });

  it('derives bodyLimitBytes from N8N_PAYLOAD_SIZE_MAX in MiB', () => {
    expect(loadConfig({ N8N_PAYLOAD_SIZE_MAX: '1' }).bodyLimitBytes).toBe(1024 * 1024);
    expect(loadConfig({ N8N_PAYLOAD_SIZE_MAX: '64' }).bodyLimitBytes).toBe(64 * 1024 * 1024);
  });

  it('builds the API prefix from N8N_PUBLIC_API_ENDPOINT', () => {
    expect(loadConfig({ N8N_PUBLIC_API_ENDPOINT: 'custom' }).publicApi.prefix).toBe('/custom/v1');
    expect(loadConfig({ N8N_PUBLIC_API_ENDPOINT: 'rest/public' }).publicApi.prefix).toBe('/rest/public/v1');
  });

  it('rejects an API endpoint with a leading or trailing slash', () => {
    expect(problemsOf({ N8N_PUBLIC_API_ENDPOINT: '/api' })).toEqual([expect.stringMatching(/^N8N_PUBLIC_API_ENDPOINT: /)]);
    expect(problemsOf({ N8N_PUBLIC_API_ENDPOINT: 'api/' })).toEqual([expect.stringMatching(/^N8N_PUBLIC_API_ENDPOINT: /)]);
  });

  it('resolves a relative DATA_DIR against the working directory and keeps an absolute one', () => {
    expect(loadConfig({ DATA_DIR: 'var/flowgate' }).dataDir).toBe(path.resolve('var/flowgate'));
    expect(loadConfig({ DATA_DIR: '/srv/flowgate' }).dataDir).toBe(path.resolve('/srv/flowgate'));
  });

  it('accepts postgres:// and postgresql:// database URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' }).databaseUrl).toBe('postgres://u:p@db:5432/x');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/x' }).databaseUrl).toBe('postgresql://u:p@db:5432/x');
  });

  it('accepts redis:// and rediss:// URLs', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
    expect(problemsOf({ REDIS_URL: 'http://cache' })).toEqual([expect.stringMatching(/^REDIS_URL: must be a Redis URL/)]);
    // A password with a raw "/" does not parse: refused by name, and the value (with its password) is not repeated.
    const problems = problemsOf({ REDIS_URL: 'redis://:pa/ss#word@cache:6379' });
    expect(problems).toEqual([expect.stringMatching(/^REDIS_URL: is not a valid URL; %-encode/)]);
    expect(problems.join('\n')).not.toContain('pa/ss');
    // A stray % is taken as written rather than failing the start.
    expect(loadConfig({ REDIS_URL: 'redis://:100%@cache:6379' }).queue.redis.password).toBe('100%');
  });

  it('accepts a seed API key of at least 24 characters', () => {
    const key = 'a'.repeat(24);
    expect(loadConfig({ N8N_API_KEY: key }).seedApiKey).toBe(key);
  });

  it('accepts every log level and rejects others', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    }
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual([expect.stringMatching(/^LOG_LEVEL: /)]);
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow();
  });
});

describe('GENERIC_TIMEZONE', () => {
  it("defaults to n8n's America/New_York, also when empty", () => {
    expect(loadConfig({}).timezone).toBe('America/New_York');
    expect(loadConfig({ GENERIC_TIMEZONE: '' }).timezone).toBe('America/New_York');
  });

  it('takes any IANA zone and refuses other names', () => {
    expect(loadConfig({ GENERIC_TIMEZONE: 'Europe/Berlin' }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ GENERIC_TIMEZONE: 'UTC' }).timezone).toBe('UTC');
    expect(problemsOf({ GENERIC_TIMEZONE: 'Mars/Olympus' })).toEqual([
      'GENERIC_TIMEZONE: must be an IANA time zone such as UTC or Europe/Berlin',
    ]);
  });
});

describe('NODES_EXCLUDE', () => {
  it('turns off the nodes that run commands by default, takes n8n’s JSON list or [] for none, and names a bad value', () => {
    expect(loadConfig({}).nodesExclude).toEqual(['n8n-nodes-base.executeCommand', 'n8n-nodes-base.localFileTrigger', 'n8n-nodes-base.ssh']);
    expect(loadConfig({ NODES_EXCLUDE: '[]' }).nodesExclude).toEqual([]);
    expect(loadConfig({ NODES_EXCLUDE: '["n8n-nodes-base.code"]' }).nodesExclude).toEqual(['n8n-nodes-base.code']);
    expect(problemsOf({ NODES_EXCLUDE: '[1]' })).toEqual([expect.stringMatching(/^NODES_EXCLUDE: must be a JSON list of node types/)]);
  });
});

describe('binary data settings', () => {
  it('keeps files under DATA_DIR by default, up to 200 MiB each', () => {
    expect(loadConfig({}).binaryData).toEqual({ mode: 'filesystem', maxBytes: 200 * 1024 * 1024 });
    expect(loadConfig({ N8N_DEFAULT_BINARY_DATA_MODE: 'database', N8N_BINARY_DATA_MAX_MB: '5' }).binaryData).toEqual({
      mode: 'database',
      maxBytes: 5 * 1024 * 1024,
    });
  });

  it('names the modes it takes when given another', () => {
    expect(problemsOf({ N8N_DEFAULT_BINARY_DATA_MODE: 's3' })).toEqual([
      expect.stringMatching(/^N8N_DEFAULT_BINARY_DATA_MODE: must be filesystem .* database .* or default/),
    ]);
  });
});

describe('empty strings count as unset', () => {
  it('falls back to every default when every variable is empty', () => {
    const empty = Object.fromEntries(
      [
        'N8N_PORT',
        'N8N_LISTEN_ADDRESS',
        'DATABASE_URL',
        'DATA_DIR',
        'N8N_DEFAULT_BINARY_DATA_MODE',
        'N8N_BINARY_DATA_MAX_MB',
        'N8N_RESTRICT_FILE_ACCESS_TO',
        'NODES_EXCLUDE',
        'EMBEDDED_PG_PORT',
        'N8N_ENCRYPTION_KEY',
        'N8N_PUBLIC_API_DISABLED',
        'N8N_PUBLIC_API_ENDPOINT',
        'N8N_PUBLIC_API_SWAGGERUI_DISABLED',
        'N8N_API_KEY',
        'N8N_PAYLOAD_SIZE_MAX',
        'N8N_GRACEFUL_SHUTDOWN_TIMEOUT',
        'REDIS_URL',
        'RATE_LIMIT_MAX',
        'RATE_LIMIT_WINDOW_MS',
        'RATE_LIMIT_KEY_READ_MAX',
        'RATE_LIMIT_KEY_WRITE_MAX',
        'RATE_LIMIT_KEY_WINDOW_MS',
        'API_KEY_CACHE_TTL_MS',
        'TRUST_PROXY',
        'LOG_LEVEL',
      ].map((name) => [name, '']),
    );
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it('treats an empty N8N_API_KEY as no key rather than a too-short one', () => {
    expect(loadConfig({ N8N_API_KEY: '' }).seedApiKey).toBeUndefined();
  });

  it('treats an empty DATABASE_URL as no external database', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('treats explicitly undefined variables as unset', () => {
    expect(loadConfig({ N8N_PORT: undefined, TRUST_PROXY: undefined }).port).toBe(5678);
  });

  // Documents a bug: Number('  ') is 0, so a whitespace-only value becomes port 0 (a random port) instead of being
  // rejected like a whitespace-only boolean is.
  it('does not read a whitespace-only number as 0', () => {
    expect(problemsOf({ N8N_PORT: '  ' })).toEqual([expect.stringMatching(/^N8N_PORT: /)]);
  });
});

describe('booleans', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['False', false],
  ])('reads %j as %s', (value, expected) => {
    const config = loadConfig({ N8N_PUBLIC_API_DISABLED: value, N8N_PUBLIC_API_SWAGGERUI_DISABLED: value });
    expect(config.publicApi.disabled).toBe(expected);
    expect(config.publicApi.docsDisabled).toBe(expected);
  });

  it.each(['yes', 'no', 'on', '2', ' true'])('rejects %j, naming the variable', (value) => {
    expect(problemsOf({ N8N_PUBLIC_API_DISABLED: value })).toEqual([expect.stringMatching(/^N8N_PUBLIC_API_DISABLED: /)]);
  });
});

describe('rejected values', () => {
  it('rejects EMBEDDED_PG_PORT=5432 and says why', () => {
    const problems = problemsOf({ EMBEDDED_PG_PORT: '5432' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^EMBEDDED_PG_PORT: /);
    expect(problems[0]).toContain('5432');
    expect(problems[0]).toMatch(/system PostgreSQL/);
  });

  it.each(['mysql://u:p@db/x', 'http://db', 'db:5432', 'sqlite:///tmp/x.db'])('rejects DATABASE_URL=%j', (url) => {
    const problems = problemsOf({ DATABASE_URL: url });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: must be a PostgreSQL connection URL/)]);
  });

  it('rejects an N8N_API_KEY shorter than 24 characters', () => {
    const problems = problemsOf({ N8N_API_KEY: 'a'.repeat(23) });
    expect(problems).toEqual([expect.stringMatching(/^N8N_API_KEY: must be at least 24 characters/)]);
  });

  it.each([
    ['N8N_PORT', 'abc'],
    ['N8N_PORT', '65536'],
    ['N8N_PORT', '-1'],
    ['N8N_PORT', '80.5'],
    ['EMBEDDED_PG_PORT', '0'],
    ['N8N_PAYLOAD_SIZE_MAX', '0'],
    ['N8N_PAYLOAD_SIZE_MAX', '1025'],
    ['RATE_LIMIT_MAX', '0'],
    ['RATE_LIMIT_WINDOW_MS', '999'],
    ['API_KEY_CACHE_TTL_MS', '60001'],
  ])('rejects %s=%j', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
  });

  it('accepts the boundaries of the ranges', () => {
    const config = loadConfig({
      N8N_PORT: '0',
      N8N_PAYLOAD_SIZE_MAX: '1024',
      RATE_LIMIT_KEY_READ_MAX: '0',
      API_KEY_CACHE_TTL_MS: '0',
      WORKFLOW_CACHE_MB: '0',
    });
    expect(config.port).toBe(0);
    expect(config.bodyLimitBytes).toBe(1024 * 1024 * 1024);
    expect(config.rateLimit.keyReadMax).toBe(0);
    expect(config.apiKeyCacheTtlMs).toBe(0);
    expect(config.workflowCacheBytes).toBe(0);
  });
});

describe('ConfigError', () => {
  it('reports every problem at once, each naming its variable', () => {
    const env = {
      N8N_PORT: 'abc',
      EMBEDDED_PG_PORT: '5432',
      DATABASE_URL: 'mysql://u:p@db/x',
      N8N_API_KEY: 'short',
      TRUST_PROXY: 'yes',
    };
    const problems = problemsOf(env);
    expect(problems).toHaveLength(5);
    for (const name of Object.keys(env)) {
      expect(problems.filter((p) => p.startsWith(`${name}: `))).toHaveLength(1);
    }
  });

  it('lists the problems in its message and is an Error named ConfigError', () => {
    let error: unknown;
    try {
      loadConfig({ N8N_PORT: 'abc', EMBEDDED_PG_PORT: '5432' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.name).toBe('ConfigError');
    expect(configError.message.startsWith('Invalid configuration:\n')).toBe(true);
    for (const problem of configError.problems) expect(configError.message).toContain(`  - ${problem}`);
  });

  it('can be constructed directly', () => {
    const error = new ConfigError(['A: bad', 'B: worse']);
    expect(error.problems).toEqual(['A: bad', 'B: worse']);
    expect(error.message).toBe('Invalid configuration:\n  - A: bad\n  - B: worse');
  });
});

describe('the returned config', () => {
  it('is frozen, including its nested objects', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.publicApi)).toBe(true);
    expect(Object.isFrozen(config.rateLimit)).toBe(true);
  });

  it('cannot be modified', () => {
    const config = loadConfig({});
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.publicApi as { prefix: string }).prefix = '/x';
    }).toThrow(TypeError);
    expect(config.port).toBe(5678);
    expect(config.publicApi.prefix).toBe('/api/v1');
  });

  it('is a fresh object for every call', () => {
    expect(loadConfig({})).not.toBe(loadConfig({}));
  });
});

describe('TRUST_PROXY and DATABASE_POOL_SIZE', () => {
  it('accepts booleans, hop counts and address lists', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });

  it('sizes the pool', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });
});

describe('runner settings', () => {
  it("starts one runner per core (2 to 8), with n8n's names for the limits", () => {
    const { runners } = loadConfig({});
    expect(runners.count).toBeGreaterThanOrEqual(2);
    expect(runners.count).toBeLessThanOrEqual(8);
    expect(runners).toMatchObject({ taskTimeoutMs: 60_000, memoryLimitMb: 512, expressionTimeoutMs: 1000, envAccess: false });
    const custom = loadConfig({
      N8N_RUNNERS_MAX_CONCURRENCY: '5',
      N8N_RUNNERS_TASK_TIMEOUT: '10',
      N8N_RUNNERS_MAX_OLD_SPACE_SIZE: '256',
      N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
    }).runners;
    expect(custom).toMatchObject({ count: 5, taskTimeoutMs: 10_000, memoryLimitMb: 256, envAccess: true });
    expect(() => loadConfig({ N8N_RUNNERS_MAX_CONCURRENCY: '0' })).toThrow(/N8N_RUNNERS_MAX_CONCURRENCY/);
  });
});

describe('HTTP Request node settings', () => {
  it('defaults: 64 MiB responses, private networks reachable, no allow lists', () => {
    const { httpRequest } = loadConfig({});
    expect(httpRequest.maxResponseBytes).toBe(64 * 1024 * 1024);
    expect(httpRequest.ssrf.blockPrivate).toBe(false);
    expect(httpRequest.ssrf.blockedRanges).toContain('10.0.0.0/8');
    expect(httpRequest.ssrf.blockedRanges).toContain('100.64.0.0/10');
    expect(httpRequest.ssrf.allowedRanges).toEqual([]);
    expect(httpRequest.ssrf.allowedHostnames).toEqual([]);
    expect(Object.isFrozen(httpRequest)).toBe(true);
    expect(Object.isFrozen(httpRequest.ssrf)).toBe(true);
  });

  it('knows this server’s own ports: the API and the embedded PostgreSQL', () => {
    expect(loadConfig({ N8N_PORT: '8080', EMBEDDED_PG_PORT: '6000' }).httpRequest.internalPorts).toEqual([
      { port: 8080, what: "this server's HTTP port", setting: 'N8N_PORT' },
      { port: 6000, what: 'the embedded PostgreSQL', setting: 'EMBEDDED_PG_PORT' },
    ]);
  });

  it('takes the ports of a loopback DATABASE_URL and REDIS_URL instead of the embedded one, and skips port 0', () => {
    const local = loadConfig({ N8N_PORT: '0', DATABASE_URL: 'postgresql://u:p@127.0.0.1/x', REDIS_URL: 'redis://localhost:6380' });
    expect(local.httpRequest.internalPorts).toEqual([
      { port: 5432, what: "this server's PostgreSQL", setting: 'DATABASE_URL' },
      { port: 6380, what: "this server's Redis", setting: 'REDIS_URL' },
    ]);
    const remote = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/x', REDIS_URL: 'redis://cache:6379' });
    expect(remote.httpRequest.internalPorts.map((entry) => entry.setting)).toEqual(['N8N_PORT']);
  });

  it('reads the size limit in MiB, within 1 to 1024', () => {
    expect(loadConfig({ N8N_HTTP_REQUEST_MAX_RESPONSE_MB: '1' }).httpRequest.maxResponseBytes).toBe(1024 * 1024);
    expect(problemsOf({ N8N_HTTP_REQUEST_MAX_RESPONSE_MB: '0' })).toEqual([expect.stringMatching(/^N8N_HTTP_REQUEST_MAX_RESPONSE_MB: /)]);
    expect(problemsOf({ N8N_HTTP_REQUEST_MAX_RESPONSE_MB: '1025' })).toEqual([
      expect.stringMatching(/^N8N_HTTP_REQUEST_MAX_RESPONSE_MB: /),
    ]);
    expect(problemsOf({ N8N_HTTP_REQUEST_MAX_RESPONSE_MB: '1.5' })).toEqual([expect.stringMatching(/^N8N_HTTP_REQUEST_MAX_RESPONSE_MB: /)]);
  });

  it('reads n8n’s SSRF settings, expanding "default" in the blocked ranges', () => {
    const { ssrf } = loadConfig({
      N8N_SSRF_PROTECTION_ENABLED: 'true',
      N8N_SSRF_BLOCKED_IP_RANGES: 'default, 100.0.0.0/8',
      N8N_SSRF_ALLOWED_IP_RANGES: '10.1.0.0/16, 192.168.1.5',
      N8N_SSRF_ALLOWED_HOSTNAMES: '*.n8n.internal, localhost:5678',
    }).httpRequest;
    expect(ssrf.blockPrivate).toBe(true);
    expect(ssrf.blockedRanges.at(-1)).toBe('100.0.0.0/8');
    expect(ssrf.blockedRanges).toContain('192.168.0.0/16');
    expect(ssrf.allowedRanges).toEqual(['10.1.0.0/16', '192.168.1.5']);
    expect(ssrf.allowedHostnames).toEqual(['*.n8n.internal', 'localhost:5678']);
    expect(loadConfig({ N8N_SSRF_BLOCKED_IP_RANGES: '203.0.113.0/24' }).httpRequest.ssrf.blockedRanges).toEqual(['203.0.113.0/24']);
  });

  it('treats empty SSRF values as unset', () => {
    const empty = ['N8N_SSRF_PROTECTION_ENABLED', 'N8N_SSRF_BLOCKED_IP_RANGES', 'N8N_SSRF_ALLOWED_IP_RANGES', 'N8N_SSRF_ALLOWED_HOSTNAMES'];
    expect(loadConfig(Object.fromEntries(empty.map((name) => [name, ''])))).toEqual(loadConfig({}));
  });

  it('names each bad entry of a list', () => {
    expect(problemsOf({ N8N_SSRF_ALLOWED_IP_RANGES: '10.0.0.0/8, 10.0.0.0/33, intranet' })).toEqual([
      'N8N_SSRF_ALLOWED_IP_RANGES: "10.0.0.0/33" is not an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8',
      'N8N_SSRF_ALLOWED_IP_RANGES: "intranet" is not an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8',
    ]);
    expect(problemsOf({ N8N_SSRF_BLOCKED_IP_RANGES: 'defaults' })).toEqual([
      'N8N_SSRF_BLOCKED_IP_RANGES: "defaults" is not an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8 (or "default")',
    ]);
    expect(problemsOf({ N8N_SSRF_ALLOWED_HOSTNAMES: 'https://api.internal' })).toEqual([
      'N8N_SSRF_ALLOWED_HOSTNAMES: "https://api.internal" is not a hostname pattern such as api.internal, *.example.com or localhost:5678',
    ]);
    expect(problemsOf({ N8N_SSRF_PROTECTION_ENABLED: 'on' })).toEqual([expect.stringMatching(/^N8N_SSRF_PROTECTION_ENABLED: /)]);
  });
});
