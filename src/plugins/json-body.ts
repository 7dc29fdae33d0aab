import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ValidationError } from '../lib/errors.ts';
import { findJsonProblem, mayHoldUnstorableString, unstorableReason } from '../lib/json-limits.ts';

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
 *   everything else goes through Fastify's own prototype-poisoning-safe JSON parser;
 * - JSON nests at most MAX_JSON_DEPTH levels, and what the API stores holds no NUL or lone surrogate (a 400 that
 *   names the field, before any handler runs).
 * Registered after error-handler, which turns its 400/415 errors into the API's error body.
 */
export const jsonBodyPlugin = fp(
  async (app: FastifyInstance, options: { storedPrefix: string }) => {
    // Bodies under the API prefix are stored; webhook payloads only pass through executions (stored as JSON text,
    // where an escaped \u0000 is fine), so only the API's strings are checked. Nesting is bounded everywhere.
    const isStored = (url: string) => url.startsWith(options.storedPrefix);
    app.removeContentTypeParser('text/plain');
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = body.toString();
      if (text.trim() === '') return done(null, undefined);
      parseJson(request, text, (err, value) => {
        if (err) return done(err);
        const strings = isStored(request.url) && mayHoldUnstorableString(text);
        const problem = findJsonProblem(value, { strings });
        if (problem)
          return done(new ValidationError(`request/body${problem.path ? `/${problem.path}` : ''} ${problem.message}`), undefined);
        done(null, value);
      });
    });

    // Query strings and path parameters reach SQL as text too (`?name=%00` would be a database error).
    app.addHook('preValidation', async (request) => {
      if (!isStored(request.url)) return;
      for (const [where, values] of [
        ['query', request.query],
        ['params', request.params],
      ] as const) {
        for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
          const reason = typeof value === 'string' ? unstorableReason(value) : undefined;
          if (reason) throw new ValidationError(`request/${where}/${key} ${reason}`);
        }
      }
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
  { name: 'json-body', dependencies: ['error-handler'] },
);
