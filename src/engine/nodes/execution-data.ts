import { NodeOperationError, type NodeType } from '../node-types.ts';

/** n8n's limits on an execution's custom data: 10 entries, keys of 50 characters, values of 255. */
const MAX_ENTRIES = 10;
const MAX_KEY = 50;
const MAX_VALUE = 255;

/**
 * n8n's Execution Data node: saves key/value pairs on the execution (its `customData`, shown by the executions API),
 * once per item, and passes the items on.
 */
export const executionDataNode: NodeType = {
  type: 'n8n-nodes-base.executionData',
  typeVersions: [1, 1.1],
  operations: ['save'],
  async execute(ctx) {
    for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
      for (const entry of ctx.getParam<{ key?: unknown; value?: unknown }[]>('dataToSave.values', itemIndex, [])) {
        const key = String(entry?.key ?? '').slice(0, MAX_KEY);
        if (!key) continue;
        if (!(key in ctx.customData) && Object.keys(ctx.customData).length >= MAX_ENTRIES) {
          throw new NodeOperationError(`An execution keeps at most ${MAX_ENTRIES} custom data entries`, { itemIndex });
        }
        ctx.customData[key] = String(entry?.value ?? '').slice(0, MAX_VALUE);
      }
    }
    return [ctx.items];
  },
};
