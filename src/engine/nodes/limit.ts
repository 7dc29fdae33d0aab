import type { NodeType } from '../node-types.ts';

/** Keeps at most `maxItems` items, from the start or the end of the input. */
export const limitNode: NodeType = {
  type: 'n8n-nodes-base.limit',
  async execute(ctx) {
    const maxItems = Number(ctx.getParam('maxItems', 0, 1));
    const keep = ctx.getParam<string>('keep', 0, 'firstItems');
    const items = ctx.items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
    if (maxItems > items.length) return [items];
    return [keep === 'firstItems' ? items.slice(0, maxItems) : items.slice(items.length - maxItems)];
  },
};
