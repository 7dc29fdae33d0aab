import type { ConnectionTarget } from '../../workflow-model/index.ts';
import { isEdge, slotsOf, tidy } from '../connections.ts';
import { requireNode } from '../nodes.ts';
import type { OperationOf } from '../operations.schema.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { hasExplicitSlot, resolveSlot } from './slots.ts';

export function rewireConnection(ctx: DiffContext, op: OperationOf<'rewireConnection'>) {
  const source = requireNode(ctx, op.source, 'Source node');
  const from = requireNode(ctx, op.from, '"from" node');
  const to = requireNode(ctx, op.to, '"to" node');
  if (from === to) throw new OperationError('VALIDATION_ERROR', `rewireConnection: "from" and "to" are the same node "${from.name}"`);
  const explicitSlot = hasExplicitSlot(op);
  const { output, index } = resolveSlot(source, op, 'rewireConnection');
  // Malformed slots (not arrays) and edges (no `node`) are skipped: they are left as they are.
  const slots = slotsOf(ctx.doc.connections, source.name, output) ?? [];
  const edgesOf = (slot: unknown): ConnectionTarget[] => (Array.isArray(slot) ? slot.filter(isEdge) : []);
  const indexes = slots.flatMap((slot, i) =>
    (!explicitSlot || i === index) && edgesOf(slot).some((e) => e.node === from.name) ? [i] : [],
  );
  if (!indexes.length)
    throw new OperationError('VALIDATION_ERROR', `No connection from "${source.name}" (output "${output}") to "${from.name}" to rewire`);
  for (const i of indexes) {
    const slot = slots[i] as unknown[];
    const edge = edgesOf(slot).find((e) => e.node === from.name)!;
    // Keep the edge's place, input type and index: only its target changes.
    if (edgesOf(slot).some((e) => e.node === to.name)) slots[i] = slot.filter((e) => !isEdge(e) || e.node !== from.name);
    else edge.node = to.name;
  }
  tidy(ctx.doc.connections, source.name);
}
