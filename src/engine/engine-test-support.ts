import { createNodeTypeRegistry } from './nodes/registry.ts';
import { type EngineServices, type RunRequest, type RunResult, runWorkflow } from './run-workflow.ts';
import { createTestUserCode } from './runner/test-user-code.ts';
import type { Connections, Item, JsonObject, TaskData, WorkflowDefinition, WorkflowNode } from './types.ts';

/** Engine services for unit tests: the real node types and user-code runner (in this process), a fixed clock if asked. */
export function testServices(overrides: Partial<EngineServices> = {}): EngineServices {
  return {
    nodeTypes: createNodeTypeRegistry(),
    userCode: sharedUserCode(),
    getCredentials: async (_workflow, node, type) => {
      throw new Error(`Node "${node.name}" does not have any credentials of type "${type}" set`);
    },
    now: () => new Date(),
    defaultTimezone: 'UTC',
    envAllowed: false,
    limits: { codeTimeoutMs: 5000, memoryLimitMb: 64 },
    inProcessWaitMs: 65_000,
    ...overrides,
  };
}

let userCode: ReturnType<typeof createTestUserCode> | undefined;
function sharedUserCode() {
  userCode ??= createTestUserCode();
  return userCode;
}

/** A node at a canvas position (v1 order depends on it). */
export function node(name: string, type: string, parameters: JsonObject = {}, extra: Partial<WorkflowNode> = {}): WorkflowNode {
  return {
    id: name,
    name,
    type: type.includes('.') ? type : `n8n-nodes-base.${type}`,
    typeVersion: 1,
    position: [0, 0],
    parameters,
    ...extra,
  };
}

/** connections from `[from, to, fromOutput?, toInput?]` tuples, as JSON.parse would make them (own keys only). */
export function connect(...edges: [string, string, number?, number?][]): Connections {
  const connections: Connections = {};
  for (const [from, to, output = 0, input = 0] of edges) {
    const byType = Object.hasOwn(connections, from) ? connections[from]! : {};
    const main = byType.main ?? [];
    while (main.length <= output) main.push([]);
    main[output]?.push({ node: to, type: 'main', index: input });
    byType.main = main;
    Object.defineProperty(connections, from, { value: byType, enumerable: true, writable: true, configurable: true });
  }
  return connections;
}

export function workflow(
  nodes: WorkflowNode[],
  connections: Connections,
  settings: WorkflowDefinition['settings'] = {},
): WorkflowDefinition {
  return { id: 'wf1', name: 'Test', active: false, nodes, connections, settings: { executionOrder: 'v1', ...settings } };
}

export function run(
  wf: WorkflowDefinition,
  options: Partial<RunRequest> & { items?: Item[]; services?: Partial<EngineServices> } = {},
): Promise<RunResult> {
  const start = wf.nodes[0];
  if (!start) throw new Error('workflow has no nodes');
  return runWorkflow(testServices(options.services), {
    workflow: wf,
    executionId: '1',
    mode: 'manual',
    signal: options.signal ?? new AbortController().signal,
    ...(options.resume
      ? { resume: options.resume }
      : { start: options.start ?? { node: start.name, items: options.items ?? [{ json: {} }] } }),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  });
}

/** Output json of a node's last run. */
export function outputJson(result: RunResult, name: string, output = 0): JsonObject[] {
  const runs = result.data.resultData.runData[name];
  const last = runs?.[runs.length - 1];
  return (last?.data?.main[output] ?? []).map((item) => item.json);
}

/** Node names in the order they ran. */
export function order(result: RunResult): string[] {
  return Object.entries(result.data.resultData.runData)
    .flatMap(([name, runs]) => runs.map((r) => ({ name, index: r.executionIndex })))
    .sort((a, b) => a.index - b.index)
    .map((r) => r.name);
}

/** A successful run of a node that put `items` on its first output, as run data records it. */
export function successfulRun(items: Item[]): TaskData {
  return {
    startTime: 0,
    executionIndex: 0,
    executionTime: 0,
    executionStatus: 'success',
    source: [],
    hints: [],
    data: { main: [items] },
  };
}
