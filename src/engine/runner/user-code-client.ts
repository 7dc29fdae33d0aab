import type { Item, RunData, TaskSource, WorkflowDefinition } from '../types.ts';
import type {
  CodeCall,
  EvaluateCall,
  ExecutionSync,
  ExpressionOutcome,
  NodeCall,
  RunMetadata,
  TaskResponse,
  UserCodeFailure,
} from './protocol.ts';
import type { RunnerPool } from './runner-pool.ts';

/** What the engine asks of user code; the server's runner pool answers it. */
export interface UserCode {
  /** Every expression of a node's parameters for items 0 .. itemCount - 1, in one round trip. */
  evaluate(request: UserCodeRequest & { expressions: string[]; itemCount: number }): Promise<ExpressionOutcome[][]>;
  /** A Code node's JavaScript; resolves with what it returned. */
  runCode(request: UserCodeRequest & Pick<CodeCall, 'code' | 'mode' | 'itemIndex'>): Promise<unknown>;
  /** The execution is over (or parked): runners drop their copies of it. */
  release(executionId: string): void;
}

/** The execution as it stands when a node asks: the live run data, read to find what a runner has not seen. */
export interface UserCodeRequest {
  executionId: string;
  workflow: Pick<WorkflowDefinition, 'nodes' | 'connections'>;
  runData: RunData;
  node: string;
  runIndex: number;
  items: Item[];
  source: (TaskSource | null)[];
  meta: RunMetadata;
  env?: Record<string, string>;
  signal: AbortSignal;
  log?(line: string): void;
}

export interface UserCodeLimits {
  expressionTimeoutMs: number;
  codeTimeoutMs: number;
}

/** User code failed as a whole (not one expression): the node's error, in the words the server shows. */
export class UserCodeError extends Error {
  constructor(readonly failure: UserCodeFailure) {
    super(failure.message);
    this.name = failure.kind === 'error' ? failure.name || 'Error' : 'UserCodeError';
  }
}

interface Synced {
  runner: number;
  /** Per node, how many of its runs the runner has. */
  runs: Map<string, number>;
}

/**
 * The engine's side of the runner protocol: for each execution, what its runner has already been sent, so each
 * task carries only the node runs that are new to it (and everything again after the runner changed).
 */
export function createUserCodeClient(pool: RunnerPool, limits: UserCodeLimits): UserCode {
  const synced = new Map<string, Synced>();

  function syncFor(request: UserCodeRequest, runner: number, fresh: boolean): ExecutionSync {
    let state = synced.get(request.executionId);
    const setup = fresh || !state || state.runner !== runner;
    if (setup) {
      state = { runner, runs: new Map() };
      synced.set(request.executionId, state);
    }
    const runs: ExecutionSync['runs'] = [];
    for (const [node, tasks] of Object.entries(request.runData)) {
      const sent = state!.runs.get(node) ?? 0;
      for (let index = sent; index < tasks.length; index++) {
        const task = tasks[index]!;
        runs.push({ node, index, run: { source: task.source, ...(task.data ? { main: task.data.main } : {}) } });
      }
      state!.runs.set(node, tasks.length);
    }
    return {
      executionId: request.executionId,
      runs,
      ...(setup
        ? {
            setup: {
              nodes: request.workflow.nodes.map((node) => [node.name, node.parameters] as [string, typeof node.parameters]),
              connections: request.workflow.connections,
              ...(request.env ? { env: request.env } : {}),
            },
          }
        : {}),
    };
  }

  /** Input 0 by reference when it is exactly a node output the runner has (it usually is): no second copy. */
  function inputOf(request: UserCodeRequest): NodeCall['input'] {
    const src = request.source[0];
    if (src) {
      const runs = Object.hasOwn(request.runData, src.previousNode) ? request.runData[src.previousNode] : undefined;
      const run = src.previousNodeRun ?? 0;
      const output = src.previousNodeOutput ?? 0;
      if (runs?.[run]?.data?.main[output] === request.items) return { ref: { node: src.previousNode, run, output } };
    }
    return { items: request.items };
  }

  function nodeCall(request: UserCodeRequest): NodeCall {
    return { node: request.node, runIndex: request.runIndex, input: inputOf(request), source: request.source, meta: request.meta };
  }

  function unwrap(response: TaskResponse): TaskResponse & { ok: true } {
    if (!response.ok) throw new UserCodeError(response.failure);
    return response;
  }

  return {
    async evaluate(request) {
      const budgetMs = limits.codeTimeoutMs;
      const call: Omit<EvaluateCall, keyof NodeCall> = {
        expressions: request.expressions,
        itemCount: request.itemCount,
        expressionTimeoutMs: limits.expressionTimeoutMs,
        budgetMs,
      };
      const response = await pool.run(
        request.executionId,
        (runner, fresh) => ({ kind: 'evaluate', sync: syncFor(request, runner, fresh), call: { ...nodeCall(request), ...call } }),
        { timeoutMs: budgetMs, signal: request.signal },
      );
      const done = unwrap(response);
      return done.kind === 'evaluate' ? done.results : [];
    },

    async runCode(request) {
      const call: Omit<CodeCall, keyof NodeCall> = {
        code: request.code,
        mode: request.mode,
        ...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
        timeoutMs: limits.codeTimeoutMs,
      };
      const response = await pool.run(
        request.executionId,
        (runner, fresh) => ({ kind: 'code', sync: syncFor(request, runner, fresh), call: { ...nodeCall(request), ...call } }),
        { timeoutMs: limits.codeTimeoutMs, signal: request.signal, ...(request.log ? { log: request.log } : {}) },
      );
      const done = unwrap(response);
      return done.kind === 'code' ? done.value : undefined;
    },

    release(executionId) {
      synced.delete(executionId);
      pool.release(executionId);
    },
  };
}
