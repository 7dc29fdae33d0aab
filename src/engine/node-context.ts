import type { ExpressionSandbox, ExpressionScope } from './expressions/expression-sandbox.ts';
import type { CodeRequest, NodeContext, WebhookResponse } from './node-types.ts';
import { findPairedItem } from './paired-items.ts';
import { getPath, mapExpressions } from './parameters.ts';
import type { ExecutionMode, Item, JsonObject, RunData, TaskSource, WorkflowDefinition, WorkflowNode } from './types.ts';

/** What the engine hands every node run: services plus the state of the run it belongs to. */
export interface NodeContextInput {
  node: WorkflowNode;
  workflow: WorkflowDefinition;
  executionId: string;
  mode: ExecutionMode;
  inputs: Item[][];
  source: (TaskSource | null)[];
  runIndex: number;
  runData: RunData;
  nodeState: JsonObject;
  signal: AbortSignal;
  timezone: string;
  now: () => Date;
  expressions: ExpressionSandbox;
  envAllowed: boolean;
  vars: Record<string, string>;
  getCredentials(node: WorkflowNode, type: string): Promise<JsonObject>;
  runCode(request: CodeRequest & { nodeOutputs: Record<string, Item[]> }): Promise<unknown>;
  respond(response: WebhookResponse): void;
}

export function createNodeContext(input: NodeContextInput): NodeContext {
  const { node, runData } = input;
  const items = input.inputs[0] ?? [];
  const workflowInfo = { id: input.workflow.id, name: input.workflow.name, active: input.workflow.active };

  const lookup =
    (itemIndex: number) =>
    (kind: string, a?: unknown, b?: unknown, c?: unknown): unknown => {
      switch (kind) {
        case 'input.all':
          return items;
        case 'input.first':
          return items[0];
        case 'input.last':
          return items[items.length - 1];
        case 'input.item':
          return items[itemIndex];
        case 'binary':
          return items[itemIndex]?.binary ?? {};
        case 'parameters':
          return node.parameters;
        case 'prevNode': {
          const src = input.source[0];
          return src ? { name: src.previousNode, outputIndex: src.previousNodeOutput ?? 0, runIndex: src.previousNodeRun ?? 0 } : undefined;
        }
        case 'env':
          return input.envAllowed ? { ...process.env } : undefined;
        default:
          return lookupNode(kind, String(a), b, c, itemIndex);
      }
    };

  const lookupNode = (kind: string, name: string, b: unknown, c: unknown, itemIndex: number): unknown => {
    const target = input.workflow.nodes.find((n) => n.name === name);
    if (!target) throw new Error(`Referenced node doesn't exist: "${name}"`);
    if (kind === 'node.params') return target.parameters;
    const runs = runData[name];
    if (kind === 'node.isExecuted') return Boolean(runs?.length);
    if (!runs?.length) throw new Error(`Node '${name}' hasn't been executed`);
    if (kind === 'node.item' || kind === 'node.itemMatching') {
      const index = kind === 'node.item' ? itemIndex : Number(b);
      return findPairedItem({ runData, items, source: input.source, itemIndex: index, target: name }) ?? outputOf(runs, 0)[index];
    }
    const run = c === undefined ? runs.length - 1 : Number(c);
    // As n8n: without an explicit branch, the output of `name` that leads to this node.
    const branch = b === undefined ? outputLeadingTo(input.workflow.connections, name, node.name) : Number(b);
    const output = outputOf(runs, branch, run);
    if (kind === 'node.sameIndex') return output[itemIndex];
    if (kind === 'node.all') return output;
    if (kind === 'node.first') return output[0];
    if (kind === 'node.last') return output[output.length - 1];
    throw new Error(`unknown lookup ${kind}`);
  };

  const scopeFor = (itemIndex: number): ExpressionScope => ({
    json: items[itemIndex]?.json ?? {},
    itemIndex,
    runIndex: input.runIndex,
    now: input.now().getTime(),
    timezone: input.timezone,
    workflow: workflowInfo,
    execution: { id: input.executionId, mode: executionModeLabel(input.mode) },
    vars: input.vars,
    envAllowed: input.envAllowed,
    lookup: lookup(itemIndex),
  });

  const resolve = (value: unknown, itemIndex: number) =>
    mapExpressions(value, (expression) => input.expressions.evaluate(expression, scopeFor(itemIndex)));

  return {
    node,
    workflow: { id: input.workflow.id, name: input.workflow.name, active: input.workflow.active, settings: input.workflow.settings },
    executionId: input.executionId,
    mode: input.mode,
    inputs: input.inputs,
    items,
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
    getNodeState: () => input.nodeState,
    sleep: (ms) => abortableSleep(ms, input.signal),
    now: input.now,
    runCode: (request) => input.runCode({ ...request, nodeOutputs: latestOutputs(runData) }),
    respond: input.respond,
  };
}

function outputOf(runs: RunData[string], output: number, run = runs.length - 1): Item[] {
  return (runs[run]?.data?.main[output] ?? []) as Item[];
}

/** The first output of `from` from which `to` can be reached along connections (0 when none can). */
export function outputLeadingTo(connections: WorkflowDefinition['connections'], from: string, to: string): number {
  const outputs = connections[from]?.main ?? [];
  for (const [index, targets] of outputs.entries()) {
    const seen = new Set<string>();
    const queue = (targets ?? []).map((t) => t.node);
    while (queue.length > 0) {
      const current = queue.shift() as string;
      if (current === to) return index;
      if (seen.has(current)) continue;
      seen.add(current);
      for (const next of connections[current]?.main ?? []) for (const t of next ?? []) queue.push(t.node);
    }
  }
  return 0;
}

function latestOutputs(runData: RunData): Record<string, Item[]> {
  // No prototype: node names are client text (see byNodeName in run-workflow.ts).
  const out: Record<string, Item[]> = Object.create(null);
  for (const [name, runs] of Object.entries(runData)) out[name] = outputOf(runs, 0);
  return out;
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
