import type { FastifyInstance } from 'fastify';
import { readWebhookBody, registerWebhookBodyParsers } from './webhook-body.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

export interface WebhookRouteOptions {
  /** The path segment webhooks live under (`webhook`); not named `prefix`, which Fastify would apply itself. */
  basePath: string;
  /** Largest file a caller may send (N8N_BINARY_DATA_MAX_MB). */
  maxFileBytes: number;
}

/**
 * Production webhooks: `/<prefix>/<path>` of active workflows, on every instance (registrations live in
 * PostgreSQL). Public routes: the workflow's own Webhook node decides about authentication (see webhooks.service.ts).
 */
export async function webhookRoutes(app: FastifyInstance, opts: WebhookRouteOptions) {
  const webhooks = app.services.webhooks;
  // Webhooks accept what callers send, not just JSON: forms, text, multipart files and raw files.
  await registerWebhookBodyParsers(app, { maxFileBytes: opts.maxFileBytes });

  app.route({
    method: [...METHODS],
    url: `/${opts.basePath}/*`,
    // Called by other systems in bursts: the webhook budget per client address, not the API's (see rate-limit.ts).
    config: { public: true, rateLimitClass: 'webhook' },
    schema: { hide: true },
    // The workflow decides the answer (any status, any body): the API's standard error schemas (500, 429)
    // that every route gets must not reject it, so bodies are serialised as they are.
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: async (request, reply) => {
      const { status, headers, body } = await webhooks.handle({
        method: request.method,
        path: (request.params as { '*'?: string })['*'] ?? '',
        headers: request.headers,
        query: request.query,
        // Read only once the webhook matched and let the caller in: nobody stores files at a path that runs nothing.
        readBody: () => readWebhookBody(request, app.services.binaryData, opts.maxFileBytes),
      });
      return reply.status(status).headers(headers).send(body);
    },
  });
}
