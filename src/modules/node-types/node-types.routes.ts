import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const NodeTypeListSchema = z.object({
  data: z.array(
    z.object({
      type: z.string(),
      typeVersions: z.array(z.number()).nullable().describe('The versions it implements; null: any version runs as the latest'),
      operations: z
        .array(z.string())
        .nullable()
        .describe('The operations it implements (resource:operation), when it has a choice of them'),
      trigger: z.boolean().describe('A run can start at it'),
    }),
  ),
});

/** GET /node-types (ours): what this server runs, so clients and AI agents know before they build. */
export const nodeTypesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/node-types',
    {
      config: { scopes: ['workflow:read'] },
      schema: {
        operationId: 'getNodeTypes',
        summary: 'The node types this server runs, with their typeVersions and operations',
        tags: ['NodeTypes'],
        response: { 200: NodeTypeListSchema },
      },
    },
    async () => {
      const registry = app.services.nodeTypes;
      return {
        data: registry.types().map((type) => {
          const node = registry.get(type)!;
          return {
            type,
            typeVersions: node.typeVersions ? [...node.typeVersions] : null,
            operations: node.operations ? [...node.operations] : null,
            trigger: node.trigger === true,
          };
        }),
      };
    },
  );
};
