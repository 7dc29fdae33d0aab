import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Renames the workflow (the schema trims the name and requires it non-empty). */
export function updateName(ctx: DiffContext, op: OperationOf<'updateName'>) {
  ctx.doc.name = op.name;
}
