export { type ApplyResult, applyOperations, type DiffError, type OperationResult } from './apply.ts';
export { NODE_OPERATIONS, type Operation, OperationSchema } from './operations.schema.ts';
export type { DiffConnections, DiffNode, ErrorCode, WorkflowDoc } from './types.ts';
