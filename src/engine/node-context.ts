import { type BinaryStorage, createBinaryHelpers } from './binary-data.ts';
import type { CodeRequest, NodeContext, WebhookResponse } from './node-types.ts';
import { getPath, mapExpressions } from './parameters.ts';
import type { ResolvedParameters } from './resolved-parameters.ts';
import type { RunMetadata } from './runner/protocol.ts';
import type { ExecutionMode, Item, JsonObject, RunData, TaskSource, WorkflowDefinition, WorkflowNode } from './types.ts';

/** What the engine hands every node run: services plus the state of the run it belongs to. */
export interface NodeContextInput {
  node: WorkflowNode;
  workflow: WorkflowDefinition;
  executionId: string;
  mode: ExecutionMode;
  /** How deep in sub-workflow calls this run is (0: not called by another workflow). */
  subWorkflowDepth?: number;
  inputs: Item[][];
  source: (TaskSource | null)[];
  runIndex: number;
  runData: RunData;
  nodeState: JsonObject;
  signal: AbortSignal;
  timezone: string;
  now: () => Date;
  /** Resolves after `ms`, or rejects when the execution is stopped. */
  sleep(ms: number): Promise<void>;
  /** Every expression of the node's parameters, already resolved for every item (by a runner). */
  parameters: ResolvedParameters;
  getCredentials(node: WorkflowNode, type: string): Promise<JsonObject>;
  updateCredential?(node: WorkflowNode, type: string, patch: JsonObject): Promise<void>;
  runCode(request: CodeRequest): Promise<unknown>;
  respond(response: WebhookResponse): void;
  /** Where files go (none: n8n's in-memory mode, bytes inside the items). */
  binaryStorage?: BinaryStorage;
  /** The execution's custom data, shared by every node run of the execution. */
  customData?: Record<string, string>;
}

/** The one constructor of a NodeContext: the engine and the node tests both build theirs here. */
export function createNodeContext(input: NodeContextInput): NodeContext {
  const { node, runData } = input;
  let metadata: JsonObject | undefined;
  const resolve = (value: unknown, itemIndex: number) =>
    mapExpressions(value, (expression) => input.parameters.value(expression, itemIndex));
  return {
    node,
    workflow: {
      id: input.workflow.id,
      name: input.workflow.name,
      active: input.workflow.active,
      settings: input.workflow.settings,
      projectId: input.workflow.projectId,
    },
    executionId: input.executionId,
    mode: input.mode,
    subWorkflowDepth: input.subWorkflowDepth ?? 0,
    inputs: input.inputs,
    items: input.inputs[0] ?? [],
    runIndex: input.runIndex,
    signal: input.signal,
    runData,
    timezone: input.timezone,
    getParam<T>(path: string, itemIndex: number, fallback?: T): T {
      const raw = getPath(node.parameters, path);
      return (raw === undefined ? fallback : resolve(raw, itemIndex)) as T;
    },
    getRawParam<T>(path: string, fallback?: T): T {
      const raw = getPath(node.parameters, path);
      return (raw === undefined ? fallback : raw) as T;
    },
    evaluate: resolve,
    getCredentials: (type) => input.getCredentials(node, type),
    updateCredential: async (type, patch) => input.updateCredential?.(node, type, patch),
    getNodeState: () => input.nodeState,
    sleep: input.sleep,
    now: input.now,
    runCode: input.runCode,
    respond: input.respond,
    binary: createBinaryHelpers(input.binaryStorage, input.executionId),
    setMetadata(key, value) {
      metadata ??= {};
      metadata[key] = value;
    },
    recordedMetadata: () => metadata,
    customData: input.customData ?? {},
  };
}

/**
 * The metadata every piece of user code of a node run sees (`$workflow`, `$execution`, `$now`, `$runIndex`,
 * `$vars`...): built here only, for expressions and Code alike.
 */
export function runMetadata(input: {
  workflow: Pick<WorkflowDefinition, 'id' | 'name' | 'active'>;
  executionId: string;
  mode: ExecutionMode;
  timezone: string;
  now: Date;
  runIndex: number;
  vars: Record<string, string>;
  envAllowed: boolean;
}): RunMetadata {
  return {
    workflow: { id: input.workflow.id, name: input.workflow.name, active: input.workflow.active },
    execution: { id: input.executionId, mode: executionModeLabel(input.mode) },
    timezone: input.timezone,
    now: input.now.getTime(),
    runIndex: input.runIndex,
    vars: input.vars,
    envAllowed: input.envAllowed,
  };
}

/** `$execution.mode` as n8n shows it to expressions and Code: "test" for manual runs, else "production". */
export function executionModeLabel(mode: ExecutionMode): 'test' | 'production' {
  return mode === 'manual' ? 'test' : 'production';
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
