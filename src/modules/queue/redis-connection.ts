import { Redis, type RedisOptions } from 'ioredis';
import type { QueueRedis } from '../../config/env.ts';
import { StartupError } from '../../lib/startup.ts';
import { withTimeout } from '../../lib/timeout.ts';

/**
 * ioredis options for the queue's connections. No per-command retry limit: BullMQ's blocking commands wait through
 * a Redis restart and carry on when it is back (ioredis reconnects with backoff). The producer bounds its own wait
 * instead (see ENQUEUE_TIMEOUT_MS).
 */
export function queueRedisOptions(redis: QueueRedis): Omit<RedisOptions, 'retryStrategy'> & { retryStrategy: (attempt: number) => number } {
  return {
    host: redis.host,
    port: redis.port,
    db: redis.db,
    ...(redis.username ? { username: redis.username } : {}),
    ...(redis.password ? { password: redis.password } : {}),
    ...(redis.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Reconnect quickly at first (a restart), then every 2 s at most.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  };
}

/** Where the queue's Redis is, for messages (never the password). */
export const describeRedis = (redis: QueueRedis) => `${redis.host}:${redis.port}${redis.db ? `/${redis.db}` : ''}`;

/**
 * Refuses to start (StartupError naming the setting) unless the queue's Redis answers a PING within `timeoutMs`:
 * a main or a worker in queue mode cannot do its work without it.
 */
export async function assertRedisReachable(redis: QueueRedis, timeoutMs = 5000): Promise<void> {
  const client = new Redis({ ...queueRedisOptions(redis), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await withTimeout(
      client.connect().then(() => client.ping()),
      timeoutMs,
      `no answer within ${timeoutMs} ms`,
    );
  } catch (err) {
    throw new StartupError(
      `EXECUTIONS_MODE=queue needs Redis, and Redis at ${describeRedis(redis)} cannot be reached (${err instanceof Error ? err.message : String(err)}). ` +
        `Start Redis there or set ${redis.setting} to where it runs.`,
    );
  } finally {
    client.disconnect();
  }
}
