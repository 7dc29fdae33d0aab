import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { withTimeout } from '../../lib/timeout.ts';
import { RATE_LIMIT_STORE_STATES } from '../../plugins/rate-limit-store.ts';
import { healthRepository } from './health.repository.ts';

const StatusSchema = z.object({ status: z.literal('ok') });
const ReadinessSchema = StatusSchema.extend({
  rateLimits: z
    .enum(RATE_LIMIT_STORE_STATES)
    .optional()
    .describe('With REDIS_URL: where rate limits are counted now (this instance alone while Redis is unreachable)'),
  queue: z
    .enum(['ok', 'unreachable'])
    .optional()
    .describe("EXECUTIONS_MODE=queue: whether the queue's Redis answers (a worker is not ready without it)"),
});
const READINESS_TIMEOUT_MS = 2000;

/** n8n's health endpoints: public, outside the API prefix, for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  // Probes hit these every few seconds: log them only at warn and above (and never louder than the app).
  const logLevel = (['silent', 'fatal', 'error'].includes(app.log.level) ? app.log.level : 'warn') as 'silent' | 'fatal' | 'error' | 'warn';

  app.get(
    '/healthz',
    {
      config: { public: true, rateLimitClass: 'none' },
      logLevel,
      schema: { operationId: 'getHealth', summary: 'Liveness: the process is up', tags: ['Health'], response: { 200: StatusSchema } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/healthz/readiness',
    {
      config: { public: true, rateLimitClass: 'none' },
      logLevel,
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness: the database answers',
        tags: ['Health'],
        response: { 200: ReadinessSchema },
      },
    },
    async (request) => {
      try {
        await withTimeout(healthRepository.ping(app.runtime.sql), READINESS_TIMEOUT_MS, `no answer within ${READINESS_TIMEOUT_MS} ms`);
      } catch (err) {
        // The cause (host names, ports) stays in the log: this endpoint is public.
        request.log.warn({ err }, 'readiness check failed');
        throw new AppError(503, 'NOT_READY', 'Database is not reachable');
      }
      const rateLimits = app.rateLimitStore();
      const { queue, liveness } = app.runtime;
      const queueState = queue ? ((await queue.reachable()) ? ('ok' as const) : ('unreachable' as const)) : undefined;
      // A worker without Redis can take no job; a main still serves the API (its webhooks answer 503 meanwhile).
      if (queueState === 'unreachable' && liveness.kind === 'worker') throw new AppError(503, 'NOT_READY', 'Redis is not reachable');
      return { status: 'ok' as const, ...(rateLimits ? { rateLimits } : {}), ...(queueState ? { queue: queueState } : {}) };
    },
  );
};
