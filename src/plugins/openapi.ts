import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { API_KEY_HEADER } from './auth.ts';
import { createDocumentTransforms } from './openapi-document.ts';

export const FLOWGATE_VERSION = '0.1.0';

/**
 * The OpenAPI 3 document is generated from the zod route schemas, so it cannot drift from what the
 * validators enforce; texts, examples, scopes and error responses come from openapi-operations.ts and the route
 * contract (openapi-document.ts). Served at <prefix>/openapi.json; Swagger UI at <prefix>/docs, as n8n serves it.
 * Registered after route-contract (which adds the standard error responses it documents and checks its own routes)
 * and before any route it is to describe.
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance, opts: { prefix: string; docsDisabled: boolean }) => {
    const { transform, transformObject } = createDocumentTransforms(opts.prefix);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'flowgate: n8n public API (v1)',
          version: FLOWGATE_VERSION,
          description: 'A self-hosted server that speaks n8n’s public REST API. Authenticate with the X-N8N-API-KEY header.',
        },
        servers: [{ url: '/' }],
        components: { securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'header', name: API_KEY_HEADER.toUpperCase() } } },
        security: [{ ApiKeyAuth: [] }],
      },
      transform,
      transformObject,
    });

    app.get(`${opts.prefix}/openapi.json`, { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

    if (opts.docsDisabled) return;
    await app.register(async (docs) => {
      // Swagger UI registers its own routes: they are public, like n8n's docs page.
      docs.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      await docs.register(swaggerUi, { routePrefix: `${opts.prefix}/docs`, uiConfig: { url: `${opts.prefix}/openapi.json` } as never });
    });
  },
  { name: 'openapi', dependencies: ['route-contract'] },
);
