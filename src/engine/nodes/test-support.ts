import type { CodeRequest, NodeContext, NodeResult, NodeType, WebhookResponse } from '../node-types.ts';
import { getPath, mapExpressions } from '../parameters.ts';
import type { Item, JsonObject, RunData, WorkflowNode } from '../types.ts';

/**
 * A NodeContext for unit tests of one node, without a workflow around it. Parameters are used as given;
 * an expression (`=...`) is resolved by `options.evaluate` (tests of expression handling live with the
 * expression evaluator and the engine, not here).
 */
export interface TestContextOptions {
  parameters?: JsonObject;
  node?: Partial<WorkflowNode>;
  inputs?: Item[][];
  items?: Item[];
  credentials?: Record<string, JsonObject>;
  runIndex?: number;
  runData?: RunData;
  now?: Date;
  timezone?: string;
  signal?: AbortSignal;
  nodeState?: JsonObject;
  evaluate?: (expression: string, itemIndex: number) => unknown;
  runCode?: (request: CodeRequest) => Promise<unknown>;
}

export interface TestContext extends NodeContext {
  readonly responses: WebhookResponse[];
  readonly sleeps: number[];
}

export function testContext(options: TestContextOptions = {}): TestContext {
  const node: WorkflowNode = {
    name: 'Node',
    type: 'n8n-nodes-base.test',
    typeVersion: 1,
    position: [0, 0],
    parameters: options.parameters ?? {},
    ...options.node,
  };
  if (options.parameters) node.parameters = options.parameters;
  const inputs = options.inputs ?? [options.items ?? [{ json: {} }]];
  const nodeState = options.nodeState ?? {};
  const responses: WebhookResponse[] = [];
  const sleeps: number[] = [];
  const resolve = (value: unknown, itemIndex: number) =>
    mapExpressions(value, (expression) => {
      if (!options.evaluate) throw new Error(`testContext got expression ${expression} but no evaluate option`);
      return options.evaluate(expression, itemIndex);
    });
  return {
    node,
    workflow: { id: 'wf-test', name: 'Test workflow', active: false, settings: {} },
    executionId: '1',
    mode: 'manual',
    inputs,
    items: inputs[0] ?? [],
    runIndex: options.runIndex ?? 0,
    signal: options.signal ?? new AbortController().signal,
    runData: options.runData ?? {},
    timezone: options.timezone ?? 'UTC',
    responses,
    sleeps,
    getParam<T>(path: string, itemIndex: number, fallback?: T): T {
      const raw = getPath(node.parameters, path);
      return (raw === undefined ? fallback : resolve(raw, itemIndex)) as T;
    },
    getRawParam<T>(path: string, fallback?: T): T {
      const raw = getPath(node.parameters, path);
      return (raw === undefined ? fallback : raw) as T;
    },
    evaluate: (value, itemIndex) => resolve(value, itemIndex),
    async getCredentials(type) {
      const found = options.credentials?.[type];
      if (!found) throw new Error(`Node "${node.name}" does not have any credentials of type "${type}" set`);
      return found;
    },
    getNodeState: () => nodeState,
    async sleep(ms) {
      sleeps.push(ms);
    },
    now: () => options.now ?? new Date(),
    async runCode(request) {
      if (!options.runCode) throw new Error('testContext: no runCode option');
      return options.runCode(request);
    },
    respond(response) {
      responses.push(response);
    },
  };
}

/** Runs `type` once with a test context; returns its output (or wait request) and the context. */
export async function runNode(type: NodeType, options: TestContextOptions = {}): Promise<{ result: NodeResult; ctx: TestContext }> {
  const ctx = testContext({ ...options, node: { type: type.type, ...options.node } });
  const result = await type.execute(ctx);
  return { result, ctx };
}

/** The json of every item on output `index` (most assertions only care about json). */
export function jsonOf(result: NodeResult, index = 0): JsonObject[] {
  if (!Array.isArray(result)) throw new Error('node asked to wait instead of returning output');
  return (result[index] ?? []).map((item) => item.json);
}
