import { NodeApiError, NodeOperationError } from './node-types.ts';
import type { SerializedError, WorkflowNode } from './types.ts';

/** Thrown into a run when it is stopped (by a user or its timeout); the run ends "canceled", not "error". */
export class ExecutionCancelledError extends Error {
  constructor(readonly reason: 'manual' | 'timeout' | 'shutdown') {
    super(
      reason === 'timeout'
        ? 'The execution was cancelled because it timed out'
        : reason === 'shutdown'
          ? 'The execution was cancelled because the server shut down'
          : 'The execution was cancelled manually',
    );
    this.name = reason === 'timeout' ? 'TimeoutExecutionCancelledError' : 'ManualExecutionCancelledError';
  }
}

/**
 * n8n's error shape in run data. No host stack trace: it would show the server's file paths; the first line
 * (`Name: message`) is kept because clients display it.
 */
export function serializeError(error: unknown, node: WorkflowNode | undefined, now = Date.now()): SerializedError {
  const err = error instanceof Error ? error : new Error(String(error));
  const isApi = err instanceof NodeApiError;
  const serialized: SerializedError = {
    level: 'warning',
    shouldReport: !(err instanceof ExecutionCancelledError),
    tags: {},
    timestamp: now,
    context: {},
    functionality: 'regular',
    name: err.name === 'Error' ? 'NodeOperationError' : err.name,
    messages: [],
    message: err.message,
    stack: `${err.name === 'Error' ? 'NodeOperationError' : err.name}: ${err.message}`,
  };
  if (node) serialized.node = node;
  if (err instanceof NodeOperationError || err instanceof NodeApiError) {
    if (err.description) serialized.description = err.description;
  }
  if (isApi && err.httpCode) serialized.httpCode = err.httpCode;
  if (err instanceof NodeOperationError && err.itemIndex !== undefined) serialized.context = { itemIndex: err.itemIndex };
  return serialized;
}
