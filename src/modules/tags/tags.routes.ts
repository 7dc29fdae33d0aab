import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorSchema, IdParamsSchema, PaginationQuerySchema } from '../../lib/schemas.ts';
import { TagBodySchema, TagListSchema, TagSchema, toTagDto } from './tags.schemas.ts';

const TAGS = ['Tags'];

export const tagsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = app.services.tags;

  app.get(
    '/tags',
    {
      config: { scopes: ['tag:list'] },
      schema: {
        operationId: 'listTags',
        summary: 'List tags',
        tags: TAGS,
        querystring: PaginationQuerySchema,
        response: { 200: TagListSchema },
      },
    },
    async (request) => {
      const page = await tags.list(request.query);
      return { data: page.data.map(toTagDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/tags',
    {
      config: { scopes: ['tag:create'] },
      schema: {
        operationId: 'createTag',
        summary: 'Create a tag',
        tags: TAGS,
        body: TagBodySchema,
        response: { 201: TagSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(toTagDto(await tags.create(request.body.name))),
  );

  app.get(
    '/tags/:id',
    {
      config: { scopes: ['tag:read'] },
      schema: { operationId: 'getTag', summary: 'Get a tag', tags: TAGS, params: IdParamsSchema, response: { 200: TagSchema } },
    },
    async (request) => toTagDto(await tags.get(request.params.id)),
  );

  app.put(
    '/tags/:id',
    {
      config: { scopes: ['tag:update'] },
      schema: {
        operationId: 'updateTag',
        summary: 'Rename a tag',
        tags: TAGS,
        params: IdParamsSchema,
        body: TagBodySchema,
        response: { 200: TagSchema, 409: ErrorSchema },
      },
    },
    async (request) => toTagDto(await tags.rename(request.params.id, request.body.name)),
  );

  app.delete(
    '/tags/:id',
    {
      config: { scopes: ['tag:delete'] },
      schema: {
        operationId: 'deleteTag',
        summary: 'Delete a tag (it is removed from every workflow)',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 200: TagSchema },
      },
    },
    async (request) => toTagDto(await tags.delete(request.params.id)),
  );
};
