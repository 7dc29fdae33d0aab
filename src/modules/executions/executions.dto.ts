import { waitingFromSaved } from '../../engine/scheduling.ts';
import type { ExecutionData, StackEntry, WaitingSlot, WorkflowDefinition } from '../../engine/types.ts';
import { RawJson, stringifyWithRaw } from '../../lib/raw-json.ts';
import type { ExecutionPassThroughRead, ExecutionRow } from './executions.repository.ts';

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

export function toExecutionDto(row: ExecutionRow, includeData = false, redact = false) {
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
    ...(includeData ? dataFields(row, redact) : {}),
  };
}

export function toExecutionListItemDto(row: ExecutionRow, includeData: boolean, redact = false) {
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
    ...dataFields(row, redact),
  };
}

const EMPTY_RUN = { version: 1, startData: {}, resultData: { runData: {} } };

function dataFields(row: ExecutionRow, redact: boolean) {
  const workflow = row.workflowData;
  const data = row.data ? toPublicRunData(row.data, workflow) : EMPTY_RUN;
  return {
    data: redact ? redactRunData(data as unknown as Json) : data,
    customData: redact ? {} : (row.data?.customData ?? {}),
    workflowData: workflow ? toWorkflowData(workflow) : null,
  };
}

/**
 * GET /executions/:id?includeData=true as JSON text, from a pass-through read: the run data and the workflow pass
 * through as stored; only executionData, which the answer reshapes, is parsed and written again (placed last, as
 * the object spread of the validated path places it). test/integration/executions-pass-through.test.ts holds the
 * two paths to the same answer.
 */
export function toExecutionJson(read: ExecutionPassThroughRead): string {
  let data: unknown = EMPTY_RUN;
  if (read.hasData) {
    const rest = read.dataRest ?? '{}';
    if (!read.executionData) data = new RawJson(rest);
    else {
      const workflow = read.stackNodes ? ({ nodes: read.stackNodes } as WorkflowDefinition) : null;
      const { executionData } = toPublicRunData({ executionData: read.executionData } as ExecutionData, workflow) as {
        executionData: unknown;
      };
      const field = `"executionData":${JSON.stringify(executionData)}`;
      data = new RawJson(read.dataRest ? `${rest.slice(0, rest.lastIndexOf('}'))},${field}}` : `{${field}}`);
    }
  }
  return stringifyWithRaw({
    ...toExecutionDto(read.row),
    data,
    customData: read.customData ?? {},
    workflowData: read.workflowText === null ? null : new RawJson(read.workflowText),
  });
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
  const { executionData, customData: _customData, ...rest } = data;
  if (!executionData) return rest;
  const nodeOf = (name: string) => workflow?.nodes.find((n) => n.name === name) ?? { name };
  const toStackItem = (entry: StackEntry) => ({ node: nodeOf(entry.node), data: { main: entry.inputs }, source: { main: entry.source } });
  // n8n keys each waiting node's runs by run index: { Merge: { 0: { main: [...] }, 1: ... } }.
  const waiting = Object.entries(waitingFromSaved(executionData.waitingExecution));
  const byRun = (pick: (slot: WaitingSlot) => unknown) =>
    Object.fromEntries(waiting.map(([name, slots]) => [name, { ...slots.map((slot) => ({ main: pick(slot) })) }]));
  return {
    ...rest,
    executionData: {
      contextData: {},
      nodeExecutionStack: executionData.nodeExecutionStack.map(toStackItem),
      metadata: {},
      waitingExecution: byRun((slot) => slot.inputs),
      waitingExecutionSource: byRun((slot) => slot.source),
    },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What n8n keeps of an error in redacted data: its type, and a NodeApiError's HTTP code. */
function redactedError(error: unknown) {
  const name = isObject(error) ? error.name : undefined;
  const result: { type: unknown; httpCode?: unknown } = { type: name };
  if (name === 'NodeApiError') result.httpCode = (isObject(error) ? error.httpCode : null) ?? null;
  return result;
}

function redactItem(item: unknown) {
  if (!isObject(item)) return item;
  const { json: _json, binary: _binary, error, ...rest } = item;
  return {
    ...rest,
    json: {},
    redaction: { redacted: true, reason: 'user_requested', ...(error !== undefined ? { error: redactedError(error) } : {}) },
  };
}

function redactConnections(connections: unknown) {
  if (!isObject(connections)) return connections;
  return Object.fromEntries(
    Object.entries(connections).map(([type, outputs]) => [
      type,
      Array.isArray(outputs) ? outputs.map((items) => (Array.isArray(items) ? items.map(redactItem) : items)) : outputs,
    ]),
  );
}

function redactTask(task: unknown) {
  if (!isObject(task)) return task;
  const { error, ...rest } = task;
  return {
    ...rest,
    ...('data' in task ? { data: redactConnections(task.data) } : {}),
    ...('inputOverride' in task ? { inputOverride: redactConnections(task.inputOverride) } : {}),
    ...(error !== undefined ? { redactedError: redactedError(error) } : {}),
  };
}

/**
 * The items waiting to run (a failed or waiting execution's stack and a Merge's waiting inputs) are data too:
 * n8n's strategy leaves them, flowgate redacts them the same way, so a redacted answer holds no item data at all.
 */
function redactExecutionState(state: Json) {
  const stack = Array.isArray(state.nodeExecutionStack) ? state.nodeExecutionStack : [];
  const waiting = isObject(state.waitingExecution) ? state.waitingExecution : {};
  return {
    ...state,
    nodeExecutionStack: stack.map((entry) => (isObject(entry) ? { ...entry, data: redactConnections(entry.data) } : entry)),
    waitingExecution: Object.fromEntries(
      Object.entries(waiting).map(([node, runs]) => [
        node,
        isObject(runs) ? Object.fromEntries(Object.entries(runs).map(([run, slot]) => [run, redactConnections(slot)])) : runs,
      ]),
    ),
  };
}

/**
 * n8n 2.39's `redactExecutionData=true` (its full-item redaction strategy): every item in the run data (outputs
 * and input overrides) loses its json (now `{}`), binary and error and gets a `redaction` marker; errors keep only
 * their type (and a NodeApiError's httpCode); `data.redactionInfo` says the data is redacted. A new object: the
 * stored data is not touched.
 */
export function redactRunData(data: Json) {
  const resultData = isObject(data.resultData) ? data.resultData : {};
  const { error, ...result } = resultData;
  const runData = isObject(result.runData) ? result.runData : {};
  return {
    ...data,
    ...(isObject(data.executionData) ? { executionData: redactExecutionState(data.executionData) } : {}),
    resultData: {
      ...result,
      runData: Object.fromEntries(
        Object.entries(runData).map(([node, tasks]) => [node, Array.isArray(tasks) ? tasks.map(redactTask) : tasks]),
      ),
      ...(error !== undefined ? { redactedError: redactedError(error) } : {}),
    },
    redactionInfo: {
      ...(isObject(data.redactionInfo) ? data.redactionInfo : {}),
      isRedacted: true,
      reason: 'user_requested',
      canReveal: false,
    },
  };
}
