import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { escapeHtml } from '../../lib/html-escape.ts';
import { OAUTH2_CALLBACK_PATH } from './credentials.oauth2.ts';

const page = (title: string, message: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;

/**
 * Where an OAuth2 provider sends the person back (n8n's `/rest/oauth2-credential/callback`): public, as the provider's
 * redirect carries no API key; the signed state decides which credential the code is for. Answers a page.
 */
export async function oauth2CallbackRoutes(app: FastifyInstance) {
  app.get(
    `/${OAUTH2_CALLBACK_PATH}`,
    { config: { public: true, rateLimitClass: 'webhook' }, schema: { hide: true }, serializerCompiler: () => (data) => String(data) },
    async (request, reply) => {
      reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', "default-src 'none'");
      try {
        const done = await app.services.credentials.oauth2Callback(request.query as Record<string, string>);
        return page('Connection successful', `The credential "${done.name}" is connected. This window can be closed now.`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        reply.status(error.statusCode);
        return page('Connection failed', error.message);
      }
    },
  );
}
