import type { Connections, Item, JsonObject, TaskSource } from '../types.ts';

/**
 * What the server and a runner process say to each other. A runner keeps a copy of each execution it serves
 * (the workflow's nodes and connections, and the node outputs so far), so a task carries only what the runner has
 * not seen yet: `sync`. After a runner is replaced, the server sends everything again.
 */

/** The part of a node run user code can read: its outputs and where its input came from. */
export interface RunCopy {
  source: (TaskSource | null)[];
  main?: (Item[] | null)[];
}

export interface ExecutionSync {
  executionId: string;
  /** The workflow, sent with the first task of an execution on a runner. */
  setup?: {
    nodes: [name: string, parameters: JsonObject][];
    connections: Connections;
    /** `$env` when the server allows it. */
    env?: Record<string, string>;
  };
  /** Node runs the runner has not seen yet, in order. */
  runs: { node: string; index: number; run: RunCopy }[];
}

/** What every call is about: the node, its input 0, and the run's metadata (one builder: runMetadata). */
export interface NodeCall {
  node: string;
  runIndex: number;
  /** The items of input 0, or where they are in the runner's copy (a node's output, unchanged). */
  input: { items: Item[] } | { ref: { node: string; run: number; output: number } };
  source: (TaskSource | null)[];
  meta: RunMetadata;
}

export interface RunMetadata {
  workflow: { id: string; name: string; active: boolean };
  execution: { id: string; mode: string };
  timezone: string;
  now: number;
  runIndex: number;
  vars: Record<string, string>;
  envAllowed: boolean;
}

export interface EvaluateCall extends NodeCall {
  /** Each expression is evaluated for items 0 .. itemCount - 1. */
  expressions: string[];
  itemCount: number;
  /** Longest one expression may run, and all of them together. */
  expressionTimeoutMs: number;
  budgetMs: number;
}

export interface CodeCall extends NodeCall {
  code: string;
  mode: 'runOnceForAllItems' | 'runOnceForEachItem';
  itemIndex?: number;
  timeoutMs: number;
}

export type TaskRequest =
  | { kind: 'evaluate'; sync: ExecutionSync; call: EvaluateCall }
  | { kind: 'code'; sync: ExecutionSync; call: CodeCall };

/** One expression's result for one item. */
export type ExpressionOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** Why user code failed, as the server turns it into the node's error. */
export interface UserCodeFailure {
  kind: 'timeout' | 'memory' | 'canceled' | 'error' | 'crashed' | 'needsSetup';
  name?: string;
  message: string;
  description?: string;
  stack?: string;
  lineNumber?: number;
}

export type TaskResponse =
  | { ok: true; kind: 'evaluate'; results: ExpressionOutcome[][] }
  | { ok: true; kind: 'code'; value: unknown }
  | { ok: false; failure: UserCodeFailure };

export type ToRunner =
  | { type: 'task'; taskId: number; request: TaskRequest }
  | { type: 'cancel'; taskId: number }
  | { type: 'release'; executionId: string };

export type FromRunner =
  | { type: 'ready' }
  | { type: 'result'; taskId: number; response: TaskResponse }
  | { type: 'log'; taskId: number; line: string }
  /** The runner dropped its copy of an execution (memory, idle): the next task must bring the setup again. */
  | { type: 'dropped'; executionId: string }
  /** The runner must be replaced (an isolate V8 gave up on): it takes no more tasks and exits after this one. */
  | { type: 'retiring' };
