/** The document the engine edits: a workflow's editable state, independent of storage. */
export interface DiffNode {
  id?: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  disabled?: boolean;
  [key: string]: unknown;
}

export interface DiffConnection {
  node: string;
  type: string;
  index: number;
}

export type DiffConnections = Record<string, Record<string, (DiffConnection[] | null)[]>>;

export interface WorkflowDoc {
  name: string;
  nodes: DiffNode[];
  connections: DiffConnections;
  settings: Record<string, unknown>;
  active: boolean;
  /** Tag names. */
  tags: string[];
}

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
