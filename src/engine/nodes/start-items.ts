import type { NodeContext } from '../node-types.ts';
import type { Item } from '../types.ts';

/** A trigger's output: the items the run was started with (the engine passes them as input 0), each paired to itself. */
export function startItems(ctx: NodeContext): Item[] {
  return (ctx.inputs[0] ?? []).map((item, index) => ({ ...item, pairedItem: { item: index } }));
}
