import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors.ts';
import { ErrorSchema, PaginationQuerySchema } from '../../lib/schemas.ts';
import { formatZodError } from '../../plugins/validation-message.ts';
import { toTagDto } from '../tags/tags.schemas.ts';
import { toVersionDto, toVersionSummaryDto, toWorkflowDto, toWorkflowListItemDto } from './workflows.dto.ts';
import {
  CreateWorkflowBodySchema,
  GetWorkflowQuerySchema,
  ListWorkflowsQuerySchema,
  PatchWorkflowBodySchema,
  READ_ONLY_FIELDS,
  ReplaceWorkflowBodySchema,
  ReplaceWorkflowQuerySchema,
  RestoreBodySchema,
  TagArraySchema,
  TransferBodySchema,
  VersionListSchema,
  VersionParamsSchema,
  VersionSchema,
  WorkflowIdParamsSchema,
  WorkflowListSchema,
  WorkflowSchema,
  WorkflowTagsBodySchema,
} from './workflows.schemas.ts';
import { DiffRequestSchema, DiffResponseSchema } from './workflows-diff.schemas.ts';
import type { BatchReport } from './workflows-diff.service.ts';

const TAGS = ['Workflow'];

/** n8n answers `request/body/<field> is read-only` for response-only fields, before any other check. */
async function rejectReadOnlyFields(request: FastifyRequest) {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const field = READ_ONLY_FIELDS.find((f) => f in body) ?? (request.method === 'POST' && 'versionId' in body ? 'versionId' : undefined);
  if (field) throw new ValidationError(`request/body/${field} is read-only`);
}

/** Optimistic locking: `versionId` in the body or an `If-Match: "<versionId>"` header. */
function expectedVersion(request: FastifyRequest, bodyVersionId: string | undefined): string | undefined {
  const header = request.headers['if-match'];
  const raw = typeof header === 'string' ? header.replace(/^W\//, '').replaceAll('"', '').trim() : undefined;
  // `If-Match: *` matches any current version (RFC 9110): no expectation.
  const fromHeader = raw === '*' ? undefined : raw;
  if (bodyVersionId && fromHeader && bodyVersionId !== fromHeader) {
    throw new ValidationError('versionId in the body and If-Match disagree; send one of them');
  }
  return bodyVersionId ?? (fromHeader || undefined);
}

/**
 * PATCH carries one of two bodies; validating each with its own schema gives messages about the body the
 * client meant to send rather than about a union.
 */
async function validatePatchBody(request: FastifyRequest) {
  const body = request.body;
  const isDiff = typeof body === 'object' && body !== null && 'operations' in body;
  if (!isDiff) await rejectReadOnlyFields(request);
  const parsed = (isDiff ? DiffRequestSchema : PatchWorkflowBodySchema).safeParse(body);
  if (!parsed.success) throw new ValidationError(formatZodError('body', parsed.error, body), parsed.error.issues);
}

function diffDetails(result: BatchReport) {
  return {
    operationsApplied: result.applied.length,
    applied: result.applied,
    failed: result.failed,
    results: result.results,
    errors: result.errors,
    warnings: result.warnings,
    staleConnections: result.staleConnections,
  };
}

const versionMessage = (request: FastifyRequest) => {
  const header = request.headers['x-version-message'];
  return typeof header === 'string' && header.trim() ? header.trim().slice(0, 1000) : undefined;
};

const ActivateBodySchema = z
  .strictObject({ versionId: z.string().optional(), name: z.string().optional(), description: z.string().optional() })
  .nullish();

export const workflowsRoutes: FastifyPluginAsyncZod = async (app) => {
  const workflows = app.services.workflows;
  const full = (workflow: Parameters<typeof toWorkflowDto>[0]) => toWorkflowDto(workflow);
  const withActiveVersion = async (id: string, excludePinnedData?: boolean) => {
    const { workflow, activeVersion } = await workflows.get(id);
    return toWorkflowDto(workflow, { activeVersion, excludePinnedData });
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
      const { parentFolderId: _ignored, ...body } = request.body;
      return full(await workflows.create(body, request.principal!, { message: versionMessage(request) }));
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
    async (request) => {
      const page = await workflows.list(request.query);
      return {
        data: page.data.map((w) => toWorkflowListItemDto(w, request.query.excludePinnedData === true)),
        nextCursor: page.nextCursor,
      };
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
    async (request) => withActiveVersion(request.params.id, request.query.excludePinnedData),
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
      const { versionId, parentFolderId: _ignored, ...body } = request.body;
      const options = {
        expectedVersionId: expectedVersion(request, versionId),
        message: versionMessage(request),
        publish: request.query.publishIfActive,
      };
      return full(await workflows.replace(request.params.id, body, request.principal!, options));
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
          request.principal!,
          expectedVersion(request, versionId),
        );
        const details = { ...diffDetails(outcome.result), validateOnly: diff.validateOnly };
        if (!outcome.ok) {
          const { status, message, code } = outcome;
          return reply.status(status).send({ success: false, data: null, message, code, details, requestId: request.id });
        }
        return { success: true, data: full(outcome.workflow), message: outcome.message, details };
      }
      const { versionId, parentFolderId: _ignored, ...fields } = body;
      const options = { expectedVersionId: expectedVersion(request, versionId), message: versionMessage(request) };
      return full(await workflows.patch(request.params.id, fields, request.principal!, options));
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
    async (request) => full(await workflows.delete(request.params.id)),
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
        await workflows.activate(request.params.id, request.principal!, request.body?.versionId);
        return withActiveVersion(request.params.id);
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
        await workflows.deactivate(request.params.id, request.principal!);
        return withActiveVersion(request.params.id);
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
    async (request) => full(await workflows.archive(request.params.id, request.principal!)),
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
    async (request) => full(await workflows.unarchive(request.params.id, request.principal!)),
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
      await workflows.transfer(request.params.id, request.body.destinationProjectId);
      return reply.status(204).send(null);
    },
  );

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
    async (request) => (await workflows.getTags(request.params.id)).map(toTagDto),
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
      const page = await workflows.history(request.params.id, request.query);
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
      async (request) => toVersionDto(await workflows.getVersion(request.params.id, request.params.versionId)),
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
      full(await workflows.restore(request.params.id, request.params.versionId, request.principal!, request.body?.message)),
  );
};
