import { Redis } from 'ioredis';
import type { AddressPolicy } from '../../../lib/net/address-policy.ts';
import { writePath } from '../../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';
import { nodeAddress } from '../node-address.ts';

const OPERATIONS = ['info', 'delete', 'get', 'set', 'incr', 'keys', 'push', 'pop', 'publish'];
/** `keys` reads at most this many keys (Redis's KEYS blocks the server on a large database). */
const MAX_KEYS = 10_000;

async function connect(ctx: NodeContext, policy: AddressPolicy): Promise<Redis> {
  const secret = await ctx.getCredentials('redis');
  const host = String(secret.host || 'localhost');
  const port = Number(secret.port || 6379);
  const address = await nodeAddress(policy, host, port, 'Redis');
  const redis = new Redis({
    host: address,
    port,
    db: Number(secret.database ?? 0),
    ...(secret.user ? { username: String(secret.user) } : {}),
    ...(secret.password ? { password: String(secret.password) } : {}),
    ...(secret.ssl === true ? { tls: { servername: host, rejectUnauthorized: secret.disableTlsVerification !== true } } : {}),
    lazyConnect: true,
    connectTimeout: 10_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new NodeOperationError(`Could not connect to Redis at ${host}:${port}: ${(error as Error).message}`);
  }
  return redis;
}

/** A value read back: JSON when it is JSON (n8n parses what it stored), else the text. */
function parsed(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const asText = (value: unknown) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? ''));

async function readKey(redis: Redis, key: string, keyType: string): Promise<unknown> {
  const type = keyType === 'automatic' ? await redis.type(key) : keyType === 'sets' ? 'set' : keyType;
  if (type === 'hash') return redis.hgetall(key);
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'set') return redis.smembers(key);
  if (type === 'none') return null;
  return parsed(await redis.get(key));
}

/**
 * n8n's Redis node: info, get (by type), set (string, hash, list, set; with a TTL), delete, incr, keys, push, pop and
 * publish. The connection goes through the HTTP Request node's address policy, so this server's own Redis is refused.
 */
export function createRedisNode(policy: AddressPolicy): NodeType {
  return {
    type: 'n8n-nodes-base.redis',
    typeVersions: [1],
    operations: OPERATIONS,
    async execute(ctx) {
      const operation = ctx.getParam<string>('operation', 0, 'info');
      if (!OPERATIONS.includes(operation)) {
        throw new NodeOperationError(`The Redis operation "${operation}" is not supported by this server`, {
          description: `Supported: ${OPERATIONS.join(', ')}.`,
        });
      }
      const redis = await connect(ctx, policy);
      const output: Item[] = [];
      try {
        if (operation === 'info') {
          const info: JsonObject = {};
          for (const line of (await redis.info()).split(/\r?\n/)) {
            const at = line.indexOf(':');
            if (at > 0 && !line.startsWith('#')) info[line.slice(0, at)] = line.slice(at + 1);
          }
          return [[{ json: info, pairedItem: { item: 0 } }]];
        }
        for (const [itemIndex, item] of ctx.items.entries()) {
          const param = <T>(name: string, fallback: T) => ctx.getParam<T>(name, itemIndex, fallback);
          const out: Item = { json: structuredClone(item.json), pairedItem: { item: itemIndex } };
          const put = (value: unknown) => {
            const name = param<string>('propertyName', 'propertyName');
            if (param<boolean>('options.dotNotation', true) === false) out.json[name] = value;
            else writePath(out.json, name, value);
          };
          switch (operation) {
            case 'get':
              put(await readKey(redis, param<string>('key', ''), param<string>('keyType', 'automatic')));
              break;
            case 'set': {
              const key = param<string>('key', '');
              const keyType = param<string>('keyType', 'automatic');
              const value = param<unknown>('value', '');
              if (keyType === 'hash') {
                const fields = param<boolean>('valueIsJSON', true)
                  ? typeof value === 'string'
                    ? JSON.parse(value || '{}')
                    : value
                  : { [key]: value };
                await redis.hset(key, Object.fromEntries(Object.entries(fields as JsonObject).map(([k, v]) => [k, asText(v)])));
              } else if (keyType === 'list') {
                await redis.rpush(key, asText(value));
              } else if (keyType === 'sets') {
                await redis.sadd(key, asText(value));
              } else {
                await redis.set(key, asText(value));
              }
              if (param<boolean>('expire', false)) await redis.expire(key, Number(param('ttl', 60)));
              break;
            }
            case 'delete':
              await redis.del(param<string>('key', ''));
              break;
            case 'incr': {
              const key = param<string>('key', '');
              const value = await redis.incr(key);
              if (param<boolean>('expire', false)) await redis.expire(key, Number(param('ttl', 60)));
              output.push({ json: { [key]: value }, pairedItem: { item: itemIndex } });
              continue;
            }
            case 'keys': {
              const keys: string[] = [];
              let cursor = '0';
              do {
                const [next, batch] = await redis.scan(cursor, 'MATCH', param<string>('keyPattern', '*'), 'COUNT', 500);
                keys.push(...batch);
                cursor = next;
              } while (cursor !== '0' && keys.length < MAX_KEYS);
              const found: JsonObject = {};
              for (const key of [...new Set(keys)].slice(0, MAX_KEYS))
                found[key] = param<boolean>('getValues', true) ? await readKey(redis, key, 'automatic') : null;
              output.push({ json: found, pairedItem: { item: itemIndex } });
              continue;
            }
            case 'push': {
              const list = param<string>('list', '');
              const message = asText(param<unknown>('messageData', ''));
              if (param<boolean>('tail', false)) await redis.rpush(list, message);
              else await redis.lpush(list, message);
              break;
            }
            case 'pop': {
              const list = param<string>('list', '');
              put(parsed(param<boolean>('tail', false) ? await redis.rpop(list) : await redis.lpop(list)));
              break;
            }
            default:
              await redis.publish(param<string>('channel', ''), asText(param<unknown>('messageData', '')));
          }
          output.push(out);
        }
      } catch (error) {
        if (error instanceof NodeOperationError) throw error;
        throw new NodeOperationError(`Redis: ${(error as Error).message}`);
      } finally {
        redis.disconnect();
      }
      return [output];
    },
  };
}
