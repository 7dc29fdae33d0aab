import type { Connections, StoredConnections, WorkflowNode } from '../workflow-model/index.ts';

/**
 * The document the engine edits: a workflow's editable state, independent of storage. Nodes and connections are the
 * workflow model's. `connections` is typed by its well-formed view, though a stored map may carry malformed parts:
 * the helpers in connections.ts read it tolerantly and leave those parts as they are (see applyOperations).
 */
export interface WorkflowDoc {
  name: string;
  nodes: WorkflowNode[];
  connections: Connections;
  settings: Record<string, unknown>;
  active: boolean;
  /** Tag names. */
  tags: string[];
}

/**
 * What applyOperations takes: a WorkflowDoc whose connections may be a map as the API stores it (any object). It is
 * edited as the well-formed view, and comes back typed as one; its malformed parts are kept, not repaired.
 */
export type WorkflowDocInput = Omit<WorkflowDoc, 'connections'> & { connections: StoredConnections };

export type ErrorCode = 'VALIDATION_ERROR' | 'OPERATION_FAILED' | 'STRUCTURAL_INTEGRITY';

/** Thrown by an operation that cannot be applied; the batch runner turns it into a per-operation error. */
export class OperationError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What one batch run shares between its operations. */
export interface DiffContext {
  doc: WorkflowDoc;
  /** Every rename in this batch, old name → new name, so later operations may use either. */
  renames: Map<string, string>;
  warnings: string[];
  /**
   * Nodes removed earlier in the batch: their name, whitespace-normalised name and id, each → the name the node had.
   * A later removeConnection of their edges is then a warning (the edges went with the node), other operations get
   * a clearer message.
   */
  removed: Map<string, string>;
  /** Result of cleanStaleConnections with dryRun, reported to the caller. */
  staleConnections: { source: string; target: string; output: string; index: number }[];
}
