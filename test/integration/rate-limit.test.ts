import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersTcp } from '../helpers/redis.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../helpers/test-app.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** A client address of its own per test, so counters never collide (in Redis they outlive the app). */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('per-IP limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' }, db);
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and the error body after the limit, counting unknown routes and bad keys', async () => {
    const ip = randomIp();
    const responses = [];
    for (const url of ['/api/v1/nothing', '/api/v1/api-keys', '/api/v1/nothing', '/api/v1/api-keys']) {
      responses.push(await t.app.inject({ url, remoteAddress: ip, headers: { 'x-n8n-api-key': 'wrong' } }));
    }
    expect(responses.slice(0, 3).map((r) => r.statusCode)).toEqual([404, 401, 404]);
    const limited = responses[3]!;
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.json().message).toMatch(/retry in \d+ seconds/);

    const otherClient = await t.app.inject({ url: '/api/v1/nothing', remoteAddress: randomIp() });
    expect(otherClient.statusCode).toBe(404);
  });

  it('does not count health probes, even from an address that is limited', async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) await t.app.inject({ url: '/api/v1/nothing', remoteAddress: ip });
    expect((await t.app.inject({ url: '/api/v1/nothing', remoteAddress: ip })).statusCode).toBe(429);
    for (let i = 0; i < 10; i++) {
      expect((await t.app.inject({ url: '/healthz', remoteAddress: ip })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/healthz/readiness', remoteAddress: ip })).statusCode).toBe(200);
    }
  });
});

describe('behind a proxy', () => {
  it('with TRUST_PROXY=1, counts the client address from X-Forwarded-For', async () => {
    const t = await buildTestApp({ RATE_LIMIT_MAX: '1', TRUST_PROXY: '1' }, db);
    try {
      const proxy = randomIp();
      const viaProxy = (client: string) =>
        t.app.inject({ url: '/api/v1/nothing', remoteAddress: proxy, headers: { 'x-forwarded-for': client } });
      const first = randomIp();
      expect((await viaProxy(first)).statusCode).toBe(404);
      expect((await viaProxy(first)).statusCode).toBe(429);
      expect((await viaProxy(randomIp())).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('per-key limits by route group', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_KEY_WRITE_MAX: '2', RATE_LIMIT_KEY_READ_MAX: '5' }, db);
  });
  afterAll(() => t.close());

  it('limits writes and reads separately for each key', async () => {
    const key = await t.createKey(['apiKey:create', 'apiKey:list']);
    const write = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { 'x-n8n-api-key': key },
        payload: { label: 'w', scopes: ['apiKey:list'] },
      });
    const read = () => t.app.inject({ url: '/api/v1/api-keys', headers: { 'x-n8n-api-key': key } });

    expect((await write()).statusCode).toBe(201);
    expect((await write()).statusCode).toBe(201);
    const third = await write();
    expect(third.statusCode).toBe(429);
    expect(third.json().message).toMatch(/writes per API key/);
    expect((await read()).statusCode).toBe(200);

    const otherKey = await t.createKey(['apiKey:create', 'apiKey:list']);
    const otherWrite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { 'x-n8n-api-key': otherKey },
      payload: { label: 'w', scopes: ['apiKey:list'] },
    });
    expect(otherWrite.statusCode).toBe(201);
  });
});

/** REDIS_URL, or the machine's own Redis on 127.0.0.1:6379 when it answers (these tests are about Redis). */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisAnswers = await answersTcp(new URL(redisUrl).hostname, Number(new URL(redisUrl).port || 6379));

describe.skipIf(!redisAnswers)(`shared limits across instances (Redis at ${redisUrl}; skipped when none answers)`, () => {
  it('two instances count against one limit, and readiness says the limits are shared', async () => {
    const env = { REDIS_URL: redisUrl, RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_MS: '60000' };
    const a = await buildTestApp(env, db);
    const b = await buildTestApp(env, db);
    try {
      const ip = randomIp();
      const statuses = [];
      for (const app of [a, b, a, b, a]) statuses.push((await app.app.inject({ url: '/api/v1/nothing', remoteAddress: ip })).statusCode);
      expect(statuses).toEqual([404, 404, 404, 404, 429]);
      expect((await a.app.inject({ url: '/healthz/readiness' })).json()).toEqual({ status: 'ok', rateLimits: 'redis' });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('Redis unreachable', () => {
  it('keeps limiting, per instance, and readiness says so', async () => {
    // Nothing listens on port 1: the client keeps reconnecting in the background.
    const t = await buildTestApp({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' }, db);
    try {
      const ip = randomIp();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await t.app.inject({ url: '/api/v1/nothing', remoteAddress: ip })).statusCode);
      expect(statuses).toEqual([404, 404, 429]);
      const readiness = await t.app.inject({ url: '/healthz/readiness' });
      expect(readiness.statusCode).toBe(200);
      expect(readiness.json()).toEqual({ status: 'ok', rateLimits: 'this instance (Redis unreachable)' });
    } finally {
      await t.close();
    }
  });
});
