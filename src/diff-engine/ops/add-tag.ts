import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Adds a tag name unless the workflow already has it (case-insensitive); the service creates missing tags. */
export function addTag(ctx: DiffContext, op: OperationOf<'addTag'>) {
  if (!ctx.doc.tags.some((t) => t.toLowerCase() === op.tag.toLowerCase())) ctx.doc.tags.push(op.tag);
}
