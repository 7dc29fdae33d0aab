import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's span, when tracing is on. */
    traceSpan?: { end(statusCode: number): void } | null;
  }
}

/**
 * A span per request (`<method> <route>`) while the OpenTelemetry settings say so; the tracing service decides
 * (nothing is made when it is off). Unknown routes get none.
 */
export const tracingPlugin = fp(
  async (app: FastifyInstance) => {
    const { tracing } = app.services;
    app.decorateRequest('traceSpan', null);
    app.addHook('onRequest', async (request) => {
      if (request.is404) return;
      request.traceSpan = tracing.startRequest(request.method, request.routeOptions.url ?? request.url, request.url.split('?')[0] ?? '');
    });
    app.addHook('onResponse', async (request, reply) => {
      request.traceSpan?.end(reply.statusCode);
    });
  },
  { name: 'tracing', dependencies: ['services'] },
);
