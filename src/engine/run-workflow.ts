import type { BinaryStorage } from './binary-data.ts';
import { runnableConnections } from './connections.ts';
import { ExecutionCancelledError, serializeError } from './errors.ts';
import { abortableSleep, createNodeContext, type NodeContextInput } from './node-context.ts';
import { isWaitRequest, NodeOperationError, type NodeType, type WebhookResponse } from './node-types.ts';
import { type NodeRun, resolveParameters, runNodeCode } from './node-user-code.ts';
import type { NodeTypeRegistry } from './nodes/registry.ts';
import type { ResolvedParameters } from './resolved-parameters.ts';
import type { UserCode } from './runner/user-code-client.ts';
import { Scheduler, waitingFromSaved } from './scheduling.ts';
import type {
  ExecutionData,
  ExecutionMode,
  Item,
  JsonObject,
  NodeOutput,
  RunData,
  SerializedError,
  StackEntry,
  TaskData,
  WorkflowDefinition,
  WorkflowNode,
} from './types.ts';
import { workflowTimezone } from './workflow-timezone.ts';

/** Everything the engine needs from outside; the executions module provides the real ones. */
export interface EngineServices {
  nodeTypes: NodeTypeRegistry;
  /** Expressions and Code nodes: run by runner processes, never in this one. */
  userCode: UserCode;
  getCredentials(workflow: WorkflowDefinition, node: WorkflowNode, type: string): Promise<JsonObject>;
  /** Merges `patch` into the stored credential a node uses (new OAuth2 tokens); absent where nothing is stored. */
  updateCredential?(workflow: WorkflowDefinition, node: WorkflowNode, type: string, patch: JsonObject): Promise<void>;
  now(): Date;
  defaultTimezone: string;
  envAllowed: boolean;
  /** What `$env` shows when envAllowed. */
  env?: Record<string, string>;
  /** The limits the runners apply, named in errors. */
  limits: { codeTimeoutMs: number; memoryLimitMb: number };
  /** Waits shorter than this are slept through in-process; longer ones park the execution as "waiting". */
  inProcessWaitMs: number;
  /** Where items' files are kept (none: inside the items, n8n's "default" mode). */
  binaryStorage?: BinaryStorage;
}

export interface RunRequest {
  workflow: WorkflowDefinition;
  executionId: string;
  mode: ExecutionMode;
  signal: AbortSignal;
  /** A fresh run: the node that starts it and the items it starts with. */
  start?: { node: string; items: Item[] };
  /** A run that continues from saved state (a waiting execution, or a retry built from a failed one). */
  resume?: ExecutionData;
  /** A sub-workflow's run: who called it, and how deep in calls it is (1 for a direct child). */
  parentExecution?: { executionId: string; workflowId: string; depth: number };
  /** `$vars`: the variables of the workflow's project over the global ones (none when absent). */
  vars?: Record<string, string>;
  /** Called when a Respond to Webhook node answers. */
  onResponse?(response: WebhookResponse): void;
  /**
   * Aborted when this process shuts down: a Wait being slept through in-process then parks the run as "waiting"
   * instead, so another instance resumes it on time (a rolling deploy does not cancel it).
   */
  handover?: AbortSignal;
}

export type RunStatus = 'success' | 'error' | 'canceled' | 'waiting';

export interface RunResult {
  status: RunStatus;
  data: ExecutionData;
  waitTill?: Date;
}

/**
 * Runs a workflow in n8n's "v1" order: depth first, one branch to its end before the next, branches taken
 * top to bottom by canvas position; a node with several inputs runs once all of them have data, or, when no
 * other work is left, with what it has.
 */
export async function runWorkflow(services: EngineServices, asked: RunRequest): Promise<RunResult> {
  const request = { ...asked, workflow: runnableWorkflow(asked.workflow) };
  const { workflow } = request;
  const nodesByName = new Map(workflow.nodes.map((node) => [node.name, node]));
  const saved = request.resume?.executionData;
  const runData: RunData = byNodeName(request.resume?.resultData.runData);
  const stack: StackEntry[] = saved ? [...saved.nodeExecutionStack] : [];
  const waiting = waitingFromSaved(saved?.waitingExecution);
  const scheduler = new Scheduler(workflow, services.nodeTypes, stack, waiting);
  const nodeState: Record<string, JsonObject> = byNodeName(saved?.nodeState);
  const customData: Record<string, string> = byNodeName(request.resume?.customData);
  let executionIndex = saved?.executionIndex ?? countRuns(runData);
  let lastNodeExecuted = request.resume?.resultData.lastNodeExecuted;
  if (request.start) stack.push({ node: request.start.node, inputs: [request.start.items], source: [] });

  const finish = (status: RunStatus, error?: SerializedError, waitTill?: Date): RunResult => {
    // The runners' copies of this execution are no longer needed (a resumed run sends them again).
    services.userCode.release(request.executionId);
    const parent = request.parentExecution;
    const data: ExecutionData = {
      version: 1,
      startData: {},
      ...(parent ? { parentExecution: { executionId: parent.executionId, workflowId: parent.workflowId } } : {}),
      ...(Object.keys(customData).length ? { customData: { ...customData } } : {}),
      resultData: { runData, ...(lastNodeExecuted ? { lastNodeExecuted } : {}), ...(error ? { error } : {}) },
    };
    // Kept unless the run completed: a waiting run resumes from it, a failed or stopped one is retried from it.
    if (status !== 'success') data.executionData = { nodeExecutionStack: stack, waitingExecution: waiting, nodeState, executionIndex };
    if (status === 'waiting') data.waitTill = waitTill?.toISOString() ?? null;
    return { status, data, ...(waitTill ? { waitTill } : {}) };
  };

  for (;;) {
    if (request.signal.aborted) return finish('canceled', serializeError(cancelReason(request.signal), undefined));
    const entry = stack.shift() ?? scheduler.releaseWaiting();
    if (!entry) break;
    const node = nodesByName.get(entry.node);
    if (!node) continue; // the node was removed (a retry on the current workflow): nothing to run
    const runIndex = runData[node.name]?.length ?? 0;
    const startTime = services.now().getTime();
    const outcome = entry.resume
      ? { output: [entry.resumeItems ?? entry.inputs[0] ?? []] as NodeOutput }
      : await executeNode(services, request, node, entry, runIndex, runData, nodeState, customData);
    const executionTime = services.now().getTime() - startTime;
    // Only runs that produced a result are recorded (a Wait that parks the run is recorded when it resumes).
    const record = (result: Pick<TaskData, 'executionStatus' | 'data' | 'error'>) =>
      appendRun(runData, node.name, {
        startTime,
        executionIndex: executionIndex++,
        source: entry.source,
        hints: [],
        executionTime,
        ...result,
      });

    if ('waitTill' in outcome) {
      const waitMs = outcome.waitTill.getTime() - services.now().getTime();
      if (waitMs < services.inProcessWaitMs) {
        const handover = request.handover;
        try {
          await abortableSleep(Math.max(0, waitMs), handover ? AbortSignal.any([request.signal, handover]) : request.signal);
        } catch {
          if (handover?.aborted && !request.signal.aborted) {
            stack.unshift({ ...entry, resume: true });
            lastNodeExecuted = node.name;
            return finish('waiting', undefined, outcome.waitTill);
          }
          // Back on the stack, so a retry of the stopped run waits again and continues.
          stack.unshift(entry);
          return finish('canceled', serializeError(cancelReason(request.signal), node));
        }
        stack.unshift({ ...entry, resume: true });
        continue;
      }
      stack.unshift({ ...entry, resume: true });
      lastNodeExecuted = node.name;
      return finish('waiting', undefined, outcome.waitTill);
    }

    lastNodeExecuted = node.name;
    if ('error' in outcome) {
      const canceled = outcome.error instanceof ExecutionCancelledError || request.signal.aborted;
      const error = serializeError(canceled ? cancelReason(request.signal, outcome.error) : outcome.error, node, services.now().getTime());
      record({ executionStatus: canceled ? 'canceled' : 'error', error });
      stack.unshift(entry);
      return finish(canceled ? 'canceled' : 'error', error);
    }
    record({
      executionStatus: 'success',
      data: { main: outcome.output },
      ...(outcome.metadata ? { metadata: outcome.metadata } : {}),
      ...(outcome.continuedError ? { error: serializeError(outcome.continuedError, node, services.now().getTime()) } : {}),
    });
    scheduler.scheduleChildren(node, runIndex, outcome.output);
  }
  return finish('success');
}

/**
 * A map keyed by node name, without a prototype: names are client text, and a node called `__proto__` or
 * `constructor` must be an ordinary key, never Object.prototype's.
 */
function byNodeName<T>(from: Record<string, T> | undefined): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

/**
 * The workflow as the engine walks it. Workflows are stored as clients sent them (n8n's schema leaves typeVersion
 * optional and connections free-form), so a node without a typeVersion runs as version 1 and malformed parts of the
 * connection map are not followed.
 */
function runnableWorkflow(workflow: WorkflowDefinition): WorkflowDefinition {
  return {
    ...workflow,
    nodes: workflow.nodes.map((node) =>
      typeof node.typeVersion === 'number' && node.parameters
        ? node
        : { ...node, typeVersion: node.typeVersion ?? 1, parameters: node.parameters ?? {} },
    ),
    connections: runnableConnections(workflow.connections),
  };
}

type NodeOutcome = { output: NodeOutput; continuedError?: unknown; metadata?: JsonObject } | { error: unknown } | { waitTill: Date };

async function executeNode(
  services: EngineServices,
  request: RunRequest,
  node: WorkflowNode,
  entry: StackEntry,
  runIndex: number,
  runData: RunData,
  nodeState: Record<string, JsonObject>,
  customData: Record<string, string>,
): Promise<NodeOutcome> {
  const inputs = entry.inputs.map((items) => items ?? []);
  if (node.disabled) return { output: [inputs[0] ?? []] };
  const type = services.nodeTypes.get(node.type);
  if (!type) return { error: unrecognizedType(node, services.nodeTypes) };
  // executeOnce: the node works on the first item of each input, while its user code still sees the whole input
  // (n8n's `$input.all()` and `$items()` in such a node give every item).
  const effectiveInputs = node.executeOnce ? inputs.map((items) => items.slice(0, 1)) : inputs;
  const userRun = { ...request, node, source: entry.source, runIndex, runData, visibleInput: inputs[0] ?? [] };
  const tries = node.retryOnFail ? clamp(node.maxTries ?? 3, 2, 5) : 1;
  const pause = clamp(node.waitBetweenTries ?? 1000, 0, 5000);
  let lastError: unknown;
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (request.signal.aborted) return { error: cancelReason(request.signal) };
    try {
      const parameters = await resolveParameters(services, userRun, effectiveInputs);
      const ctx = createNodeContext({ ...contextInput(services, userRun, effectiveInputs, nodeState, parameters), customData });
      const result = await type.execute(ctx);
      if (isWaitRequest(result)) return { waitTill: result.waitTill };
      const metadata = ctx.recordedMetadata();
      return { output: normaliseOutput(result, type, node, inputs), ...(metadata ? { metadata } : {}) };
    } catch (error) {
      lastError = error;
      if (request.signal.aborted) return { error: cancelReason(request.signal) };
      if (attempt < tries) {
        try {
          await abortableSleep(pause, request.signal);
        } catch {
          return { error: cancelReason(request.signal) };
        }
      }
    }
  }
  return continueAfterError(node, type, effectiveInputs[0] ?? [], lastError);
}

/** continueOnFail / onError: the node's input goes on (n8n passes it through), on the error output if asked. */
function continueAfterError(node: WorkflowNode, type: NodeType, input: Item[], error: unknown): NodeOutcome {
  const onError = node.onError ?? (node.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow');
  if (onError === 'stopWorkflow') return { error };
  const message = error instanceof Error ? error.message : String(error);
  const items = input.length > 0 ? input : [{ json: {} }];
  const failed = items.map((item, index) => ({ json: { ...item.json, error: message }, pairedItem: { item: index } }));
  if (onError === 'continueErrorOutput') {
    const output: NodeOutput = Array.from({ length: outputCount(type, node) }, () => []);
    output.push(failed);
    return { output, continuedError: error };
  }
  return { output: [failed], continuedError: error };
}

/**
 * alwaysOutputData, as n8n does it: when the first output is empty, it gets one empty item paired with every input
 * item, whatever the other outputs hold (an IF whose items all went to false still runs its true branch once).
 */
function normaliseOutput(result: NodeOutput, type: NodeType, node: WorkflowNode, inputs: Item[][]): NodeOutput {
  const output = result.map((items) => (Array.isArray(items) ? items : []));
  if (node.onError === 'continueErrorOutput') while (output.length < outputCount(type, node) + 1) output.push([]);
  if (node.alwaysOutputData && !output[0]?.length) {
    const pairedItem = inputs.flatMap((items, input) => items.map((_item, item) => ({ item, input })));
    output[0] = [{ json: {}, pairedItem }];
  }
  return output;
}

function contextInput(
  services: EngineServices,
  run: NodeRun,
  inputs: Item[][],
  nodeState: Record<string, JsonObject>,
  parameters: ResolvedParameters,
): NodeContextInput {
  const { workflow, node } = run;
  const timezone = workflowTimezone(workflow.settings, services.defaultTimezone);
  return {
    node,
    workflow,
    executionId: run.executionId,
    mode: run.mode,
    subWorkflowDepth: run.parentExecution?.depth ?? 0,
    inputs,
    source: run.source,
    runIndex: run.runIndex,
    runData: run.runData,
    nodeState: stateOf(nodeState, node.name),
    signal: run.signal,
    timezone,
    now: services.now,
    sleep: (ms) => abortableSleep(ms, run.signal),
    parameters,
    getCredentials: (n, type) => services.getCredentials(workflow, n, type),
    updateCredential: async (n, type, patch) => services.updateCredential?.(workflow, n, type, patch),
    runCode: (code) => runNodeCode(services, run, code),
    respond: (response) => run.onResponse?.(response),
    ...(services.binaryStorage ? { binaryStorage: services.binaryStorage } : {}),
  };
}

function outputCount(type: NodeType, node: WorkflowNode): number {
  return type.outputs ? type.outputs(node) : 1;
}

function appendRun(runData: RunData, name: string, task: TaskData): void {
  const runs = runData[name] ?? [];
  runs.push(task);
  runData[name] = runs;
}

function stateOf(nodeState: Record<string, JsonObject>, name: string): JsonObject {
  const state = nodeState[name] ?? {};
  nodeState[name] = state;
  return state;
}

function countRuns(runData: RunData): number {
  return Object.values(runData).reduce((sum, runs) => sum + runs.length, 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
}

function cancelReason(signal: AbortSignal, fallback?: unknown): unknown {
  if (signal.reason instanceof ExecutionCancelledError) return signal.reason;
  return fallback instanceof ExecutionCancelledError ? fallback : new ExecutionCancelledError('manual');
}

function unrecognizedType(node: WorkflowNode, registry: NodeTypeRegistry): Error {
  if (registry.disabled?.(node.type)) {
    return new NodeOperationError(`The node type "${node.type}" is disabled on this server`, {
      description: `Node "${node.name}" cannot run: the server's NODES_EXCLUDE setting excludes it (it runs commands on a machine, so it is off unless an administrator turns it on).`,
    });
  }
  return new NodeOperationError(`Unrecognized node type: ${node.type}`, {
    description: `This server does not implement "${node.type}" (node "${node.name}"). Supported node types: ${registry.types().join(', ')}.`,
  });
}
