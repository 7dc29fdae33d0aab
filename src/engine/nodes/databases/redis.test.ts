import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersTcp, LOCAL_REDIS } from '../../../../test/helpers/redis.ts';
import { createAddressPolicy } from '../../../lib/net/address-policy.ts';
import { jsonOf, runNode } from '../test-support.ts';
import { createRedisNode } from './redis.ts';

const open = createAddressPolicy({ blockPrivate: false, blockedRanges: [], allowedRanges: [], allowedHostnames: [], internalPorts: [] });
const node = createRedisNode(open);
const available = await answersTcp(LOCAL_REDIS.host, LOCAL_REDIS.port);
const prefix = `flowgate-node-test:${process.pid}:`;
const credentials = { redis: { host: LOCAL_REDIS.host, port: LOCAL_REDIS.port, database: 0 } };
const run = async (parameters: Record<string, unknown>, items = [{ json: {} }]) =>
  jsonOf((await runNode(node, { parameters, items, credentials })).result);

describe.skipIf(!available)('Redis node (skipped: no Redis answers on 127.0.0.1:6379)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(LOCAL_REDIS);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('sets with a TTL and gets strings (JSON parsed back), hashes and lists into the chosen property', async () => {
    await run({ operation: 'set', key: `${prefix}user`, value: '{"name":"Ada"}', expire: true, ttl: 120 });
    expect(await redis.ttl(`${prefix}user`)).toBeGreaterThan(100);
    expect(await run({ operation: 'get', key: `${prefix}user`, propertyName: 'found.user' }, [{ json: { keep: 1 } }])).toEqual([
      { keep: 1, found: { user: { name: 'Ada' } } },
    ]);
    await run({ operation: 'set', key: `${prefix}hash`, keyType: 'hash', value: '{"a":1,"b":"two"}' });
    expect(await run({ operation: 'get', key: `${prefix}hash`, propertyName: 'h' })).toEqual([{ h: { a: '1', b: 'two' } }]);
  });

  it('increments, pushes and pops, lists keys with values, publishes and deletes', async () => {
    expect(await run({ operation: 'incr', key: `${prefix}count` })).toEqual([{ [`${prefix}count`]: 1 }]);
    expect(await run({ operation: 'incr', key: `${prefix}count` })).toEqual([{ [`${prefix}count`]: 2 }]);
    await run({ operation: 'push', list: `${prefix}queue`, messageData: 'first', tail: true });
    await run({ operation: 'push', list: `${prefix}queue`, messageData: 'second', tail: true });
    expect(await run({ operation: 'pop', list: `${prefix}queue`, propertyName: 'job' })).toEqual([{ job: 'first' }]);
    const [keys] = await run({ operation: 'keys', keyPattern: `${prefix}c*` });
    expect(keys).toEqual({ [`${prefix}count`]: 2 });

    const subscriber = new Redis(LOCAL_REDIS);
    const message = new Promise<string>((resolve) => subscriber.on('message', (_channel, text) => resolve(text)));
    await subscriber.subscribe(`${prefix}events`);
    await run({ operation: 'publish', channel: `${prefix}events`, messageData: 'hello' });
    expect(await message).toBe('hello');
    subscriber.disconnect();

    await run({ operation: 'delete', key: `${prefix}count` });
    expect(await redis.exists(`${prefix}count`)).toBe(0);
    const [info] = await run({});
    expect(info?.redis_version).toMatch(/^\d+\./);
  });

  it('refuses this server’s own Redis', async () => {
    const guarded = createRedisNode(
      createAddressPolicy({
        ...{ blockPrivate: false, blockedRanges: [], allowedRanges: [], allowedHostnames: [] },
        internalPorts: [{ port: LOCAL_REDIS.port, what: "this server's Redis", setting: 'REDIS_URL' }],
      }),
    );
    await expect(runNode(guarded, { parameters: {}, credentials })).rejects.toThrow(
      /refused: port 6379 on this machine is this server's Redis/,
    );
  });
});
