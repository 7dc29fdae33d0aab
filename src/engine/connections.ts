import type { Connections, ConnectionTarget } from './types.ts';

/**
 * The highest output or input index a node may have. Real nodes have a few dozen at most; the bound keeps a
 * parameter such as Switch's numberOutputs or Merge's numberInputs from sizing a huge allocation.
 */
export const MAX_PORT_INDEX = 1000;

/** A node's output or input count from its parameters, clamped to what the engine allocates. */
export const boundedPortCount = (count: number) => Math.min(count, MAX_PORT_INDEX + 1);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An edge the engine can follow: `{ node, type, index }` with a node name and a non-negative integer index. */
export function isEdge(value: unknown): value is ConnectionTarget {
  return (
    isObject(value) &&
    typeof value.node === 'string' &&
    typeof value.type === 'string' &&
    Number.isInteger(value.index) &&
    (value.index as number) >= 0
  );
}

/**
 * Visits every well-formed edge of a stored connection map with its position (`connections[source][type][output]
 * [position]`). Stored maps are kept exactly as clients sent them, which for exported workflows is not always the
 * conventional shape (an output that is an object, an edge without `node`); those parts are skipped.
 */
export function forEachEdge(
  connections: unknown,
  visit: (source: string, type: string, output: number, position: number, edge: ConnectionTarget) => void,
): void {
  if (!isObject(connections)) return;
  for (const [source, byType] of Object.entries(connections)) {
    if (!isObject(byType)) continue;
    for (const [type, outputs] of Object.entries(byType)) {
      if (!Array.isArray(outputs)) continue;
      outputs.forEach((slot, output) => {
        if (!Array.isArray(slot)) return;
        slot.forEach((edge, position) => {
          if (isEdge(edge)) visit(source, type, output, position, edge);
        });
      });
    }
  }
}

/**
 * The well-formed part of a stored connection map, in the shape the engine walks; output indexes are kept. The
 * maps have no prototype: node names and connection types are client text, and `__proto__` must stay a key.
 */
export function runnableConnections(connections: unknown): Connections {
  const result: Connections = Object.create(null);
  forEachEdge(connections, (source, type, output, _position, edge) => {
    let byType = result[source];
    if (!byType) {
      byType = Object.create(null) as Connections[string];
      result[source] = byType;
    }
    let slots = byType[type];
    if (!slots) {
      slots = [];
      byType[type] = slots;
    }
    while (slots.length <= output) slots.push(null);
    let targets = slots[output];
    if (!targets) {
      targets = [];
      slots[output] = targets;
    }
    targets.push({ node: edge.node, type: edge.type, index: edge.index });
  });
  return result;
}
