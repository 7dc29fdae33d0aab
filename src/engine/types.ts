/**
 * The execution engine's data model, in n8n's shapes: items flow between nodes as `{ json, binary?, pairedItem? }`,
 * and a run is recorded as `resultData.runData[nodeName][runIndex]` (ITaskData). Nothing here knows about HTTP
 * or the database: the executions module persists what the engine produces.
 */

import type { Connections, WorkflowNode as StoredNode, WorkflowSettings } from '../workflow-model/index.ts';

export type JsonObject = Record<string, unknown>;

/**
 * A file on an item, with n8n's fields. `data` is the bytes as base64 (n8n's in-memory mode) or, when they are in
 * binary data storage, the storage mode's name, with `id` the reference.
 */
export interface BinaryData {
  data: string;
  mimeType: string;
  fileType?: string;
  fileName?: string;
  directory?: string;
  fileExtension?: string;
  fileSize?: string;
  bytes?: number;
  id?: string;
}

export interface PairedItem {
  item: number;
  input?: number;
}

export interface Item {
  json: JsonObject;
  binary?: Record<string, BinaryData>;
  pairedItem?: PairedItem | PairedItem[] | number;
  /** Set on items produced by a node that failed with continueOnFail (n8n keeps it on the item). */
  error?: JsonObject;
}

/** One node's output: one item list per output (IF: [true, false]; most nodes: one). */
export type NodeOutput = Item[][];

export type { Connections, ConnectionTarget, OnError, WorkflowSettings } from '../workflow-model/index.ts';

/**
 * A node as the engine runs it: the workflow model's node (what the API stores) with two differences. `typeVersion`
 * is always there: n8n's schema leaves it optional, and runnableWorkflow (run-workflow.ts) runs a node sent without
 * one as version 1. `position` may be missing: the engine reads it only to order branches (scheduling.ts), and
 * the one-node workflows it builds itself (expression tests, the runner) have none.
 */
export type WorkflowNode = Omit<StoredNode, 'typeVersion' | 'position'> & {
  typeVersion: number;
  position?: StoredNode['position'];
};

/** The workflow as the engine runs it (a snapshot: later edits do not affect a running execution). */
export interface WorkflowDefinition {
  id: string;
  name: string;
  active: boolean;
  nodes: WorkflowNode[];
  connections: Connections;
  settings: WorkflowSettings;
  staticData?: unknown;
  pinData?: unknown;
  versionId?: string;
  /** The owning project: credentials are looked up within it only. */
  projectId?: string;
}

export type ExecutionMode = 'manual' | 'webhook' | 'trigger' | 'retry' | 'integrated' | 'internal' | 'cli' | 'error';

export type ExecutionStatus = 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting' | 'unknown';

export interface TaskSource {
  previousNode: string;
  previousNodeOutput?: number;
  previousNodeRun?: number;
}

/** n8n's serialised error (ExecutionBaseError + NodeError fields the API shows). */
export interface SerializedError {
  name: string;
  message: string;
  description?: string | null;
  level?: string;
  tags?: JsonObject;
  timestamp?: number;
  context?: JsonObject;
  functionality?: string;
  shouldReport?: boolean;
  messages?: string[];
  node?: WorkflowNode;
  httpCode?: string;
  stack?: string;
  [key: string]: unknown;
}

/** ITaskData: one run of one node. */
export interface TaskData {
  startTime: number;
  executionIndex: number;
  source: (TaskSource | null)[];
  hints: unknown[];
  executionTime: number;
  executionStatus: 'success' | 'error' | 'canceled' | 'waiting' | 'running';
  data?: { main: (Item[] | null)[] };
  error?: SerializedError;
  /** What the node recorded about its run besides its items (n8n's ITaskData.metadata), e.g. a form's end screen. */
  metadata?: JsonObject;
}

export type RunData = Record<string, TaskData[]>;

/** A node waiting to run: its inputs (one list per input index) and where each came from. */
export interface StackEntry {
  node: string;
  inputs: (Item[] | null)[];
  source: (TaskSource | null)[];
  /** Set when the entry resumes a node that asked to wait (Wait node): it is not executed again, it passes on. */
  resume?: boolean;
  /** What the resumed node outputs instead of its input (a Form page: the submission that resumed it). */
  resumeItems?: Item[];
}

/** One waiting run of a node with several inputs: what has arrived on each input (null: not yet) and from where. */
export interface WaitingSlot {
  inputs: (Item[] | null)[];
  source: (TaskSource | null)[];
}

/** Nodes with several inputs wait here until every input has data, one slot per run, oldest first. */
export type WaitingInputs = Record<string, WaitingSlot[]>;

/** What n8n stores as `execution.data`: enough to show the run and to resume or retry it. */
export interface ExecutionData {
  version: 1;
  startData: { destinationNode?: string; runNodeFilter?: string[] };
  /** A sub-workflow's run: the execution and workflow that called it (n8n records it so). */
  parentExecution?: { executionId: string; workflowId: string };
  /** What the Execution Data node saved (n8n's execution customData); the API shows it beside the data. */
  customData?: Record<string, string>;
  resultData: {
    runData: RunData;
    lastNodeExecuted?: string;
    error?: SerializedError;
    pinData?: unknown;
  };
  executionData?: {
    nodeExecutionStack: StackEntry[];
    waitingExecution: WaitingInputs;
    /** Per-node state that survives between runs of the node within one execution (splitInBatches). */
    nodeState: Record<string, JsonObject>;
    executionIndex: number;
  };
  waitTill?: string | null;
}
