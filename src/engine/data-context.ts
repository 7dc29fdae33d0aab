import { findPairedItem } from './paired-items.ts';
import type { Connections, Item, JsonObject, RunData, TaskSource } from './types.ts';

/**
 * The one place that answers what user code asks about the run: `$input`, `$('Node')`, `$node[...]`, `$items()`,
 * `$prevNode`, `$parameter`, `$binary`, `$env`. Expressions and the Code node both reach it through the same
 * host lookup (in the runner process, over its copy of the run), so `$('IF').first()` gives the same items in
 * both places. Follows n8n: without an explicit branch, `$('X')` reads the output of X that leads to the current
 * node; `.item` follows paired items.
 */
export interface RunView {
  /** The nodes of the workflow (name and parameters are all user code may read of them). */
  nodes: ReadonlyMap<string, { parameters: JsonObject }>;
  connections: Connections;
  runData: RunData;
  /** The current node, its input 0 items and where they came from. */
  node: { name: string; parameters: JsonObject };
  items: Item[];
  source: (TaskSource | null)[];
  /** `$env`, when the server allows it; undefined when it does not. */
  env?: Record<string, string>;
}

export type LookupKind =
  | 'input.all'
  | 'input.first'
  | 'input.last'
  | 'input.item'
  | 'binary'
  | 'parameters'
  | 'prevNode'
  | 'env'
  | 'node.params'
  | 'node.isExecuted'
  | 'node.item'
  | 'node.itemMatching'
  | 'node.sameIndex'
  | 'node.all'
  | 'node.first'
  | 'node.last';

/** Answers one lookup for item `itemIndex`; `a`, `b`, `c` are the node name, branch (or index) and run. */
export function lookup(view: RunView, kind: string, itemIndex: number, a?: unknown, b?: unknown, c?: unknown): unknown {
  const { items } = view;
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
      return view.node.parameters;
    case 'prevNode': {
      const src = view.source[0];
      return src ? { name: src.previousNode, outputIndex: src.previousNodeOutput ?? 0, runIndex: src.previousNodeRun ?? 0 } : undefined;
    }
    case 'env':
      return view.env;
    default:
      return lookupNode(view, kind, String(a), b, c, itemIndex);
  }
}

function lookupNode(view: RunView, kind: string, name: string, b: unknown, c: unknown, itemIndex: number): unknown {
  const target = view.nodes.get(name);
  if (!target) throw new Error(`Referenced node doesn't exist: "${name}"`);
  if (kind === 'node.params') return target.parameters;
  const runs = Object.hasOwn(view.runData, name) ? view.runData[name] : undefined;
  if (kind === 'node.isExecuted') return Boolean(runs?.length);
  if (!runs?.length) throw new Error(`Node '${name}' hasn't been executed`);
  if (kind === 'node.item' || kind === 'node.itemMatching') {
    const index = kind === 'node.item' ? itemIndex : Number(b);
    return (
      findPairedItem({ runData: view.runData, items: view.items, source: view.source, itemIndex: index, target: name }) ??
      outputOf(runs, 0)[index]
    );
  }
  const run = c === undefined ? runs.length - 1 : Number(c);
  const branch = b === undefined ? outputLeadingTo(view.connections, name, view.node.name) : Number(b);
  const output = outputOf(runs, branch, run);
  switch (kind) {
    case 'node.sameIndex':
      return output[itemIndex];
    case 'node.all':
      return output;
    case 'node.first':
      return output[0];
    case 'node.last':
      return output[output.length - 1];
    default:
      throw new Error(`unknown lookup ${kind}`);
  }
}

function outputOf(runs: RunData[string], output: number, run = runs.length - 1): Item[] {
  return (runs[run]?.data?.main[output] ?? []) as Item[];
}

/** The first output of `from` from which `to` can be reached along connections (0 when none can). */
export function outputLeadingTo(connections: Connections, from: string, to: string): number {
  const outputs = (Object.hasOwn(connections, from) ? connections[from]?.main : undefined) ?? [];
  for (const [index, targets] of outputs.entries()) {
    const seen = new Set<string>();
    const queue = (targets ?? []).map((t) => t.node);
    while (queue.length > 0) {
      const current = queue.shift() as string;
      if (current === to) return index;
      if (seen.has(current)) continue;
      seen.add(current);
      const next = Object.hasOwn(connections, current) ? connections[current]?.main : undefined;
      for (const slot of next ?? []) for (const t of slot ?? []) queue.push(t.node);
    }
  }
  return 0;
}
