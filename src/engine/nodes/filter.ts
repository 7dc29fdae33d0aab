import type { NodeType } from '../node-types.ts';
import type { Item } from '../types.ts';
import { evaluateNodeFilter } from './conditions.ts';
import { ifFilterVersion, passesLegacyConditions } from './if.ts';

/**
 * n8n-nodes-base.filter: the items that pass on output 0, the others on a second output. The canvas shows one output,
 * but every Filter version (v1, v2 to v2.3) returns both lists, so n8n's run data records
 * `main: [kept, discarded]`; nothing is connected to the second one, so nothing runs from it. With
 * `onError: continueErrorOutput` the slot after output 0 is the error output, which n8n fills with the failed items
 * instead, so the discarded items are left out there. v2+ uses the filter format (conditions.ts) with the same
 * version rules as IF v2; v1 has IF v1's typed condition lists, combined with `combineConditions` (AND | OR).
 */
export const filterNode: NodeType = {
  type: 'n8n-nodes-base.filter',
  async execute(ctx) {
    const kept: Item[] = [];
    const discarded: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const passes =
        ctx.node.typeVersion < 2
          ? passesLegacyConditions(ctx, itemIndex, 'filter')
          : evaluateNodeFilter(ctx, 'conditions', itemIndex, ifFilterVersion);
      (passes ? kept : discarded).push({ ...item, pairedItem: { item: itemIndex } });
    }
    return ctx.node.onError === 'continueErrorOutput' ? [kept] : [kept, discarded];
  },
};
