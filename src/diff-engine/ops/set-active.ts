import type { OperationOf } from '../operations.schema.ts';
import type { DiffContext } from '../types.ts';

/** activateWorkflow and deactivateWorkflow: the service applies the activation transition. */
export function setActive(ctx: DiffContext, op: OperationOf<'activateWorkflow'> | OperationOf<'deactivateWorkflow'>) {
  ctx.doc.active = op.type === 'activateWorkflow';
}
