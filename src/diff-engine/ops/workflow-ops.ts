import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

export function setActive(ctx: DiffContext, op: OperationOf<'activateWorkflow'> | OperationOf<'deactivateWorkflow'>) {
  ctx.doc.active = op.type === 'activateWorkflow';
}

/** Shallow merge, as n8n-mcp does; a null value removes the setting. */
export function updateSettings(ctx: DiffContext, op: OperationOf<'updateSettings'>) {
  for (const [key, value] of Object.entries(op.settings)) {
    if (value === null) delete ctx.doc.settings[key];
    else ctx.doc.settings[key] = value;
  }
}

export function updateName(ctx: DiffContext, op: OperationOf<'updateName'>) {
  ctx.doc.name = op.name;
}

export function addTag(ctx: DiffContext, op: OperationOf<'addTag'>) {
  if (!ctx.doc.tags.some((t) => t.toLowerCase() === op.tag.toLowerCase())) ctx.doc.tags.push(op.tag);
}

export function removeTag(ctx: DiffContext, op: OperationOf<'removeTag'>) {
  const before = ctx.doc.tags.length;
  ctx.doc.tags = ctx.doc.tags.filter((t) => t.toLowerCase() !== op.tag.toLowerCase());
  if (ctx.doc.tags.length === before) ctx.warnings.push(`removeTag: the workflow has no tag "${op.tag}"`);
}
