import { isEdge, outputsOf, removeEdges } from '../connections.ts';
import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/**
 * Reports (dryRun) or removes connections from or to names that are not nodes. Malformed parts of the map (a slot
 * that is not an array, an edge without `node`) are neither reported nor removed: the invariants name them.
 */
export function cleanStaleConnections(ctx: DiffContext, op: OperationOf<'cleanStaleConnections'>) {
  const names = new Set(ctx.doc.nodes.map((n) => n.name));
  const stale: DiffContext['staleConnections'] = [];
  for (const source of Object.keys(ctx.doc.connections)) {
    for (const [output, slots] of Object.entries(outputsOf(ctx.doc.connections, source) ?? {})) {
      if (!Array.isArray(slots)) continue;
      slots.forEach((slot, index) => {
        if (!Array.isArray(slot)) return;
        for (const edge of slot) {
          if (isEdge(edge) && (!names.has(source) || !names.has(edge.node))) stale.push({ source, target: edge.node, output, index });
        }
      });
    }
  }
  ctx.staleConnections.push(...stale);
  if (op.dryRun) return;
  for (const source of Object.keys(ctx.doc.connections)) if (!names.has(source)) delete ctx.doc.connections[source];
  removeEdges(ctx.doc.connections, (_s, _o, _i, edge) => !names.has(edge.node));
}
