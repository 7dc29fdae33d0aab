import { editNode, requireNode } from '../nodes.ts';
import { nodeRefOf, type OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** enableNode and disableNode: sets the node's `disabled` flag (false or true). */
export function setNodeDisabled(ctx: DiffContext, op: OperationOf<'enableNode'> | OperationOf<'disableNode'>) {
  editNode(ctx, requireNode(ctx, nodeRefOf(op))).disabled = op.type === 'disableNode';
}
