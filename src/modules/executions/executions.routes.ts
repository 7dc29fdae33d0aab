import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendJsonText } from '../../lib/raw-json.ts';
import { ErrorSchema, IdParamsSchema, PaginationQuerySchema } from '../../lib/schemas.ts';
import { TagBodySchema, TagListSchema, TagSchema, toTagDto } from '../tags/tags.schemas.ts';
import { toExecutionDto, toExecutionJson, toExecutionListItemDto } from './executions.dto.ts';
import {
  ExecutionIdParamsSchema,
  ExecutionListSchema,
  ExecutionSchema,
  ExecutionTagSchema,
  ExecutionTagsBodySchema,
  GetExecutionQuerySchema,
  ListExecutionsQuerySchema,
  RetryBodySchema,
  RunStartedSchema,
  RunWorkflowBodySchema,
  RunWorkflowQuerySchema,
  StopManyBodySchema,
} from './executions.schemas.ts';

const TAGS = ['Executions'];
const tagDto = (t: { id: string; name: string; createdAt: Date; updatedAt: Date }) => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export const executionsRoutes: FastifyPluginAsyncZod = async (app) => {
  const executions = app.services.executions;

  app.get(
    '/executions',
    {
      config: { scopes: ['execution:list'] },
      schema: {
        operationId: 'listExecutions',
        summary: 'List executions, newest first',
        tags: TAGS,
        querystring: ListExecutionsQuerySchema,
        response: { 200: ExecutionListSchema },
      },
    },
    async (request) => {
      const page = await executions.list(request.grant!, request.query);
      const { includeData, redactExecutionData } = request.query;
      return { data: page.rows.map((row) => toExecutionListItemDto(row, includeData, redactExecutionData)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/executions/stop',
    {
      config: { scopes: ['execution:stop'] },
      schema: {
        operationId: 'stopExecutions',
        summary: 'Stop every execution matching a filter',
        tags: TAGS,
        body: StopManyBodySchema,
        response: { 200: z.object({ stopped: z.number() }) },
      },
    },
    async (request) => executions.stopMany(request.body, request.grant!),
  );

  app.get(
    '/executions/:id',
    {
      config: { scopes: ['execution:read'] },
      schema: {
        operationId: 'getExecution',
        summary: 'Get an execution',
        tags: TAGS,
        params: ExecutionIdParamsSchema,
        querystring: GetExecutionQuerySchema,
        response: { 200: ExecutionSchema },
      },
    },
    async (request, reply) => {
      const { includeData, redactExecutionData } = request.query;
      // Redaction rewrites every item, so it takes the parsed path; otherwise the run data passes through as stored.
      if (includeData && !redactExecutionData) {
        const read = await executions.getPassThrough(request.params.id, request.grant!);
        if ('passThrough' in read) return sendJsonText(reply, toExecutionJson(read.passThrough));
        return toExecutionDto(read.row, true, false);
      }
      return toExecutionDto(await executions.get(request.params.id, includeData, request.grant!), includeData, redactExecutionData);
    },
  );

  app.delete(
    '/executions/:id',
    {
      config: { scopes: ['execution:delete'] },
      schema: {
        operationId: 'deleteExecution',
        summary: 'Delete an execution (not while it runs)',
        tags: TAGS,
        params: ExecutionIdParamsSchema,
        response: { 200: ExecutionSchema },
      },
    },
    async (request) => toExecutionDto(await executions.delete(request.params.id, request.grant!)),
  );

  app.post(
    '/executions/:id/retry',
    {
      config: { scopes: ['execution:retry'] },
      schema: {
        operationId: 'retryExecution',
        summary: 'Retry a failed execution from the node that failed',
        tags: TAGS,
        params: ExecutionIdParamsSchema,
        body: RetryBodySchema,
        response: { 200: ExecutionSchema, 409: ErrorSchema },
      },
    },
    async (request) => toExecutionDto(await executions.retry(request.params.id, request.body.loadWorkflow ?? false, request.grant!), true),
  );

  app.post(
    '/executions/:id/stop',
    {
      config: { scopes: ['execution:stop'] },
      schema: {
        operationId: 'stopExecution',
        summary: 'Stop a running or waiting execution',
        tags: TAGS,
        params: ExecutionIdParamsSchema,
        response: { 200: ExecutionSchema, 409: ErrorSchema },
      },
    },
    async (request) => toExecutionDto(await executions.stop(request.params.id, request.grant!)),
  );

  app.get(
    '/executions/:id/tags',
    {
      config: { scopes: ['executionTags:list'] },
      schema: {
        operationId: 'getExecutionTags',
        summary: "An execution's annotation tags",
        tags: TAGS,
        params: ExecutionIdParamsSchema,
        response: { 200: z.array(ExecutionTagSchema) },
      },
    },
    async (request) => (await executions.getTags(request.params.id, request.grant!)).map(tagDto),
  );

  app.put(
    '/executions/:id/tags',
    {
      config: { scopes: ['executionTags:update'] },
      schema: {
        operationId: 'updateExecutionTags',
        summary: "Replace an execution's annotation tags",
        tags: TAGS,
        params: ExecutionIdParamsSchema,
        body: ExecutionTagsBodySchema,
        response: { 200: z.array(ExecutionTagSchema) },
      },
    },
    async (request) =>
      (
        await executions.setTags(
          request.params.id,
          request.body.map((t) => t.id),
          request.grant!,
        )
      ).map(tagDto),
  );

  app.get(
    '/annotation-tags',
    {
      config: { scopes: ['annotationTag:list'] },
      schema: {
        operationId: 'listAnnotationTags',
        summary: 'List annotation tags (the tags of executions; not workflow tags)',
        description: "flowgate's own: n8n 2.39 manages annotation tags only in its editor. Paged like GET /tags.",
        tags: TAGS,
        querystring: PaginationQuerySchema,
        response: { 200: TagListSchema },
      },
    },
    async (request) => {
      const page = await executions.listAnnotationTags(request.query);
      return { data: page.data.map(toTagDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/annotation-tags',
    {
      config: { scopes: ['annotationTag:create'] },
      schema: {
        operationId: 'createAnnotationTag',
        summary: 'Create an annotation tag, for PUT /executions/:id/tags',
        description: "flowgate's own: n8n 2.39 manages annotation tags only in its editor. Names are unique, 1 to 24 characters.",
        tags: TAGS,
        body: TagBodySchema,
        response: { 201: TagSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(toTagDto(await executions.createAnnotationTag(request.body.name))),
  );

  app.post(
    '/workflows/:id/run',
    {
      config: { scopes: ['workflow:execute'] },
      schema: {
        operationId: 'runWorkflow',
        summary: 'Run a workflow now (manual mode), optionally waiting for the result',
        description:
          'Body `{ "items": [...], "wait": true, "startNode": "..." }` (all optional; `?wait=true` works too). Without wait: 202 with the execution id; with wait: 200 with the finished execution and its data.',
        tags: ['Workflow'],
        params: IdParamsSchema,
        querystring: RunWorkflowQuerySchema,
        body: RunWorkflowBodySchema,
        response: { 200: ExecutionSchema, 202: RunStartedSchema },
      },
    },
    async (request, reply) => {
      const wait = request.body.wait ?? request.query.wait;
      const result = await executions.run(request.params.id, request.body, wait, request.grant!);
      if (result.execution) return reply.status(200).send(toExecutionDto(result.execution, true));
      return reply.status(202).send({ executionId: result.executionId });
    },
  );
};
