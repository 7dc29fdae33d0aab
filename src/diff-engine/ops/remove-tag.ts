import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Removes a tag name (case-insensitive); removing one the workflow does not have is a warning, not an error. */
export function removeTag(ctx: DiffContext, op: OperationOf<'removeTag'>) {
  const before = ctx.doc.tags.length;
  ctx.doc.tags = ctx.doc.tags.filter((t) => t.toLowerCase() !== op.tag.toLowerCase());
  if (ctx.doc.tags.length === before) ctx.warnings.push(`removeTag: the workflow has no tag "${op.tag}"`);
}
