import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { discover } from './discover.ts';

const DiscoverQuerySchema = z.object({
  include: z.enum(['schemas']).optional().describe('`schemas` adds each endpoint’s request body schema'),
  resource: z.string().max(64).optional().describe('Only this resource (see filters.resource.values)'),
  operation: z.string().max(64).optional().describe('Only endpoints of this action (see filters.operation.values)'),
});

const DiscoverSchema = z.object({
  data: z.object({
    scopes: z.array(z.string()),
    resources: z.record(
      z.string(),
      z.object({
        operations: z.array(z.string()),
        endpoints: z.array(
          z.object({ method: z.string(), path: z.string(), operationId: z.string(), requestSchema: z.unknown().optional() }),
        ),
      }),
    ),
    filters: z.record(z.string(), z.object({ description: z.string(), values: z.array(z.string()) })),
    specUrl: z.string(),
  }),
});

type OpenApiDocument = { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>> };

export const discoverRoutes: FastifyPluginAsyncZod = async (app, opts) => {
  const prefix = (opts as { prefix?: string }).prefix ?? '/api/v1';
  app.get(
    '/discover',
    {
      config: { anyKey: true },
      schema: {
        operationId: 'getDiscover',
        summary: 'What this API key may do: its scopes, and the operations it may call',
        tags: ['Discover'],
        querystring: DiscoverQuerySchema,
        response: { 200: DiscoverSchema },
      },
    },
    async (request) => {
      const principal = request.principal!;
      let document: OpenApiDocument | undefined;
      const requestSchemaOf = (method: string, path: string) => {
        document ??= app.swagger() as OpenApiDocument;
        return document.paths?.[path]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      };
      const data = discover(
        app.routeContracts.filter((r) => r.method !== 'HEAD' && !r.hidden && !r.public),
        principal,
        { resource: request.query.resource, operation: request.query.operation, includeSchemas: request.query.include === 'schemas' },
        requestSchemaOf,
      );
      return { data: { ...data, specUrl: `${prefix}/openapi.json` } };
    },
  );
};
