import { z } from 'zod';
import { LimitQuerySchema } from '../../lib/schemas.ts';

const booleanQuery = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

/** n8n validates the execution id as a number: `request/params/id must be number`. */
export const ExecutionIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be number')
    .transform(Number),
});

/** n8n 2.39 checks these with zod 3's `datetime()`: ISO 8601 in UTC (`Z`), else `request/query/<name> Invalid datetime`. */
const dateTimeQuery = z.iso.datetime({ message: 'Invalid datetime' }).optional();

/** n8n's tri-state: true redacts the run data; false and omitted leave it (flowgate has no redaction policies). */
const redactQuery = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true')
  .describe("With includeData: replace every item's json with {} and mark it redacted, as n8n does");

export const ListExecutionsQuerySchema = z.object({
  includeData: booleanQuery,
  redactExecutionData: redactQuery,
  startedAfter: dateTimeQuery.describe('Only executions started at or after this time'),
  startedBefore: dateTimeQuery.describe('Only executions started at or before this time'),
  status: z.enum(['canceled', 'crashed', 'error', 'new', 'running', 'success', 'unknown', 'waiting']).optional(),
  workflowId: z.string().max(64).optional(),
  projectId: z.string().max(64).optional(),
  limit: LimitQuerySchema,
  cursor: z.string().optional(),
});

export const GetExecutionQuerySchema = z.object({ includeData: booleanQuery, redactExecutionData: redactQuery });

export const RetryBodySchema = z
  .object({ loadWorkflow: z.boolean().optional() })
  .strict()
  .nullish()
  .transform((v) => v ?? {});

export const StopManyBodySchema = z
  .object({
    status: z.array(z.enum(['queued', 'running', 'waiting'])),
    workflowId: z.string().max(64).optional(),
    startedAfter: z.iso.datetime().optional(),
    startedBefore: z.iso.datetime().optional(),
  })
  .strict();

export const RunWorkflowBodySchema = z
  .object({
    items: z
      .array(z.union([z.object({ json: z.record(z.string(), z.unknown()) }).loose(), z.record(z.string(), z.unknown())]))
      .max(10_000)
      .optional()
      .describe('Items for the trigger node: `{ json }` objects or plain objects'),
    wait: z.boolean().optional().describe('Answer with the finished execution instead of its id'),
    startNode: z
      .string()
      .max(128)
      .optional()
      .describe('The trigger node to start from (default: the manual trigger, else the first trigger)'),
  })
  .strict()
  .nullish()
  .transform((v) => v ?? {});

export const RunWorkflowQuerySchema = z.object({ wait: booleanQuery });

export const ExecutionTagsBodySchema = z.array(z.object({ id: z.string().min(1).max(64) }).strict()).max(100);

const nullableString = z.string().nullable();
const executionCore = {
  id: z.string(),
  finished: z.boolean(),
  mode: z.string(),
  retryOf: nullableString,
  retrySuccessId: nullableString,
  status: z.string(),
};
const dataFields = {
  data: z.unknown().optional(),
  customData: z.record(z.string(), z.unknown()).optional(),
  workflowData: z.unknown().optional(),
};

export const ExecutionSchema = z
  .object({
    ...executionCore,
    createdAt: z.string(),
    startedAt: nullableString,
    stoppedAt: nullableString,
    deletedAt: z.null(),
    workflowId: z.string(),
    waitTill: nullableString,
    storedAt: z.literal('db'),
    tracingContext: z.null(),
    deduplicationKey: z.null(),
    jsonSizeBytes: z.number(),
    binaryDataSizeBytes: z.number(),
    workflowVersionId: nullableString,
    usedPrivateCredentials: z.boolean(),
    ...dataFields,
  })
  .meta({ id: 'Execution' });

export const ExecutionListItemSchema = z.object({
  ...executionCore,
  startedAt: nullableString,
  stoppedAt: nullableString,
  workflowId: z.string(),
  waitTill: nullableString,
  storedAt: z.literal('db').optional(),
  jsonSizeBytes: z.number().optional(),
  workflowVersionId: nullableString.optional(),
  ...dataFields,
});

export const ExecutionListSchema = z.object({ data: z.array(ExecutionListItemSchema), nextCursor: z.string().nullable() });

export const RunStartedSchema = z.object({ executionId: z.string() });

export const ExecutionTagSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), updatedAt: z.string() });
