export { type ApplyResult, applyOperations, type DiffError, type OperationResult, PRE_EXISTING } from './apply.ts';
export { MAX_CONNECTION_INDEX, MAX_PATH_LENGTH, MAX_PATH_SEGMENTS, MAX_POSITION } from './limits.ts';
export { NODE_OPERATIONS, type Operation, OperationSchema } from './operations.schema.ts';
export type { ErrorCode, WorkflowDoc, WorkflowDocInput } from './types.ts';
