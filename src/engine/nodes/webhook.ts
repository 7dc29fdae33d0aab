import type { NodeType } from '../node-types.ts';
import { WEBHOOK_TYPE } from '../triggers.ts';
import { startItems } from './start-items.ts';

/**
 * Webhook trigger. The HTTP side (matching `/webhook/:path`, authentication, the response mode) lives in the
 * webhooks module; in the run the node emits the request item it was started with
 * (`{ headers, params, query, body, webhookUrl, executionMode }`).
 */
export const webhookNode: NodeType = {
  type: WEBHOOK_TYPE,
  trigger: true,
  inputs: () => 0,
  execute: async (ctx) => [startItems(ctx)],
};
