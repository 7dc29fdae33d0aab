import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema, IdParamsSchema } from '../../lib/schemas.ts';
import { toVariableDto, VariableBodySchema, VariableListQuerySchema, VariableListSchema, VariableSchema } from './variables.schemas.ts';

const TAGS = ['Variables'];
const written = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const variablesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { variables } = app.services;

  app.get(
    '/variables',
    {
      config: { scopes: ['variable:list'] },
      schema: {
        operationId: 'getVariables',
        summary: 'List the variables the key may see: global ones, and those of its projects',
        tags: TAGS,
        querystring: VariableListQuerySchema,
        response: { 200: VariableListSchema },
      },
    },
    async (request) => {
      const page = await variables.list(request.query, request.grant!);
      return { data: page.data.map(toVariableDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/variables',
    {
      config: { scopes: ['variable:create'] },
      schema: {
        operationId: 'createVariable',
        summary: 'Create a variable, global or of a project; the answer is the variable (n8n answers no body)',
        tags: TAGS,
        body: VariableBodySchema,
        response: { 201: VariableSchema, ...written },
      },
    },
    async (request, reply) => {
      const variable = await variables.create(request.body, request.grant!);
      request.log.info({ variable: variable.id, byApiKeyId: request.principal!.apiKeyId }, 'variable created');
      return reply.status(201).send(toVariableDto(variable));
    },
  );

  app.put(
    '/variables/:id',
    {
      config: { scopes: ['variable:update'] },
      schema: {
        operationId: 'updateVariable',
        summary: 'Replace a variable’s key and value (and project)',
        tags: TAGS,
        params: IdParamsSchema,
        body: VariableBodySchema,
        response: { 204: z.null().describe('Updated'), ...written },
      },
    },
    async (request, reply) => {
      await variables.update(request.params.id, request.body, request.grant!);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/variables/:id',
    {
      config: { scopes: ['variable:delete'] },
      schema: {
        operationId: 'deleteVariable',
        summary: 'Delete a variable',
        tags: TAGS,
        params: IdParamsSchema,
        response: { 204: z.null().describe('Deleted'), 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await variables.delete(request.params.id, request.grant!);
      return reply.status(204).send(null);
    },
  );
};
