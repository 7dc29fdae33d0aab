import type { NodeType } from '../node-types.ts';

/** n8n's "No Operation, do nothing": hands its input on unchanged. */
export const noOpNode: NodeType = {
  type: 'n8n-nodes-base.noOp',
  async execute(ctx) {
    return [ctx.items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
  },
};
