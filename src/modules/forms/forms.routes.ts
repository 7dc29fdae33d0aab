import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readWebhookBody, registerWebhookBodyParsers } from '../triggers/webhook-body.ts';
import type { FormAnswer, FormRequest } from './forms.service.ts';

export interface FormRouteOptions {
  /** Largest file a form may upload (N8N_BINARY_DATA_MAX_MB). */
  maxFileBytes: number;
}

/**
 * n8n's form URLs: `/form/<path>` (a Form Trigger's page and its submission) and `/form-waiting/<executionId>` (the
 * next pages of a run at Form nodes, and its end screen). Public, as in n8n: the Form Trigger's own authentication
 * decides, and the waiting pages need the signature the previous page's redirect carried.
 */
export async function formRoutes(app: FastifyInstance, opts: FormRouteOptions) {
  const forms = app.services.forms;
  await registerWebhookBodyParsers(app, { maxFileBytes: opts.maxFileBytes });
  const send = (reply: FastifyReply, answer: FormAnswer) => reply.status(answer.status).headers(answer.headers).send(answer.body);
  const config = { public: true, rateLimitClass: 'webhook' } as const;
  // The page or the workflow's own answer goes out as it is (see webhooks.routes.ts).
  const serializerCompiler = () => (data: unknown) => JSON.stringify(data);
  const formRequest = (request: FastifyRequest): FormRequest => ({
    headers: request.headers,
    query: (request.query ?? {}) as Record<string, unknown>,
    readBody: () => readWebhookBody(request, app.services.binaryData, opts.maxFileBytes),
  });
  const pathOf = (params: unknown) => (params as { '*'?: string })['*'] ?? '';
  const executionIdOf = (params: unknown) => Number((params as { executionId: string }).executionId);
  const signatureOf = (query: unknown) => (query as { signature?: string }).signature;

  app.get('/form/*', { config, schema: { hide: true }, serializerCompiler }, async (request, reply) =>
    send(reply, await forms.showForm(pathOf(request.params), formRequest(request))),
  );
  app.post('/form/*', { config, schema: { hide: true }, serializerCompiler }, async (request, reply) =>
    send(reply, await forms.submitForm(pathOf(request.params), formRequest(request))),
  );
  const waiting = { config, schema: { hide: true, params: z.object({ executionId: z.string().regex(/^\d{1,15}$/) }) }, serializerCompiler };
  app.get('/form-waiting/:executionId', waiting, async (request, reply) =>
    send(reply, await forms.showWaiting(executionIdOf(request.params), signatureOf(request.query))),
  );
  app.post('/form-waiting/:executionId', waiting, async (request, reply) =>
    send(reply, await forms.submitWaiting(executionIdOf(request.params), signatureOf(request.query), formRequest(request))),
  );
}
