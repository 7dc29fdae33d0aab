import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendJsonText } from '../../lib/raw-json.ts';
import { PaginationQuerySchema } from '../../lib/schemas.ts';
import { callerOf } from '../../plugins/auth.ts';
import { toTagDto } from '../tags/tags.schemas.ts';
import { toVersionJson, toVersionSummaryDto, toWorkflowDto } from './workflows.dto.ts';
import {
  RestoreBodySchema,
  TagArraySchema,
  VersionListSchema,
  VersionParamsSchema,
  VersionSchema,
  WorkflowIdParamsSchema,
  WorkflowSchema,
  WorkflowTagsBodySchema,
} from './workflows.schemas.ts';

const TAGS = ['Workflow'];

type App = Parameters<FastifyPluginAsyncZod>[0];

/**
 * A workflow's tags (`/workflows/:id/tags`) and saved versions (`/history`, `/versions/:versionId`, restore).
 * Called by workflowsRoutes on its own instance (not registered as a plugin), so nothing changes but the file.
 */
export function workflowSubresourceRoutes(app: App) {
  const { workflows, workflowHistory: history } = app.services;

  app.get(
    '/workflows/:id/tags',
    {
      config: { scopes: ['workflowTags:list'] },
      schema: {
        operationId: 'getWorkflowTags',
        summary: 'Get a workflow’s tags',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        response: { 200: TagArraySchema },
      },
    },
    async (request) => (await workflows.getTags(request.params.id, request.grant!)).map(toTagDto),
  );

  app.put(
    '/workflows/:id/tags',
    {
      config: { scopes: ['workflowTags:update'] },
      schema: {
        operationId: 'updateWorkflowTags',
        summary: 'Replace a workflow’s tags',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        body: WorkflowTagsBodySchema,
        response: { 200: TagArraySchema },
      },
    },
    async (request) =>
      (
        await workflows.setTags(
          request.params.id,
          request.body.map((t) => t.id),
          request.grant!,
        )
      ).map(toTagDto),
  );

  app.get(
    '/workflows/:id/history',
    {
      config: { scopes: ['workflow:read'] },
      schema: {
        operationId: 'listWorkflowVersions',
        summary: 'List the saved versions of a workflow, newest first',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        querystring: PaginationQuerySchema,
        response: { 200: VersionListSchema },
      },
    },
    async (request) => {
      const page = await history.list(request.params.id, request.grant!, request.query);
      return { data: page.data.map(toVersionSummaryDto), nextCursor: page.nextCursor };
    },
  );

  for (const [url, operationId] of [
    ['/workflows/:id/versions/:versionId', 'getWorkflowVersion'],
    // n8n 2.x's own path for the same thing.
    ['/workflows/:id/:versionId', 'getWorkflowVersionN8n'],
  ] as const) {
    app.get(
      url,
      {
        config: { scopes: ['workflow:read'] },
        schema: {
          operationId,
          summary: 'Get one saved version of a workflow',
          tags: TAGS,
          params: VersionParamsSchema,
          response: { 200: VersionSchema },
        },
      },
      async (request, reply) =>
        sendJsonText(reply, toVersionJson(await history.getPassThrough(request.params.id, request.params.versionId, request.grant!))),
    );
  }

  app.post(
    '/workflows/:id/versions/:versionId/restore',
    {
      config: { scopes: ['workflow:update'] },
      schema: {
        operationId: 'restoreWorkflowVersion',
        summary: 'Restore a saved version (itself saved as a new version)',
        tags: TAGS,
        params: VersionParamsSchema,
        body: RestoreBodySchema,
        response: { 200: WorkflowSchema },
      },
    },
    async (request) =>
      toWorkflowDto(await history.restore(request.params.id, request.params.versionId, callerOf(request), request.body?.message)),
  );
}
