import type { NodeType } from '../node-types.ts';
import type { Item } from '../types.ts';
import { evaluateNodeFilter } from './conditions.ts';
import { ifFilterVersion, passesLegacyConditions } from './if.ts';

/**
 * n8n-nodes-base.filter: keeps the items that pass on its one output and drops the rest. v2+ uses the filter
 * format (conditions.ts) with the same version rules as IF v2; v1 has IF v1's typed condition lists.
 */
export const filterNode: NodeType = {
  type: 'n8n-nodes-base.filter',
  async execute(ctx) {
    const kept: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const passes =
        ctx.node.typeVersion < 2
          ? passesLegacyConditions(ctx, itemIndex)
          : evaluateNodeFilter(ctx, 'conditions', itemIndex, ifFilterVersion);
      if (passes) kept.push({ ...item, pairedItem: { item: itemIndex } });
    }
    return [kept];
  },
};
