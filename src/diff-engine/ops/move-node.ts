import { editNode, requireNode } from '../nodes.ts';
import { nodeRefOf, type OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

export function moveNode(ctx: DiffContext, op: OperationOf<'moveNode'>) {
  editNode(ctx, requireNode(ctx, nodeRefOf(op))).position = [op.position[0], op.position[1]];
}
