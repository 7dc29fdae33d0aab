import type { RunView } from '../data-context.ts';
import type { Connections, Item, JsonObject, RunData, TaskData } from '../types.ts';
import type { ExecutionSync, NodeCall } from './protocol.ts';

/**
 * A runner's copy of one execution: the workflow's nodes and connections, and every node run the server has
 * synced so far. Maps keyed by node name have no prototype (names are client text).
 */
export class ExecutionCopy {
  readonly nodes: Map<string, { parameters: JsonObject }>;
  readonly connections: Connections;
  readonly env: Record<string, string> | undefined;
  readonly runData: RunData = Object.create(null);

  constructor(setup: NonNullable<ExecutionSync['setup']>) {
    this.nodes = new Map(setup.nodes.map(([name, parameters]) => [name, { parameters }]));
    this.connections = setup.connections;
    this.env = setup.env;
  }

  apply(runs: ExecutionSync['runs']): void {
    for (const { node, index, run } of runs) {
      if (!Object.hasOwn(this.runData, node)) this.runData[node] = [];
      const task = { source: run.source, ...(run.main ? { data: { main: run.main } } : {}) } as TaskData;
      (this.runData[node] as TaskData[])[index] = task;
    }
  }

  /** What user code of `call` may read: the data context's view of this copy. */
  viewFor(call: NodeCall): RunView {
    const node = this.nodes.get(call.node);
    return {
      nodes: this.nodes,
      connections: this.connections,
      runData: this.runData,
      node: { name: call.node, parameters: node?.parameters ?? {} },
      items: this.inputOf(call),
      source: call.source,
      ...(this.env ? { env: this.env } : {}),
    };
  }

  private inputOf(call: NodeCall): Item[] {
    if ('items' in call.input) return call.input.items;
    const { node, run, output } = call.input.ref;
    const runs = Object.hasOwn(this.runData, node) ? this.runData[node] : undefined;
    return (runs?.[run]?.data?.main[output] ?? []) as Item[];
  }
}
