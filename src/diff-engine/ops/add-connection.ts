import { addEdge } from '../connections.ts';
import { requireNode } from '../nodes.ts';
import type { OperationOf } from '../operations.schema.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { resolveSlot, slotHas } from './slots.ts';

export function addConnection(ctx: DiffContext, op: OperationOf<'addConnection'>) {
  const source = requireNode(ctx, op.source, 'Source node');
  const target = requireNode(ctx, op.target, 'Target node');
  const { output, index } = resolveSlot(source, op, 'addConnection');
  const targetInput = op.targetInput === undefined ? output : /^\d+$/.test(String(op.targetInput)) ? 'main' : String(op.targetInput);
  if (slotHas(ctx.doc.connections, source.name, output, index, target.name)) {
    throw new OperationError(
      'VALIDATION_ERROR',
      `Connection already exists from "${source.name}" (output "${output}", index ${index}) to "${target.name}"`,
    );
  }
  addEdge(ctx.doc.connections, source.name, output, index, { node: target.name, type: targetInput, index: op.targetIndex ?? 0 });
}
