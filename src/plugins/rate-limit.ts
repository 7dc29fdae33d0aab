import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../config/env.ts';
import { RateLimitedError } from '../lib/errors.ts';
import { createFallbackStore, type RateLimitStoreState } from './rate-limit-store.ts';

/**
 * The per-address budget a route counts against: the API's (the default), the larger one for webhooks, or none
 * (health probes, which load balancers call every few seconds from one address).
 */
export type RateLimitClass = 'api' | 'webhook' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Declared by the route (not `rateLimit`, which belongs to @fastify/rate-limit); unknown routes are `api`. */
    rateLimitClass?: RateLimitClass;
  }
  interface FastifyInstance {
    /** Where rate-limit counters are kept now; null without Redis (always this process). */
    rateLimitStore(): RateLimitStoreState | null;
  }
}

type Limiter = (
  request: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; max?: number; remaining?: number; ttlInSeconds?: number }>;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function enforce(limiter: Limiter, request: FastifyRequest, reply: FastifyReply, what: string) {
  const result = await limiter(request);
  if (result.isAllowed || result.max === undefined) return;
  reply.header('x-ratelimit-limit', result.max);
  reply.header('x-ratelimit-remaining', result.remaining ?? 0);
  reply.header('x-ratelimit-reset', result.ttlInSeconds ?? 0);
  if (!result.isExceeded) return;
  reply.header('retry-after', result.ttlInSeconds ?? 1);
  throw new RateLimitedError(`Rate limit exceeded (${what}): retry in ${result.ttlInSeconds ?? 1} seconds`);
}

/**
 * Two limits: per client IP on every request (including unknown routes and bad keys, so guessing keys is
 * slow), against the budget of the route's `config.rateLimitClass`; and per API key for reads and writes
 * separately, after authentication. With a Redis client the counters are shared by every instance; otherwise
 * they live in this process. Registered after error-handler (429 bodies) and before auth (see auth.ts).
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, opts: { limits: Config['rateLimit']; redis?: Redis }) => {
    const { limits } = opts;
    // A Redis outage must neither take the API down nor lift the limits: counting moves into this process (per
    // instance) until Redis answers again, and each switch is logged.
    const fallback =
      opts.redis &&
      createFallbackStore(opts.redis, 'flowgate:rl:', (state) => {
        if (state === 'redis') app.log.info('rate limits are shared through Redis again');
        else app.log.warn('Redis is unreachable: rate limits are counted by this instance alone until it answers');
      });
    app.decorate('rateLimitStore', () => (fallback ? fallback.state() : null));
    await app.register(rateLimit, { global: false, ...(fallback ? { store: fallback.Store } : {}), skipOnError: true });
    const byIp = app.createRateLimit({
      max: limits.ipMax,
      timeWindow: limits.ipWindowMs,
      keyGenerator: (req) => `ip:${req.ip}`,
    }) as Limiter;
    const byKey = (group: 'read' | 'write', max: number) =>
      max > 0
        ? (app.createRateLimit({
            max,
            timeWindow: limits.keyWindowMs,
            keyGenerator: (req) => `key:${req.principal?.apiKeyId}:${group}`,
          }) as Limiter)
        : undefined;
    const keyLimiters = { read: byKey('read', limits.keyReadMax), write: byKey('write', limits.keyWriteMax) };

    // Webhooks are called by other systems in bursts (n8n does not limit them at all): they get their own, larger
    // per-address budget per minute instead of the API's, and 0 turns it off.
    const byIpWebhook =
      limits.webhookIpMax > 0
        ? (app.createRateLimit({ max: limits.webhookIpMax, timeWindow: 60_000, keyGenerator: (req) => `webhook-ip:${req.ip}` }) as Limiter)
        : undefined;
    const perAddress: Record<RateLimitClass, { limiter?: Limiter; what: string }> = {
      api: { limiter: byIp, what: 'per client address' },
      webhook: { limiter: byIpWebhook, what: 'webhook calls per client address' },
      none: { what: 'not limited' },
    };
    // Routing comes before onRequest, so the route's declared class is known (the not-found handler has none).
    app.addHook('onRequest', async (request, reply) => {
      const { limiter, what } = perAddress[request.routeOptions.config?.rateLimitClass ?? 'api'];
      if (limiter) return enforce(limiter, request, reply, what);
    });
    // preParsing runs after every onRequest hook, so the principal is known by now.
    app.addHook('preParsing', async (request, reply) => {
      if (!request.principal) return;
      const group = READ_METHODS.has(request.method) ? 'read' : 'write';
      const limiter = keyLimiters[group];
      if (limiter) await enforce(limiter, request, reply, `${group}s per API key`);
    });
  },
  { name: 'rate-limit', dependencies: ['error-handler'] },
);
