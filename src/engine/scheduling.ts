import type { NodeTypeRegistry } from './nodes/registry.ts';
import type {
  Connections,
  NodeOutput,
  StackEntry,
  TaskSource,
  WaitingInputs,
  WaitingSlot,
  WorkflowDefinition,
  WorkflowNode,
} from './types.ts';

/**
 * What happens after a node ran, in n8n's "v1" order: which nodes run next, in which order, and how nodes with
 * several inputs wait for them. Kept apart from the run loop so the rules can be read (and tested) in one place.
 */
export class Scheduler {
  private readonly nodesByName: Map<string, WorkflowNode>;
  private readonly inputCounts = new Map<string, number>();
  private parents?: Map<string, Set<string>>;

  constructor(
    private readonly workflow: WorkflowDefinition,
    private readonly nodeTypes: NodeTypeRegistry,
    private readonly stack: StackEntry[],
    private readonly waiting: WaitingInputs,
  ) {
    this.nodesByName = new Map(workflow.nodes.map((node) => [node.name, node]));
    // As in n8n, a node has as many inputs as its incoming connections address (the highest input index + 1),
    // whatever its type declares: a Merge with only input 1 connected waits, one with only input 0 does not.
    forEachMainEdge(workflow.connections, (_source, _output, target, input) => {
      this.inputCounts.set(target, Math.max(this.inputCounts.get(target) ?? 0, input + 1));
    });
  }

  /**
   * Puts the nodes fed by `node`'s outputs in front of older work (depth first). n8n sorts the targets of all
   * outputs together by canvas position, bottom-right first, and puts each in front in turn, so the top one (the
   * left one at equal height) runs first; targets at the same position end up in reverse connection order.
   */
  scheduleChildren(node: WorkflowNode, runIndex: number, output: NodeOutput): void {
    const outputs = this.workflow.connections[node.name]?.main ?? [];
    const arrivals: { target: WorkflowNode; input: number; outputIndex: number }[] = [];
    outputs.forEach((targets, outputIndex) => {
      const items = output[outputIndex];
      if (!targets || !items || items.length === 0) return;
      for (const edge of targets) {
        const target = this.nodesByName.get(edge.node);
        if (target) arrivals.push({ target, input: edge.index, outputIndex });
      }
    });
    arrivals.sort((a, b) => bottomRightFirst(a.target.position, b.target.position));
    for (const { target, input, outputIndex } of arrivals) {
      const source: TaskSource = { previousNode: node.name, previousNodeOutput: outputIndex, previousNodeRun: runIndex };
      this.arrive(target, input, output[outputIndex] ?? [], source);
    }
  }

  /**
   * When the stack is empty: the first waiting node (in the order they started waiting) that may run with what it
   * has, its missing inputs empty; undefined when none may. A node waits on while one of its ancestors waits, or
   * while an input its type requires has not arrived (Merge's chooseBranch needs both); a waiting run without any
   * items is dropped. What is never released never runs, as in n8n.
   */
  releaseWaiting(): StackEntry | undefined {
    scan: for (;;) {
      for (const name of Object.keys(this.waiting)) {
        const slots = this.waiting[name] ?? [];
        const node = this.nodesByName.get(name);
        const first = slots[0];
        if (!node || !first) {
          delete this.waiting[name];
          continue scan;
        }
        if (this.hasWaitingAncestor(name)) continue;
        const arrived = first.inputs.flatMap((items, index) => (items === null ? [] : [index]));
        const required = this.nodeTypes.get(node.type)?.requiredInputs?.(node);
        if (Array.isArray(required) ? required.some((index) => !arrived.includes(index)) : arrived.length < (required ?? 0)) continue;
        slots.shift();
        if (slots.length === 0) delete this.waiting[name];
        const inputs = first.inputs.map((items) => items ?? []);
        if (inputs.some((items) => items.length > 0)) return { node: name, inputs, source: first.source };
        continue scan;
      }
      return undefined;
    }
  }

  private arrive(target: WorkflowNode, input: number, items: NodeOutput[number], source: TaskSource): void {
    const inputCount = this.inputCounts.get(target.name) ?? 1;
    const data = items ?? [];
    if (inputCount <= 1) {
      const inputs: StackEntry['inputs'] = Array(input + 1).fill(null);
      inputs[input] = data;
      const sources: StackEntry['source'] = Array(input + 1).fill(null);
      sources[input] = source;
      this.stack.unshift({ node: target.name, inputs, source: sources });
      return;
    }
    // A second arrival on an input that already has data starts another run of the node (n8n keeps one waiting
    // entry per run): a Merge whose one parent runs twice while the other input never arrives runs twice.
    const slots = this.waiting[target.name] ?? [];
    this.waiting[target.name] = slots;
    let slot = slots.find((candidate) => candidate.inputs[input] === null);
    if (!slot) {
      slot = { inputs: Array(inputCount).fill(null), source: Array(inputCount).fill(null) };
      slots.push(slot);
    }
    slot.inputs[input] = data;
    slot.source[input] = source;
    if (slot.inputs.every((arrived) => arrived !== null)) {
      slots.splice(slots.indexOf(slot), 1);
      if (slots.length === 0) delete this.waiting[target.name];
      this.stack.unshift({ node: target.name, inputs: slot.inputs, source: slot.source });
    }
  }

  private hasWaitingAncestor(name: string): boolean {
    this.parents ??= parentsByNode(this.workflow.connections);
    const seen = new Set<string>();
    const queue = [...(this.parents.get(name) ?? [])];
    while (queue.length > 0) {
      const current = queue.pop() as string;
      if (seen.has(current)) continue;
      seen.add(current);
      if (current !== name && Object.hasOwn(this.waiting, current)) return true;
      queue.push(...(this.parents.get(current) ?? []));
    }
    return false;
  }
}

/**
 * Saved state from before waiting nodes could hold several runs had one slot per node; both shapes are read.
 * The map has no prototype: node names are client text.
 */
export function waitingFromSaved(saved: Record<string, WaitingSlot | WaitingSlot[]> | undefined): WaitingInputs {
  const waiting: WaitingInputs = Object.create(null);
  for (const [name, value] of Object.entries(saved ?? {})) waiting[name] = Array.isArray(value) ? [...value] : [value];
  return waiting;
}

/** n8n's order: lower on the canvas first, then (at equal height) further right first. */
function bottomRightFirst(a: WorkflowNode['position'] | undefined, b: WorkflowNode['position'] | undefined): number {
  const [ax = 0, ay = 0] = a ?? [];
  const [bx = 0, by = 0] = b ?? [];
  if (ay !== by) return by - ay;
  return ax > bx ? -1 : 0;
}

function forEachMainEdge(connections: Connections, visit: (source: string, output: number, target: string, input: number) => void) {
  for (const [source, byType] of Object.entries(connections)) {
    (byType?.main ?? []).forEach((targets, output) => {
      for (const edge of targets ?? []) visit(source, output, edge.node, edge.index);
    });
  }
}

function parentsByNode(connections: Connections): Map<string, Set<string>> {
  const parents = new Map<string, Set<string>>();
  forEachMainEdge(connections, (source, _output, target) => {
    const set = parents.get(target) ?? new Set<string>();
    set.add(source);
    parents.set(target, set);
  });
  return parents;
}
