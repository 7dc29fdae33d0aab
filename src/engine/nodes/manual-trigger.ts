import type { NodeType } from '../node-types.ts';

/**
 * "When clicking 'Execute workflow'": starts a manual run. The engine hands it the run's start items as inputs[0];
 * without any it emits one empty item, as n8n does.
 */
export const manualTriggerNode: NodeType = {
  type: 'n8n-nodes-base.manualTrigger',
  trigger: true,
  inputs: () => 0,
  async execute(ctx) {
    const startItems = ctx.inputs[0] ?? [];
    if (startItems.length === 0) return [[{ json: {}, pairedItem: { item: 0 } }]];
    return [startItems.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
  },
};
