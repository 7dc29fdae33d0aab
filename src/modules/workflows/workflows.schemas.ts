import { z } from 'zod';
import { MAX_PORT_INDEX } from '../../engine/connections.ts';
import { LimitQuerySchema, OffsetQuerySchema } from '../../lib/schemas.ts';
import { ConnectionsSchema, NodeSchema, SettingsSchema } from '../../workflow-model/index.ts';

/** Limits on what one workflow may hold: generous next to real workflows (the largest community template has 244 nodes). */
export const WORKFLOW_LIMITS = { nodes: 5000, connectionIndex: MAX_PORT_INDEX } as const;

// The node, connection and settings shapes live in the workflow model, shared with the diff engine and the engine.
// NodeSchema, SettingsSchema and WorkflowNode are re-exported for the workflows files that import them from here.
export { NodeSchema, SettingsSchema, type WorkflowNode } from '../../workflow-model/index.ts';

/** n8n accepts staticData as an object or as a JSON string of one. */
const StaticDataSchema = z
  .union([
    z.record(z.string(), z.unknown()),
    z.string().transform((text, ctx) => {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      } catch {}
      ctx.addIssue({ code: 'custom', message: 'must be an object or a JSON string of an object' });
      return z.NEVER;
    }),
  ])
  .nullable();

const PinDataSchema = z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).nullable();

const writableFields = {
  name: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  description: z.string().nullable().optional(),
  nodes: z.array(NodeSchema).max(WORKFLOW_LIMITS.nodes, `must contain at most ${WORKFLOW_LIMITS.nodes} nodes`),
  connections: ConnectionsSchema,
  settings: SettingsSchema,
  staticData: StaticDataSchema.optional(),
  pinData: PinDataSchema.optional(),
  nodeGroups: z.array(z.unknown()).optional(),
  parentFolderId: z
    .string()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .describe(
      'The folder to put it in (a folder of its project; on create, the folder’s project is where it goes); null or "0": the top level',
    ),
};

/** Response-only fields: sending one is `request/body/<field> is read-only`, as n8n answers. */
export const READ_ONLY_FIELDS = [
  'id',
  'active',
  'activeVersionId',
  'activeVersion',
  'createdAt',
  'updatedAt',
  'tags',
  'shared',
  'isArchived',
  'triggerCount',
  'versionCounter',
  'sourceWorkflowId',
  'parentFolder',
] as const;

export const CreateWorkflowBodySchema = z.strictObject(writableFields);

/** Full update; `versionId` is the version the caller last saw (409 if another write came in between). */
export const ReplaceWorkflowBodySchema = z.strictObject({
  ...writableFields,
  versionId: z.uuid().optional().describe('Expected current versionId (optimistic locking); also accepted as If-Match'),
});

/** Partial update (PATCH without `operations`): any subset of the writable fields, plus meta. */
export const PatchWorkflowBodySchema = z.strictObject({
  name: writableFields.name.optional(),
  description: writableFields.description,
  nodes: writableFields.nodes.optional(),
  connections: writableFields.connections.optional(),
  settings: writableFields.settings.optional(),
  staticData: writableFields.staticData,
  pinData: writableFields.pinData,
  nodeGroups: writableFields.nodeGroups,
  parentFolderId: writableFields.parentFolderId,
  meta: z.record(z.string(), z.unknown()).nullable().optional(),
  versionId: z.uuid().optional().describe('Expected current versionId (optimistic locking); also accepted as If-Match'),
});

export type CreateWorkflowBody = z.output<typeof CreateWorkflowBodySchema>;
export type PatchWorkflowBody = z.output<typeof PatchWorkflowBodySchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListWorkflowsQuerySchema = z.object({
  active: booleanQuery.optional(),
  name: z.string().optional().describe('Substring of the name (case-insensitive)'),
  tags: z.string().optional().describe('Comma-separated tag names; a workflow must have all of them'),
  projectId: z.string().optional(),
  excludePinnedData: booleanQuery.optional(),
  offset: OffsetQuerySchema,
  limit: LimitQuerySchema,
  cursor: z.string().optional().describe('The nextCursor of the previous page; it overrides offset and limit'),
});

/** n8n 2.39: `publishIfActive=false` saves a draft of an active workflow and leaves the published version running. */
export const ReplaceWorkflowQuerySchema = z.object({
  publishIfActive: booleanQuery
    .optional()
    .transform((v) => v ?? true)
    .describe('When the workflow is active: publish the saved version (true, the default) or keep the running one'),
});

export const GetWorkflowQuerySchema = z.object({ excludePinnedData: booleanQuery.optional() });

export const WorkflowIdParamsSchema = z.object({ id: z.string().min(1).max(64) });
export const VersionParamsSchema = z.object({ id: z.string().min(1).max(64), versionId: z.string().min(1).max(64) });

export const TransferBodySchema = z.strictObject({ destinationProjectId: z.string().min(1) });
export const WorkflowTagsBodySchema = z.array(z.strictObject({ id: z.string().min(1) }));
export const RestoreBodySchema = z.strictObject({ message: z.string().max(1000).optional() }).nullish();

// Responses. Inner JSON (nodes, connections, settings, …) is passed through as stored: it was validated on the way
// in, and re-validating a 30-node workflow on every read would cost more than the database read itself.
const json = z.unknown();
const jsonObject = z.record(z.string(), z.unknown());
const TagRefSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), updatedAt: z.string() });

const ProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  icon: json,
  description: z.string().nullable(),
  customTelemetryTags: z.array(z.string()),
  creatorId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const SharingSchema = z.object({
  role: z.string(),
  workflowId: z.string(),
  projectId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ActiveVersionSchema = z.object({
  versionId: z.string(),
  workflowId: z.string(),
  nodes: z.array(json),
  connections: jsonObject,
  nodeGroups: z.array(json),
  authors: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  autosaved: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  workflowPublishHistory: z.array(
    z.object({
      id: z.number(),
      workflowId: z.string(),
      versionId: z.string(),
      event: z.string(),
      userId: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const WorkflowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    active: z.boolean(),
    activeVersionId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    isArchived: z.boolean(),
    versionId: z.string(),
    versionCounter: z.number(),
    sourceWorkflowId: z.string().nullable(),
    triggerCount: z.number(),
    nodes: z.array(json),
    connections: jsonObject,
    nodeGroups: z.array(json),
    settings: jsonObject,
    staticData: json,
    pinData: json.optional(),
    meta: json,
    tags: z.array(TagRefSchema),
    shared: z.array(SharingSchema.extend({ project: ProjectSchema })),
    activeVersion: ActiveVersionSchema.nullable(),
    parentFolderId: z.string().optional().describe('The folder it is in; absent at its project’s top level'),
    parentFolder: z.object({ id: z.string() }).nullable(),
    warnings: z.array(z.string()).optional().describe('On writes: node types this server does not run (the workflow is saved as sent)'),
  })
  .meta({ id: 'Workflow' });

/** n8n 2.39's list item: the workflow without description, versionCounter and the sharing's project. */
export const WorkflowListSchema = z.object({
  data: z.array(
    WorkflowSchema.omit({ description: true, versionCounter: true, sourceWorkflowId: true, parentFolder: true }).extend({
      shared: z.array(SharingSchema),
      activeVersion: z.object({ versionId: z.string(), workflowId: z.string() }).nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const TagArraySchema = z.array(TagRefSchema);

const VersionSummaryFields = {
  versionId: z.string(),
  workflowId: z.string(),
  authors: z.string().describe('The label of the API key that saved this version'),
  name: z.string().nullable(),
  description: z.string().nullable(),
  message: z.string().nullable().describe('Why this version was saved (restore, archive, a client-supplied message, …)'),
  counter: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const VersionListSchema = z.object({ data: z.array(z.object(VersionSummaryFields)), nextCursor: z.string().nullable() });

export const VersionSchema = z
  .object({
    ...VersionSummaryFields,
    workflowName: z.string(),
    nodes: z.array(json),
    connections: jsonObject,
    settings: jsonObject,
    staticData: json,
    pinData: json,
    meta: json,
    nodeGroups: z.array(json),
  })
  .meta({ id: 'WorkflowVersion' });
