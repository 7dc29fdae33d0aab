import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema, PaginationQuerySchema } from '../../lib/schemas.ts';
import { ApiKeyListSchema, ApiKeySchema, CreateApiKeyBodySchema, CreatedApiKeySchema, toApiKeyDto } from './api-keys.schemas.ts';

const TAGS = ['ApiKey'];

export const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api-keys',
    {
      config: { scopes: ['apiKey:list'] },
      schema: {
        operationId: 'listApiKeys',
        summary: 'List API keys (never the keys themselves)',
        tags: TAGS,
        querystring: PaginationQuerySchema,
        response: { 200: ApiKeyListSchema },
      },
    },
    async (request) => {
      const page = await app.services.apiKeys.list(request.principal!, request.query);
      return { data: page.data.map(toApiKeyDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api-keys',
    {
      config: { scopes: ['apiKey:create'] },
      schema: {
        operationId: 'createApiKey',
        summary: 'Create an API key with a subset of the calling key’s scopes, expiring no later than the calling key',
        tags: TAGS,
        body: CreateApiKeyBodySchema,
        response: { 201: CreatedApiKeySchema },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const created = await app.services.apiKeys.createForCaller(request.principal!, {
        label: body.label,
        scopes: body.scopes,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
      });
      request.log.info(
        {
          apiKeyId: created.apiKey.id,
          scopes: created.apiKey.scopes,
          expiresAt: created.apiKey.expiresAt,
          byApiKeyId: request.principal!.apiKeyId,
        },
        'API key created',
      );
      return reply.status(201).send({ ...toApiKeyDto(created.apiKey), apiKey: created.key });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { scopes: ['apiKey:delete'] },
      schema: {
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key whose scopes the calling key holds; it stops working within seconds on every instance',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: ApiKeySchema },
      },
    },
    async (request) => {
      const revoked = await app.services.apiKeys.revokeForCaller(request.principal!, request.params.id);
      request.log.info({ apiKeyId: revoked.id, byApiKeyId: request.principal!.apiKeyId }, 'API key revoked');
      return toApiKeyDto(revoked);
    },
  );
};
