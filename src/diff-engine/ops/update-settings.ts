import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** Shallow merge, as n8n-mcp does; a null value removes the setting. */
export function updateSettings(ctx: DiffContext, op: OperationOf<'updateSettings'>) {
  for (const [key, value] of Object.entries(op.settings)) {
    if (value === null) delete ctx.doc.settings[key];
    else ctx.doc.settings[key] = value;
  }
}
