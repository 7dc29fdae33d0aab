import { removeEdges } from '../connections.ts';
import { requireNode } from '../nodes.ts';
import type { OperationOf } from '../operations.schema.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { hasExplicitSlot, resolveSlot } from './slots.ts';

/** Removes the edges from source to target on one output type: every slot, or only the slot the operation names. */
export function removeConnection(ctx: DiffContext, op: OperationOf<'removeConnection'>) {
  try {
    const source = requireNode(ctx, op.source, 'Source node');
    const target = requireNode(ctx, op.target, 'Target node');
    const explicitSlot = hasExplicitSlot(op);
    const { output, index } = resolveSlot(source, op, 'removeConnection');
    const removed = removeEdges(
      ctx.doc.connections,
      (s, o, i, edge) => s === source.name && o === output && (!explicitSlot || i === index) && edge.node === target.name,
    );
    if (!removed) {
      throw new OperationError(
        'VALIDATION_ERROR',
        `No connection from "${source.name}" (output "${output}"${explicitSlot ? `, index ${index}` : ''}) to "${target.name}"`,
      );
    }
  } catch (err) {
    if (!op.ignoreErrors) throw err;
  }
}
