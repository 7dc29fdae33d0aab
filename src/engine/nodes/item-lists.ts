import { type NodeContext, NodeOperationError, type NodeType, supportedOperation } from '../node-types.ts';
import { aggregateNode } from './aggregate.ts';
import { limitNode } from './limit.ts';
import { removeDuplicatesNode } from './remove-duplicates.ts';
import { sortNode } from './sort.ts';
import { splitOutNode } from './split-out.ts';
import { summarizeNode } from './summarize.ts';

/** Item Lists' operations and the nodes n8n split them into (their parameters kept the names). */
const BY_OPERATION: Record<string, NodeType> = {
  splitOutItems: splitOutNode,
  aggregateItems: aggregateNode,
  concatenateItems: aggregateNode,
  removeDuplicates: removeDuplicatesNode,
  sort: sortNode,
  limit: limitNode,
  summarize: summarizeNode,
};

/** The legacy Item Lists node (v1 to v3.1), run as the node that replaced each of its operations. */
export const itemListsNode: NodeType = {
  type: 'n8n-nodes-base.itemLists',
  typeVersions: [1, 2, 2.1, 2.2, 3, 3.1],
  operations: Object.keys(BY_OPERATION),
  async execute(ctx: NodeContext) {
    const operation = supportedOperation(
      ctx.getParam<string>('operation', 0, 'splitOutItems'),
      Object.keys(BY_OPERATION),
      (op) => `The Item Lists operation "${op}"`,
    );
    const node = BY_OPERATION[operation];
    if (!node) throw new NodeOperationError(`The Item Lists operation "${operation}" is not supported by this server`);
    return node.execute(ctx);
  },
};
