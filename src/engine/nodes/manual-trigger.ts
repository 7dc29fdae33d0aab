import type { NodeType } from '../node-types.ts';
import { MANUAL_TRIGGER_TYPE } from '../triggers.ts';
import { startItems } from './start-items.ts';

/**
 * "When clicking 'Execute workflow'": starts a manual run. The engine hands it the run's start items as inputs[0];
 * without any it emits one empty item, as n8n does.
 */
export const manualTriggerNode: NodeType = {
  type: MANUAL_TRIGGER_TYPE,
  trigger: true,
  inputs: () => 0,
  async execute(ctx) {
    const items = startItems(ctx);
    return [items.length > 0 ? items : [{ json: {}, pairedItem: { item: 0 } }]];
  },
};
