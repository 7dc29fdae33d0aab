import type { BinaryStorage } from '../binary-data.ts';
import { createNodeContext } from '../node-context.ts';
import type { CodeRequest, NodeContext, NodeResult, NodeType, WebhookResponse } from '../node-types.ts';
import { expressionsIn, ResolvedParameters } from '../resolved-parameters.ts';
import type { ExpressionOutcome } from '../runner/protocol.ts';
import type { Item, JsonObject, RunData, WorkflowNode } from '../types.ts';

/**
 * A NodeContext for unit tests of one node, without a workflow around it, built by the engine's own constructor
 * (createNodeContext). Parameters are used as given; an expression (`=...`) is resolved by `options.evaluate`
 * (tests of expression handling live with the runner and the engine, not here).
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
  /** Where files go (none: inside the items, as in n8n's in-memory mode). */
  binaryStorage?: BinaryStorage;
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
  const responses: WebhookResponse[] = [];
  const sleeps: number[] = [];
  const context = createNodeContext({
    node,
    workflow: { id: 'wf-test', name: 'Test workflow', active: false, nodes: [node], connections: {}, settings: {} },
    executionId: '1',
    mode: 'manual',
    inputs,
    source: [],
    runIndex: options.runIndex ?? 0,
    runData: options.runData ?? {},
    nodeState: options.nodeState ?? {},
    signal: options.signal ?? new AbortController().signal,
    timezone: options.timezone ?? 'UTC',
    now: () => options.now ?? new Date(),
    sleep: async (ms) => void sleeps.push(ms),
    parameters: resolvedBy(node.parameters, inputs, options.evaluate),
    async getCredentials(_node, type) {
      const found = options.credentials?.[type];
      if (!found) throw new Error(`Node "${node.name}" does not have any credentials of type "${type}" set`);
      return found;
    },
    async updateCredential(_node, type, patch) {
      // The test's own credential object is "the store": a later read in the same test sees the change.
      Object.assign(options.credentials?.[type] ?? {}, patch);
    },
    async runCode(request) {
      if (!options.runCode) throw new Error('testContext: no runCode option');
      return options.runCode(request);
    },
    respond: (response) => void responses.push(response),
    ...(options.binaryStorage ? { binaryStorage: options.binaryStorage } : {}),
  });
  return Object.assign(context, { responses, sleeps });
}

/** The node's expressions resolved up front, as the engine resolves them, by the test's own `evaluate`. */
function resolvedBy(parameters: JsonObject, inputs: Item[][], evaluate: TestContextOptions['evaluate']): ResolvedParameters {
  const expressions = expressionsIn(parameters);
  if (!expressions.length) return ResolvedParameters.NONE;
  const itemCount = Math.max(1, ...inputs.map((input) => input.length));
  const outcomes = expressions.map((expression) =>
    Array.from({ length: itemCount }, (_, itemIndex): ExpressionOutcome => {
      if (!evaluate) throw new Error(`testContext got expression ${expression} but no evaluate option`);
      try {
        return { ok: true, value: evaluate(expression, itemIndex) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return new ResolvedParameters(expressions, outcomes);
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

/** The items on output `index`. */
export function itemsOut(result: NodeResult, index = 0): Item[] {
  if (!Array.isArray(result)) throw new Error('node asked to wait instead of returning output');
  return result[index] ?? [];
}
