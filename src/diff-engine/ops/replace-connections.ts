import type { Connections } from '../../workflow-model/index.ts';
import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Replaces the whole connection map; the batch's invariants check its shape and references. */
export function replaceConnections(ctx: DiffContext, op: OperationOf<'replaceConnections'>) {
  ctx.doc.connections = structuredClone(op.connections) as Connections;
}
