import { waitingFromSaved } from '../../engine/scheduling.ts';
import type { ExecutionData, StackEntry, WorkflowDefinition } from '../../engine/types.ts';
import type { ExecutionRow } from './executions.repository.ts';

/**
 * n8n 2.39's execution shapes (see n8n-2.39-executions-samples.json): ids as strings, the full record on
 * get/delete, fewer columns in lists, and `data`/`workflowData`/`customData` only with includeData.
 */
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const idString = (id: number | null) => (id === null ? null : String(id));

function core(row: ExecutionRow) {
  return {
    id: String(row.id),
    finished: row.finished,
    mode: row.mode,
    retryOf: idString(row.retryOf),
    retrySuccessId: idString(row.retrySuccessId),
    status: row.status,
  };
}

export function toExecutionDto(row: ExecutionRow, includeData = false) {
  return {
    ...core(row),
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    stoppedAt: iso(row.stoppedAt),
    deletedAt: null,
    workflowId: row.workflowId,
    waitTill: iso(row.waitTill),
    storedAt: 'db' as const,
    tracingContext: null,
    deduplicationKey: null,
    jsonSizeBytes: row.jsonSizeBytes,
    binaryDataSizeBytes: 0,
    workflowVersionId: row.workflowVersionId,
    usedPrivateCredentials: false,
    ...(includeData ? dataFields(row) : {}),
  };
}

export function toExecutionListItemDto(row: ExecutionRow, includeData: boolean) {
  const base = {
    ...core(row),
    startedAt: iso(row.startedAt),
    stoppedAt: iso(row.stoppedAt),
    workflowId: row.workflowId,
    waitTill: iso(row.waitTill),
  };
  if (!includeData) return base;
  return {
    ...base,
    storedAt: 'db' as const,
    jsonSizeBytes: row.jsonSizeBytes,
    workflowVersionId: row.workflowVersionId,
    ...dataFields(row),
  };
}

function dataFields(row: ExecutionRow) {
  const workflow = row.workflowData;
  return {
    data: row.data ? toPublicRunData(row.data, workflow) : { version: 1, startData: {}, resultData: { runData: {} } },
    customData: {},
    workflowData: workflow ? toWorkflowData(workflow) : null,
  };
}

export function toWorkflowData(workflow: WorkflowDefinition) {
  return {
    id: workflow.id,
    name: workflow.name,
    active: workflow.active,
    nodes: workflow.nodes,
    connections: workflow.connections,
    settings: workflow.settings,
    nodeGroups: [],
    staticData: workflow.staticData ?? null,
    pinData: workflow.pinData ?? null,
  };
}

/** Our saved state keeps node names on the stack; n8n shows the node itself and `{ main: [...] }` wrappers. */
export function toPublicRunData(data: ExecutionData, workflow: WorkflowDefinition | null | undefined) {
  const { executionData, ...rest } = data;
  if (!executionData) return rest;
  const nodeOf = (name: string) => workflow?.nodes.find((n) => n.name === name) ?? { name };
  const toStackItem = (entry: StackEntry) => ({ node: nodeOf(entry.node), data: { main: entry.inputs }, source: { main: entry.source } });
  return {
    ...rest,
    executionData: {
      contextData: {},
      nodeExecutionStack: executionData.nodeExecutionStack.map(toStackItem),
      metadata: {},
      // n8n keys each waiting node's runs by run index: { Merge: { 0: { main: [...] }, 1: ... } }.
      waitingExecution: Object.fromEntries(
        Object.entries(waitingFromSaved(executionData.waitingExecution)).map(([name, slots]) => [
          name,
          { ...slots.map((slot) => ({ main: slot.inputs })) },
        ]),
      ),
      waitingExecutionSource: Object.fromEntries(
        Object.entries(waitingFromSaved(executionData.waitingExecution)).map(([name, slots]) => [
          name,
          { ...slots.map((slot) => ({ main: slot.source })) },
        ]),
      ),
    },
  };
}
