import { removeEdges } from '../connections.ts';
import { findNode, findRemoved, requireNode } from '../nodes.ts';
import type { OperationOf } from '../operations.schema.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { hasExplicitSlot, resolveSlot } from './slots.ts';

/** Removes the edges from source to target on one output type: every slot, or only the slot the operation names. */
export function removeConnection(ctx: DiffContext, op: OperationOf<'removeConnection'>) {
  try {
    if (warnIfRemovedWithNode(ctx, op)) return;
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

/**
 * Node operations run first (pass 1), so when a batch removes a node and also the connections it had, in either
 * order, the node is gone by the time removeConnection runs, and its edges went with it. That is what the caller
 * asked for: a warning, not a failure. Returns whether it was such a case; an end that never existed still throws.
 */
function warnIfRemovedWithNode(ctx: DiffContext, op: OperationOf<'removeConnection'>): boolean {
  const ends = [op.source, op.target].map((ref) => ({ ref, current: findNode(ctx, ref), removed: findRemoved(ctx, ref) }));
  const removed = [...new Set(ends.filter((end) => !end.current && end.removed !== undefined).map((end) => end.removed!))];
  if (!removed.length) return false;
  // The other end must exist (or have been removed too): a typo there is still an error.
  for (const [end, role] of [
    [ends[0]!, 'Source node'],
    [ends[1]!, 'Target node'],
  ] as const) {
    if (!end.current && end.removed === undefined) requireNode(ctx, end.ref, role);
  }
  const [source, target] = ends.map((end) => end.current?.name ?? end.removed!);
  const nodes = removed.length === 1 ? `node "${removed[0]}"` : `nodes "${removed[0]}" and "${removed[1]}"`;
  ctx.warnings.push(`removeConnection: the connection from "${source}" to "${target}" was already removed with ${nodes}`);
  return true;
}
