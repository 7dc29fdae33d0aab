import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set at registration: the route's body schema rejects a missing body. */
    bodyRequired?: boolean;
  }
}

type MaybeZod = { safeParse?: (value: unknown) => { success: boolean } };

/**
 * The API speaks JSON only:
 * - any other body type is a 415 that says so, not a confusing validation error;
 * - a route that needs a body answers 415 when the request has neither body nor Content-Type (as n8n does);
 * - an empty body with Content-Type: application/json is no body (n8n clients POST /activate that way), and
 *   everything else goes through Fastify's own prototype-poisoning-safe JSON parser.
 */
export const jsonBodyPlugin = fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser('text/plain');
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = body.toString();
      if (text.trim() === '') return done(null, undefined);
      parseJson(request, text, done);
    });

    app.addHook('onRoute', (route) => {
      const body = (route.schema as { body?: MaybeZod } | undefined)?.body;
      if (body?.safeParse) route.config = { ...route.config, bodyRequired: !body.safeParse(undefined).success };
    });

    app.addHook('preValidation', async (request) => {
      if (request.routeOptions.config.bodyRequired && request.body == null && !request.headers['content-type']) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request body is missing. Send it as JSON with Content-Type: application/json.');
      }
    });
  },
  { name: 'json-body' },
);
