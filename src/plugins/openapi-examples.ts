import type { z } from 'zod';
import { CreateApiKeyBodySchema, CreatedApiKeySchema } from '../modules/api-keys/api-keys.schemas.ts';
import { CreateCredentialBodySchema, CredentialSchema, UpdateCredentialBodySchema } from '../modules/credentials/credentials.schemas.ts';
import { ExecutionSchema, RunStartedSchema, RunWorkflowBodySchema, StopManyBodySchema } from '../modules/executions/executions.schemas.ts';
import { TagBodySchema, TagSchema } from '../modules/tags/tags.schemas.ts';
import {
  CreateWorkflowBodySchema,
  PatchWorkflowBodySchema,
  ReplaceWorkflowBodySchema,
  TransferBodySchema,
  WorkflowSchema,
  WorkflowTagsBodySchema,
} from '../modules/workflows/workflows.schemas.ts';
import { DiffRequestSchema, DiffResponseSchema } from '../modules/workflows/workflows-diff.schemas.ts';

/**
 * Example values for the OpenAPI document. Each carries the zod schema the server checks it with, so a test can
 * prove that every example is a body the server accepts (requests) or could send (responses).
 */
export interface Example {
  summary: string;
  schema: z.ZodType;
  value: unknown;
}

const example = (summary: string, schema: z.ZodType, value: unknown): Example => ({ summary, schema, value });

const WORKFLOW_ID = 'Wf3kLm9QpZr2Xa7b';
const VERSION_ID = '6f1c2a8e-4b7d-4e21-9a0f-3c5d7e9b1a24';
const NEXT_VERSION_ID = '9b2d4f6a-8c1e-4a3b-b5d7-e9f1a3c5d7e9';
const CREATED = '2026-03-02T09:15:00.000Z';
const UPDATED = '2026-03-02T09:20:41.512Z';

const nodes = [
  {
    id: '0f5532f9-36ba-4bef-86c7-30d607400b15',
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    parameters: { path: 'orders', httpMethod: 'POST' },
  },
  {
    id: '6c3f8a1e-2d4b-4f6a-9c8e-1a3b5d7f9e2c',
    name: 'Set',
    type: 'n8n-nodes-base.set',
    typeVersion: 3,
    position: [220, 0],
    parameters: {},
  },
];
const connections = { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } };
const workflowBody = { name: 'Orders to CRM', nodes, connections, settings: { executionOrder: 'v1' } };

const workflow = {
  id: WORKFLOW_ID,
  name: 'Orders to CRM',
  description: null,
  active: false,
  activeVersionId: null,
  createdAt: CREATED,
  updatedAt: UPDATED,
  isArchived: false,
  versionId: VERSION_ID,
  versionCounter: 1,
  sourceWorkflowId: null,
  triggerCount: 1,
  nodes,
  connections,
  nodeGroups: [],
  settings: { executionOrder: 'v1' },
  staticData: null,
  pinData: {},
  meta: null,
  tags: [],
  shared: [
    {
      role: 'workflow:owner',
      workflowId: WORKFLOW_ID,
      projectId: 'Pr8sT2vW4xY6zA1b',
      createdAt: CREATED,
      updatedAt: CREATED,
      project: {
        id: 'Pr8sT2vW4xY6zA1b',
        name: 'Owner <owner@flowgate.local>',
        type: 'personal',
        icon: null,
        description: null,
        customTelemetryTags: [],
        creatorId: null,
        createdAt: CREATED,
        updatedAt: CREATED,
      },
    },
  ],
  activeVersion: null,
  parentFolder: null,
};

const credential = {
  id: 'Cr5dE7fG9hJ1kL3m',
  name: 'CRM token',
  type: 'httpBearerAuth',
  isManaged: false,
  isGlobal: false,
  isResolvable: false,
  resolvableAllowFallback: false,
  resolverId: null,
  createdAt: CREATED,
  updatedAt: CREATED,
};

const execution = {
  id: '1042',
  finished: true,
  mode: 'manual',
  retryOf: null,
  retrySuccessId: null,
  status: 'success',
  createdAt: CREATED,
  startedAt: CREATED,
  stoppedAt: '2026-03-02T09:15:00.184Z',
  deletedAt: null,
  workflowId: WORKFLOW_ID,
  waitTill: null,
  storedAt: 'db',
  tracingContext: null,
  deduplicationKey: null,
  jsonSizeBytes: 412,
  binaryDataSizeBytes: 0,
  workflowVersionId: VERSION_ID,
  usedPrivateCredentials: false,
};

const tag = { id: 'Tg4hJ6kL8mN0pQ2r', name: 'crm', createdAt: CREATED, updatedAt: CREATED };

const diffRequest = {
  operations: [
    {
      type: 'addNode',
      node: { name: 'Notify', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
    },
    { type: 'addConnection', source: 'Set', target: 'Notify' },
    { type: 'updateNode', nodeName: 'Set', changes: { notes: 'maps the order to the CRM fields' } },
  ],
  intent: 'Notify after mapping',
  versionId: VERSION_ID,
};

export const EXAMPLES = {
  createWorkflowBody: example('A webhook feeding a Set node', CreateWorkflowBodySchema, workflowBody),
  replaceWorkflowBody: example('The whole workflow, with the versionId last read', ReplaceWorkflowBodySchema, {
    ...workflowBody,
    name: 'Orders to CRM (v2)',
    versionId: VERSION_ID,
  }),
  patchDiffBody: example('A batch of diff operations (all or nothing)', DiffRequestSchema, diffRequest),
  patchFieldsBody: example('A partial update of top-level fields', PatchWorkflowBodySchema, {
    name: 'Orders to CRM (renamed)',
    settings: { executionOrder: 'v1', timezone: 'Europe/Berlin' },
  }),
  transferBody: example('Move to a team project', TransferBodySchema, { destinationProjectId: 'Pr2tV4wX6yZ8aB0c' }),
  workflowTagsBody: example('Tags by id', WorkflowTagsBodySchema, [{ id: tag.id }]),
  workflow: example('A workflow', WorkflowSchema, workflow),
  diffResponse: example('The batch was applied', DiffResponseSchema, {
    success: true,
    data: { ...workflow, versionId: NEXT_VERSION_ID, versionCounter: 2 },
    message: 'Applied 3 of 3 operation(s) (1 node, 2 other)',
    details: {
      operationsApplied: 3,
      applied: [0, 1, 2],
      failed: [],
      results: [
        { index: 0, type: 'addNode', status: 'applied' },
        { index: 1, type: 'addConnection', status: 'applied' },
        { index: 2, type: 'updateNode', status: 'applied' },
      ],
      errors: [],
      warnings: [],
      staleConnections: [],
      validateOnly: false,
    },
  }),
  createCredentialBody: example('A bearer token for an HTTP Request node', CreateCredentialBodySchema, {
    name: 'CRM token',
    type: 'httpBearerAuth',
    data: { token: 'replace-with-the-real-token' },
  }),
  updateCredentialBody: example('Rename and change one data key (merged)', UpdateCredentialBodySchema, {
    name: 'CRM token (rotated)',
    data: { token: 'the-new-token' },
  }),
  credential: example('A credential (metadata only)', CredentialSchema, credential),
  runWorkflowBody: example('Run with one item and wait for the result', RunWorkflowBodySchema, {
    items: [{ json: { orderId: 4711 } }],
    wait: true,
  }),
  runStarted: example('Started, not waited for', RunStartedSchema, { executionId: '1043' }),
  stopManyBody: example('Stop every waiting execution of one workflow', StopManyBodySchema, {
    status: ['waiting'],
    workflowId: WORKFLOW_ID,
  }),
  execution: example('A finished execution', ExecutionSchema, execution),
  tagBody: example('A tag name', TagBodySchema, { name: 'crm' }),
  tag: example('A tag', TagSchema, tag),
  createApiKeyBody: example('A read-only key for a dashboard', CreateApiKeyBodySchema, {
    label: 'dashboard',
    scopes: ['workflow:list', 'workflow:read', 'execution:list'],
    expiresAt: '2027-01-01T00:00:00.000Z',
  }),
  createdApiKey: example('The new key (shown only here)', CreatedApiKeySchema, {
    id: 'Ak7bC9dE1fG3hJ5k',
    label: 'dashboard',
    scopes: ['workflow:list', 'workflow:read', 'execution:list'],
    userId: '85010963-407b-4cc3-9d32-7f583bcb6b86',
    keyHint: 'n8n_api_…x4Qz',
    expiresAt: '2027-01-01T00:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    createdAt: CREATED,
    updatedAt: CREATED,
    apiKey: 'n8n_api_2b7Yc9Kq4LmN8pR1sT5vW3xZ6aD0fG2hJ4kM7nQ9x4Qz',
  }),
} satisfies Record<string, Example>;
