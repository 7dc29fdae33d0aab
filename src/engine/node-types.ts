import type { BinaryHelpers } from './binary-data.ts';
import type { BinaryData, ExecutionMode, Item, JsonObject, NodeOutput, RunData, WorkflowDefinition, WorkflowNode } from './types.ts';

/**
 * What a node implementation sees while it runs. Parameters come back with expressions already resolved for
 * the item asked about, so node code never evaluates user input itself.
 */
export interface NodeContext {
  readonly node: WorkflowNode;
  readonly workflow: Pick<WorkflowDefinition, 'id' | 'name' | 'active' | 'settings' | 'projectId'>;
  readonly executionId: string;
  readonly mode: ExecutionMode;
  /** How deep in sub-workflow calls this run is (0: not called by another workflow). */
  readonly subWorkflowDepth: number;
  /** Items on each main input (index 0 is the first input); an input that got nothing is []. */
  readonly inputs: Item[][];
  /** Shorthand for inputs[0]. */
  readonly items: Item[];
  /** How many times this node already ran in this execution (0 on the first run). */
  readonly runIndex: number;
  /** Aborted when the execution is stopped or times out: pass it to anything that waits (HTTP, timers). */
  readonly signal: AbortSignal;
  /** Run data so far (read-only), for nodes that look at other nodes' output. */
  readonly runData: Readonly<RunData>;

  /**
   * A parameter by dot path (`options.timeout`, `assignments.assignments`), with every expression in it
   * resolved for item `itemIndex`. Missing → `fallback`.
   */
  getParam<T = unknown>(path: string, itemIndex: number, fallback?: T): T;
  /** A parameter exactly as stored (expressions not resolved). */
  getRawParam<T = unknown>(path: string, fallback?: T): T;
  /** Resolve expressions in any value for item `itemIndex` (a value that is no expression comes back as is). */
  evaluate(value: unknown, itemIndex: number): unknown;

  /** Decrypted data of the credential of `type` the node references; throws a NodeOperationError if none. */
  getCredentials(type: string): Promise<JsonObject>;
  /** Stores changes to the credential of `type` the node uses (an OAuth2 token it refreshed). */
  updateCredential(type: string, patch: JsonObject): Promise<void>;
  /** Per-node state kept across this node's runs within one execution (splitInBatches keeps its cursor here). */
  getNodeState(): JsonObject;
  /** Resolves after `ms`, or rejects when the execution is stopped. */
  sleep(ms: number): Promise<void>;
  /** The current time (an injectable clock, so tests of time-based nodes are exact). */
  now(): Date;
  /** The workflow's timezone (settings.timezone, else the server's GENERIC_TIMEZONE, else UTC). */
  readonly timezone: string;

  /** Runs JavaScript in the sandbox (Code node). */
  runCode(request: CodeRequest): Promise<unknown>;
  /** Files on items: store new ones, read the bytes of existing ones (wherever the binary data mode keeps them). */
  readonly binary: BinaryHelpers;
  /** Records `value` under `key` in this run's metadata (shown in the run data beside the items). */
  setMetadata(key: string, value: unknown): void;
  /** What setMetadata recorded (undefined: nothing). */
  recordedMetadata(): JsonObject | undefined;
  /** The execution's custom data (n8n's `$execution.customData`), which the Execution Data node writes. */
  readonly customData: Record<string, string>;
  /** For respondToWebhook: hands the HTTP response to the waiting webhook caller (no-op outside a webhook run). */
  respond(response: WebhookResponse): void;
}

export interface CodeRequest {
  code: string;
  /** Globals for the code: `items`, `$input`, `$json`… are built from these inside the sandbox. */
  mode: 'runOnceForAllItems' | 'runOnceForEachItem';
  items: Item[];
  /** Only for runOnceForEachItem. */
  itemIndex?: number;
}

export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
  /** A file to answer with instead of the body (streamed from binary data storage). */
  binary?: BinaryData;
}

/** A node asking the execution to pause (Wait): the engine saves everything and resumes at `till`. */
export interface WaitRequest {
  waitTill: Date;
}

export type NodeResult = NodeOutput | WaitRequest;

export interface NodeType {
  /** Full type name, e.g. `n8n-nodes-base.set`. */
  readonly type: string;
  /** The typeVersions it implements, when it names them (undefined: it takes any version). */
  readonly typeVersions?: readonly number[];
  /** The operations it implements (`resource:operation` where the node has resources), when it has a choice of them. */
  readonly operations?: readonly string[];
  /** Number of main inputs (Merge has 2). Default 1; trigger nodes have 0. */
  inputs?(node: WorkflowNode): number;
  /**
   * The inputs that must have data before the node may run with only some of them (n8n's requiredInputs): a
   * count, or the input indexes. Without it, any input with items will do.
   */
  requiredInputs?(node: WorkflowNode): number | number[];
  /** Number of main outputs, not counting the error output `onError: continueErrorOutput` adds. Default 1. */
  outputs?(node: WorkflowNode): number;
  /**
   * Trigger nodes start a run: their output is the data that started it (webhook request, manual items, schedule
   * tick). Read it through `canStartRun` (triggers.ts); whether a node allows activation is `isTriggerNode` there.
   */
  readonly trigger?: boolean;
  /**
   * A polling trigger (RSS Feed Trigger): called on each of its schedule's ticks; the items it answers start a run,
   * none (null or []) start nothing. `state` is what it kept from its last poll (n8n's static data), to change in place.
   */
  poll?(ctx: PollContext): Promise<Item[] | null>;
  execute(ctx: NodeContext): Promise<NodeResult>;
}

/** What a polling trigger's poll sees: its node (parameters as saved), its state, its credentials, and when to stop. */
export interface PollContext {
  readonly node: WorkflowNode;
  readonly state: JsonObject;
  readonly signal: AbortSignal;
  now(): Date;
  getCredentials(type: string): Promise<JsonObject>;
}

export function isWaitRequest(result: NodeResult): result is WaitRequest {
  return !Array.isArray(result);
}

/** n8n's NodeOperationError: a failure a node reports about its own input or parameters. */
export class NodeOperationError extends Error {
  description?: string;
  itemIndex?: number;
  constructor(message: string, options: { description?: string; itemIndex?: number } = {}) {
    super(message);
    this.name = 'NodeOperationError';
    this.description = options.description;
    this.itemIndex = options.itemIndex;
  }
}

/** The operation a node was asked for, or an error naming it and the ones this server implements. */
export function supportedOperation(requested: string, supported: readonly string[], what: (operation: string) => string): string {
  if (supported.includes(requested)) return requested;
  throw new NodeOperationError(`${what(requested)} is not supported by this server`, {
    description: `Supported: ${supported.join(', ')}.`,
  });
}

/** n8n's NodeApiError: a failure reported by a remote service (HTTP Request). */
export class NodeApiError extends Error {
  httpCode?: string;
  description?: string;
  constructor(message: string, options: { httpCode?: string; description?: string } = {}) {
    super(message);
    this.name = 'NodeApiError';
    this.httpCode = options.httpCode;
    this.description = options.description;
  }
}

/** Convenience for nodes: tag an output item with the input item it came from. */
export function paired(json: JsonObject, item: number, binary?: Item['binary']): Item {
  return binary ? { json, binary, pairedItem: { item } } : { json, pairedItem: { item } };
}
