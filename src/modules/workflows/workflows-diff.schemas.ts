import { z } from 'zod';
import { OperationSchema } from '../../diff-engine/index.ts';
import { ERROR_CODE_NAMES } from '../../lib/error-codes.ts';
import { WorkflowSchema } from './workflows.schemas.ts';

export const MAX_OPERATIONS = 1000;

/** PATCH /workflows/:id with `operations`: the diff request of the project's spec. */
export const DiffRequestSchema = z
  .strictObject({
    // Each operation is validated by the engine (so a bad one can be reported by index, or skipped with
    // continueOnError); the union only documents every operation type in the OpenAPI document.
    operations: z
      .array(z.union([OperationSchema, z.unknown()]))
      .min(1, 'must contain at least one operation')
      .max(MAX_OPERATIONS, `must contain at most ${MAX_OPERATIONS} operations; split the batch`)
      .describe('Diff operations, each with a `type`; see DiffOperation for every type'),
    validateOnly: z.boolean().default(false).describe('Check and compute the result without saving it'),
    continueOnError: z.boolean().default(false).describe('Best effort: apply what can be applied (default: all or nothing)'),
    createBackup: z.boolean().default(true).describe('Keep this change in the history, with intent and descriptions'),
    intent: z.string().max(2000).optional().describe('Why the batch is made; kept as the history entry’s message'),
    versionId: z.uuid().optional().describe('Expected current versionId (optimistic locking); also accepted as If-Match'),
    return: z
      .enum(['minimal', 'representation'])
      .optional()
      .describe(
        'What `data` holds: the whole workflow (representation, the default) or only what the batch changed (minimal); also `Prefer: return=minimal`',
      ),
  })
  .meta({ id: 'WorkflowDiffRequest' });

export type DiffRequest = z.output<typeof DiffRequestSchema>;

const DiffErrorSchema = z.object({ operation: z.number(), code: z.enum(ERROR_CODE_NAMES), message: z.string() });

export const DiffDetailsSchema = z.object({
  operationsApplied: z.number(),
  applied: z.array(z.number()),
  failed: z.array(z.number()),
  results: z.array(z.object({ index: z.number(), type: z.string(), status: z.string(), description: z.string().optional() })),
  errors: z.array(DiffErrorSchema),
  warnings: z.array(z.string()),
  staleConnections: z.array(z.object({ source: z.string(), target: z.string(), output: z.string(), index: z.number() })),
  validateOnly: z.boolean(),
});

/** `return: minimal`: what the batch changed, not the whole workflow (what costs an AI agent its tokens). */
export const DiffMinimalDataSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    versionId: z.string(),
    versionCounter: z.number(),
    active: z.boolean(),
    updatedAt: z.string(),
    nodes: z.array(z.record(z.string(), z.unknown())).describe('Each node the batch added or changed, in its saved state'),
    removedNodes: z.array(z.string()).describe('Names of the nodes the batch removed'),
  })
  .meta({ id: 'WorkflowDiffMinimalData' });

export const DiffResponseSchema = z
  .object({
    success: z.boolean(),
    data: z.union([WorkflowSchema, DiffMinimalDataSchema]).nullable(),
    message: z.string(),
    code: z.enum(ERROR_CODE_NAMES).optional().describe('On failure: the first error’s code'),
    details: DiffDetailsSchema,
    requestId: z.string().optional().describe('On failure: the id the server logged the request under'),
  })
  .meta({ id: 'WorkflowDiffResponse' });
