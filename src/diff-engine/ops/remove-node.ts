import { removeEdges } from '../connections.ts';
import { normaliseName, requireNode } from '../nodes.ts';
import { nodeRefOf, type OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Removes a node and every connection from or to it; inner empty output slots stay so IF/Switch indexes hold. */
export function removeNode(ctx: DiffContext, op: OperationOf<'removeNode'>) {
  const node = requireNode(ctx, nodeRefOf(op));
  ctx.doc.nodes = ctx.doc.nodes.filter((n) => n !== node);
  delete ctx.doc.connections[node.name];
  removeEdges(ctx.doc.connections, (_s, _o, _i, edge) => edge.node === node.name);
  for (const ref of [node.name, normaliseName(node.name), node.id]) if (ref) ctx.removed.set(ref, node.name);
}
