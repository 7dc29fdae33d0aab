import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendJsonText, stringifyWithRaw } from '../../lib/raw-json.ts';
import { ErrorSchema } from '../../lib/schemas.ts';
import { callerOf } from '../../plugins/auth.ts';
import type { Grant } from '../roles/grant.ts';
import { toWorkflowDto, toWorkflowJson, toWorkflowListItemJson } from './workflows.dto.ts';
import {
  expectedVersion,
  rejectReadOnlyFields,
  sendDiffOutcome,
  validatePatchBody,
  versionMessage,
  withTypeWarnings,
} from './workflows.http.ts';
import {
  CreateWorkflowBodySchema,
  GetWorkflowQuerySchema,
  ListWorkflowsQuerySchema,
  PatchWorkflowBodySchema,
  ReplaceWorkflowBodySchema,
  ReplaceWorkflowQuerySchema,
  TransferBodySchema,
  WorkflowIdParamsSchema,
  WorkflowListSchema,
  WorkflowSchema,
} from './workflows.schemas.ts';
import { DiffRequestSchema, DiffResponseSchema } from './workflows-diff.schemas.ts';
import { workflowSubresourceRoutes } from './workflows-subresources.routes.ts';

const TAGS = ['Workflow'];

const ActivateBodySchema = z
  .strictObject({ versionId: z.string().optional(), name: z.string().optional(), description: z.string().optional() })
  .nullish();

export const workflowsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workflows, workflowPublishing: publishing } = app.services;
  const full = (workflow: Parameters<typeof toWorkflowDto>[0]) => toWorkflowDto(workflow);
  /** A write's answer: the workflow, with warnings for node types this server does not run. */
  const written = (workflow: Parameters<typeof toWorkflowDto>[0]) =>
    withTypeWarnings(toWorkflowDto(workflow), workflow.nodes, app.services.nodeTypes);
  const withActiveVersion = async (id: string, grant: Grant) => {
    const { workflow, activeVersion } = await workflows.get(id, grant);
    return toWorkflowDto(workflow, { activeVersion });
  };

  app.post(
    '/workflows',
    {
      config: { scopes: ['workflow:create'] },
      preValidation: rejectReadOnlyFields,
      schema: {
        operationId: 'createWorkflow',
        summary: 'Create a workflow (inactive)',
        tags: TAGS,
        body: CreateWorkflowBodySchema,
        response: { 200: WorkflowSchema },
      },
    },
    async (request) => {
      return written(await workflows.create(request.body, callerOf(request), { message: versionMessage(request) }));
    },
  );

  app.get(
    '/workflows',
    {
      config: { scopes: ['workflow:list'] },
      schema: {
        operationId: 'listWorkflows',
        summary: 'List workflows, newest first',
        tags: TAGS,
        querystring: ListWorkflowsQuerySchema,
        response: { 200: WorkflowListSchema },
      },
    },
    async (request, reply) => {
      const page = await workflows.listPassThrough(request.query, request.grant!);
      const excludePinnedData = request.query.excludePinnedData === true;
      const data = page.data.map((row) => toWorkflowListItemJson(row.workflow, row.json, excludePinnedData));
      return sendJsonText(reply, stringifyWithRaw({ data, nextCursor: page.nextCursor }));
    },
  );

  app.get(
    '/workflows/:id',
    {
      config: { scopes: ['workflow:read'] },
      schema: {
        operationId: 'getWorkflow',
        summary: 'Get a workflow',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        querystring: GetWorkflowQuerySchema,
        response: { 200: WorkflowSchema },
      },
    },
    async (request, reply) =>
      sendJsonText(
        reply,
        toWorkflowJson(await workflows.getPassThrough(request.params.id, request.grant!), {
          excludePinnedData: request.query.excludePinnedData,
        }),
      ),
  );

  app.put(
    '/workflows/:id',
    {
      config: { scopes: ['workflow:update'] },
      preValidation: rejectReadOnlyFields,
      schema: {
        operationId: 'updateWorkflow',
        summary: 'Replace a workflow’s name, nodes, connections and settings (a new version)',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        querystring: ReplaceWorkflowQuerySchema,
        body: ReplaceWorkflowBodySchema,
        response: { 200: WorkflowSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const { versionId, parentFolderId, ...body } = request.body;
      const options = {
        parentFolderId,
        expectedVersionId: expectedVersion(request, versionId),
        message: versionMessage(request),
        publish: request.query.publishIfActive,
      };
      return written(await workflows.replace(request.params.id, body, callerOf(request), options));
    },
  );

  app.patch(
    '/workflows/:id',
    {
      config: { scopes: ['workflow:update'] },
      preValidation: validatePatchBody,
      schema: {
        operationId: 'patchWorkflow',
        summary: 'Edit a workflow: a batch of diff operations (with `operations`), or a partial update of top-level fields',
        description:
          'With `operations`, the batch is applied atomically in one transaction (or best-effort with continueOnError); the answer is `{ success, data, message, details }`, 400 with the same shape when the batch fails. Without `operations`, the given top-level fields are replaced. Both save a new version.',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        body: z.union([DiffRequestSchema, PatchWorkflowBodySchema]),
        response: {
          200: z.union([DiffResponseSchema, WorkflowSchema]),
          400: z.union([DiffResponseSchema, ErrorSchema]),
          409: z.union([DiffResponseSchema, ErrorSchema]),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ('operations' in body) {
        const { versionId, ...diff } = body;
        const outcome = await app.services.workflowsDiff.apply(
          request.params.id,
          diff,
          callerOf(request),
          expectedVersion(request, versionId),
        );
        return sendDiffOutcome(request, reply, outcome, { validateOnly: diff.validateOnly, return: diff.return });
      }
      const { versionId, parentFolderId, ...fields } = body;
      const options = { parentFolderId, expectedVersionId: expectedVersion(request, versionId), message: versionMessage(request) };
      return written(await workflows.patch(request.params.id, fields, callerOf(request), options));
    },
  );

  app.delete(
    '/workflows/:id',
    {
      config: { scopes: ['workflow:delete'] },
      schema: {
        operationId: 'deleteWorkflow',
        summary: 'Delete a workflow (deactivated first)',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        response: { 200: WorkflowSchema },
      },
    },
    async (request) => full(await workflows.delete(request.params.id, request.grant!)),
  );

  // n8n 2.x names activation "publish": both spellings, same behaviour and answers.
  for (const [action, operationId] of [
    ['activate', 'activateWorkflow'],
    ['publish', 'publishWorkflow'],
  ] as const) {
    app.post(
      `/workflows/:id/${action}`,
      {
        config: { scopes: ['workflow:activate'] },
        schema: {
          operationId,
          summary: 'Activate (publish) the current version',
          tags: TAGS,
          params: WorkflowIdParamsSchema,
          body: ActivateBodySchema,
          response: { 200: WorkflowSchema, 409: ErrorSchema },
        },
      },
      async (request) => {
        await publishing.activate(request.params.id, callerOf(request), request.body?.versionId);
        return withActiveVersion(request.params.id, request.grant!);
      },
    );
  }

  for (const [action, operationId] of [
    ['deactivate', 'deactivateWorkflow'],
    ['unpublish', 'unpublishWorkflow'],
  ] as const) {
    app.post(
      `/workflows/:id/${action}`,
      {
        config: { scopes: ['workflow:deactivate'] },
        schema: {
          operationId,
          summary: 'Deactivate (unpublish) a workflow',
          tags: TAGS,
          params: WorkflowIdParamsSchema,
          response: { 200: WorkflowSchema },
        },
      },
      async (request) => {
        await publishing.deactivate(request.params.id, callerOf(request));
        return withActiveVersion(request.params.id, request.grant!);
      },
    );
  }

  app.post(
    '/workflows/:id/archive',
    {
      config: { scopes: ['workflow:delete'] },
      schema: {
        operationId: 'archiveWorkflow',
        summary: 'Archive a workflow (deactivates it)',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        response: { 200: WorkflowSchema, 409: ErrorSchema },
      },
    },
    async (request) => full(await publishing.archive(request.params.id, callerOf(request))),
  );

  app.post(
    '/workflows/:id/unarchive',
    {
      config: { scopes: ['workflow:delete'] },
      schema: {
        operationId: 'unarchiveWorkflow',
        summary: 'Unarchive a workflow',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        response: { 200: WorkflowSchema, 409: ErrorSchema },
      },
    },
    async (request) => full(await publishing.unarchive(request.params.id, callerOf(request))),
  );

  app.put(
    '/workflows/:id/transfer',
    {
      config: { scopes: ['workflow:move'] },
      schema: {
        operationId: 'transferWorkflow',
        summary: 'Move a workflow to another project',
        tags: TAGS,
        params: WorkflowIdParamsSchema,
        body: TransferBodySchema,
        response: { 204: z.null().describe('Transferred') },
      },
    },
    async (request, reply) => {
      await workflows.transfer(request.params.id, request.body.destinationProjectId, request.grant!);
      return reply.status(204).send(null);
    },
  );

  // A workflow's tags and saved versions, registered here so the routes keep their order.
  workflowSubresourceRoutes(app);
};
