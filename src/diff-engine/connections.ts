import type { DiffConnection, DiffConnections } from './types.ts';

/** Drops empty trailing slots, then empty outputs and sources; inner empty slots stay so IF/Switch indexes hold. */
export function tidy(connections: DiffConnections, source: string) {
  const outputs = connections[source];
  if (!outputs) return;
  for (const [type, slots] of Object.entries(outputs)) {
    while (slots.length && !slots[slots.length - 1]?.length) slots.pop();
    if (!slots.length) delete outputs[type];
  }
  if (!Object.keys(outputs).length) delete connections[source];
}

/** Removes every edge matching `match`; returns how many were removed. */
export function removeEdges(
  connections: DiffConnections,
  match: (source: string, output: string, index: number, edge: DiffConnection) => boolean,
): number {
  let removed = 0;
  for (const [source, outputs] of Object.entries(connections)) {
    for (const [output, slots] of Object.entries(outputs)) {
      slots.forEach((slot, index) => {
        if (!slot) return;
        const kept = slot.filter((edge) => !match(source, output, index, edge));
        removed += slot.length - kept.length;
        slots[index] = kept;
      });
    }
    tidy(connections, source);
  }
  return removed;
}

export function addEdge(connections: DiffConnections, source: string, output: string, index: number, edge: DiffConnection) {
  connections[source] ??= {};
  const outputs = connections[source];
  outputs[output] ??= [];
  const slots = outputs[output];
  while (slots.length <= index) slots.push([]);
  slots[index] ??= [];
  slots[index].push(edge);
}

/** Renames a node everywhere it appears in the connection map (source keys and edge targets, every output type). */
export function renameInConnections(connections: DiffConnections, from: string, to: string) {
  if (connections[from]) {
    connections[to] = connections[from];
    delete connections[from];
  }
  for (const outputs of Object.values(connections)) {
    for (const slots of Object.values(outputs)) {
      for (const slot of slots) for (const edge of slot ?? []) if (edge.node === from) edge.node = to;
    }
  }
}
