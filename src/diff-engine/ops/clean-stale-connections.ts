import { removeEdges } from '../connections.ts';
import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Reports (dryRun) or removes connections from or to names that are not nodes. */
export function cleanStaleConnections(ctx: DiffContext, op: OperationOf<'cleanStaleConnections'>) {
  const names = new Set(ctx.doc.nodes.map((n) => n.name));
  const stale: DiffContext['staleConnections'] = [];
  for (const [source, outputs] of Object.entries(ctx.doc.connections)) {
    for (const [output, slots] of Object.entries(outputs)) {
      slots.forEach((slot, index) => {
        for (const edge of slot ?? [])
          if (!names.has(source) || !names.has(edge.node)) stale.push({ source, target: edge.node, output, index });
      });
    }
  }
  ctx.staleConnections.push(...stale);
  if (op.dryRun) return;
  for (const source of Object.keys(ctx.doc.connections)) if (!names.has(source)) delete ctx.doc.connections[source];
  removeEdges(ctx.doc.connections, (_s, _o, _i, edge) => !names.has(edge.node));
}
