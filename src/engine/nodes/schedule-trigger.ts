import type { NodeType } from '../node-types.ts';
import { SCHEDULE_TRIGGER_TYPE } from '../triggers.ts';
import { startItems } from './start-items.ts';

/**
 * Schedule trigger. When to fire is worked out by the triggers module (schedule-rules.ts); in the run the node
 * emits the tick it was started with, in n8n's shape (timestamp, readable date parts, timezone).
 */
export const scheduleTriggerNode: NodeType = {
  type: SCHEDULE_TRIGGER_TYPE,
  trigger: true,
  inputs: () => 0,
  execute: async (ctx) => [startItems(ctx)],
};
