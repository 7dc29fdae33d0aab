import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config/env.ts';

/**
 * Prometheus metrics at GET /metrics when N8N_METRICS=true, with n8n's variable names and prefix: the process's
 * own (CPU, memory, event loop, GC), API request durations by route, and executions by status. One registry per
 * app, so several apps in one process (the tests) do not share counters. Like n8n's, the endpoint needs no API
 * key: expose it only where the scraper can reach it.
 */
export const metricsPlugin = fp(
  async (
    app: FastifyInstance,
    opts: {
      metrics: Config['metrics'];
      executionsByStatus: () => Promise<{ status: string; count: number }[]>;
      /** Queue mode: the BullMQ queue's job counts by state. */
      queueJobs?: () => Promise<Record<string, number>>;
    },
  ) => {
    const { prefix } = opts.metrics;
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix });
    const requests = new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'Duration of HTTP requests, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    new Gauge({
      name: `${prefix}executions`,
      help: 'Executions in the database, by status',
      labelNames: ['status'],
      registers: [registry],
      // Read when scraped: the counts are the database's, so every instance reports the same (label it by instance).
      async collect() {
        this.reset();
        for (const { status, count } of await opts.executionsByStatus()) this.set({ status }, count);
      },
    });

    const { queueJobs } = opts;
    if (queueJobs) {
      new Gauge({
        name: `${prefix}scaling_mode_queue_jobs`,
        help: 'Jobs in the execution queue (EXECUTIONS_MODE=queue), by state: waiting, active, completed, failed, delayed',
        labelNames: ['state'],
        registers: [registry],
        async collect() {
          this.reset();
          for (const [state, count] of Object.entries(await queueJobs())) this.set({ state }, count);
        },
      });
    }

    app.addHook('onResponse', async (request, reply) => {
      // The route's pattern, not the path: ids in paths would make a series per workflow.
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      requests.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    app.get(
      '/metrics',
      {
        config: { public: true, rateLimitClass: 'none' },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
    app.addHook('onClose', async () => registry.clear());
  },
  { name: 'metrics', dependencies: ['rate-limit'] },
);
