import type { FastifyRateLimitOptions } from '@fastify/rate-limit';
// @fastify/rate-limit's own stores (version pinned exactly): shared counters in Redis, and in-process ones.
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { Redis } from 'ioredis';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  read(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: FastifyRateLimitOptions): Store;
}
type StoreConstructor = new (...args: unknown[]) => Store;

/** Where the rate-limit counters are kept right now (readiness reports it). */
export const RATE_LIMIT_STORE_STATES = ['redis', 'this instance (Redis unreachable)'] as const;
export type RateLimitStoreState = (typeof RATE_LIMIT_STORE_STATES)[number];

/**
 * A store for @fastify/rate-limit that counts in Redis while Redis answers and in this process while it does not,
 * so an outage loosens the limits to per instance instead of lifting them (skipOnError would let every request
 * through). Each switch is reported once, through `onChange`.
 */
export function createFallbackStore(redis: Redis, nameSpace: string, onChange: (state: RateLimitStoreState) => void) {
  let state: RateLimitStoreState = 'redis';
  const moveTo = (next: RateLimitStoreState) => {
    if (next === state) return;
    state = next;
    onChange(next);
  };

  class FallbackStore implements Store {
    private readonly shared: Store;
    private readonly local: Store;

    constructor(options: FastifyRateLimitOptions, stores?: { shared: Store; local: Store }) {
      // The plugin passes its merged settings, which carry these two (typed on the route options only).
      const params = options as { continueExceeding?: boolean; exponentialBackoff?: boolean };
      this.shared =
        stores?.shared ??
        new (RedisStore as unknown as StoreConstructor)(params.continueExceeding, params.exponentialBackoff, redis, nameSpace);
      this.local = stores?.local ?? new (LocalStore as unknown as StoreConstructor)(params.continueExceeding, params.exponentialBackoff);
    }

    incr(key: string, cb: Callback, timeWindow: number, max: number) {
      this.route('incr', key, cb, timeWindow, max);
    }

    read(key: string, cb: Callback, timeWindow: number, max: number) {
      this.route('read', key, cb, timeWindow, max);
    }

    /** What each createRateLimit limiter gets: a child of both stores, with that limiter's settings. */
    child(routeOptions: FastifyRateLimitOptions): Store {
      return new FallbackStore(routeOptions, { shared: this.shared.child(routeOptions), local: this.local.child(routeOptions) });
    }

    private route(method: 'incr' | 'read', key: string, cb: Callback, timeWindow: number, max: number) {
      // Not ready: ioredis would queue the command until it reconnects; count here meanwhile.
      if (redis.status !== 'ready') {
        moveTo('this instance (Redis unreachable)');
        this.local[method](key, cb, timeWindow, max);
        return;
      }
      this.shared[method](
        key,
        (err, result) => {
          if (!err) {
            moveTo('redis');
            cb(null, result);
            return;
          }
          moveTo('this instance (Redis unreachable)');
          this.local[method](key, cb, timeWindow, max);
        },
        timeWindow,
        max,
      );
    }
  }

  return { Store: FallbackStore, state: () => state };
}
