import ivm from 'isolated-vm';
import { findUserLine, type ThrownInSandbox } from './code-errors.ts';
import { ExecutionCopy } from './execution-copy.ts';
import { ExecutionRealm, USER_CODE_FILENAME } from './execution-realm.ts';
import type { CodeCall, TaskRequest, TaskResponse, UserCodeFailure } from './protocol.ts';
import { RunnerIsolate, UserCodeStopped } from './runner-isolate.ts';

export interface RunnerCoreOptions {
  /** Heap limit of the runner's isolate, shared by the executions it serves. */
  memoryLimitMb: number;
  /** Executions whose copy (and contexts) a runner keeps at once; the least recently used is dropped first. */
  maxExecutions: number;
  /** Told when a copy is dropped, so the server sends the setup again. */
  onDropped(executionId: string): void;
  /** V8 gave up on an isolate: its thread cannot be reclaimed, so the process should be replaced soon. */
  onCatastrophicError(message: string): void;
}

interface Held {
  copy: ExecutionCopy;
  realm?: ExecutionRealm;
}

/**
 * The work of a runner process, without the process: the server's copy of each execution it serves, and that
 * execution's contexts in the runner's one isolate. One task runs at a time; a task that finds no copy for its execution and brings no setup is
 * answered `needsSetup`, and the server resends everything.
 */
export class RunnerCore {
  private readonly held = new Map<string, Held>();
  private cancelRunning: (() => void) | undefined;
  /** The isolate every execution's contexts live in; made again after a memory overrun disposed it. */
  private shared: RunnerIsolate | undefined;
  /** A realm made while the runner had nothing to do, for the next execution that needs one. */
  private spare: ExecutionRealm | undefined;
  private warming = false;

  constructor(private readonly options: RunnerCoreOptions) {}

  async handle(request: TaskRequest, log: (line: string) => void): Promise<TaskResponse> {
    try {
      return await this.handleTask(request, log);
    } finally {
      // Only expressions use an execution's lasting context: a runner serving Code alone would make spares for nothing.
      if (request.kind === 'evaluate') this.warmSpare();
    }
  }

  private runnerIsolate(): RunnerIsolate {
    if (!this.shared || this.shared.disposed) {
      this.shared = new RunnerIsolate(this.options.memoryLimitMb, this.options.onCatastrophicError);
      this.spare = undefined;
    }
    return this.shared;
  }

  /** After a task: make the next execution's expression context in the gap before the next task arrives. */
  private warmSpare(): void {
    if (this.spare?.usable || this.warming) return;
    this.warming = true;
    setImmediate(() => {
      this.warming = false;
      if (this.spare?.usable) return;
      try {
        const spare = new ExecutionRealm(this.runnerIsolate());
        spare.expressionContext(false);
        this.spare = spare;
      } catch {
        // Warming is an optimisation: the next execution makes its own realm.
      }
    });
  }

  private async handleTask(request: TaskRequest, log: (line: string) => void): Promise<TaskResponse> {
    const held = this.hold(request);
    if (!held) return { ok: false, failure: { kind: 'needsSetup', message: 'the runner has no copy of this execution' } };
    held.copy.apply(request.sync.runs);
    const realm = this.realmOf(held);
    const view = held.copy.viewFor(request.call);
    try {
      if (request.kind === 'evaluate') return { ok: true, kind: 'evaluate', results: await realm.evaluate(view, request.call) };
      return await this.runCode(realm, view, request.call, log);
    } catch (error) {
      return { ok: false, failure: toFailure(error) };
    }
  }

  /** Stops the task that runs now (a stopped execution): the runner's isolate goes, the copies stay. */
  cancel(): void {
    this.cancelRunning?.();
  }

  /** Letting go of contexts happens after the current work, not in the way of the next task. */
  release(executionId: string): void {
    const realm = this.held.get(executionId)?.realm;
    this.held.delete(executionId);
    if (realm) setImmediate(() => realm.release());
  }

  dispose(): void {
    this.held.clear();
    this.spare = undefined;
    this.shared?.dispose();
    this.shared = undefined;
  }

  private hold(request: TaskRequest): Held | undefined {
    const { executionId, setup } = request.sync;
    let held = this.held.get(executionId);
    if (setup) {
      held?.realm?.release();
      held = { copy: new ExecutionCopy(setup) };
    }
    if (!held) return undefined;
    // Re-inserted: the Map's order is the order of last use.
    this.held.delete(executionId);
    this.held.set(executionId, held);
    while (this.held.size > this.options.maxExecutions) {
      const oldest = this.held.keys().next().value as string;
      this.release(oldest);
      this.options.onDropped(oldest);
    }
    return held;
  }

  private realmOf(held: Held): ExecutionRealm {
    if (!held.realm?.usable) {
      const shared = this.runnerIsolate();
      const spare = this.spare?.usable && this.spare.runner === shared ? this.spare : undefined;
      this.spare = undefined;
      held.realm = spare ?? new ExecutionRealm(shared);
    }
    return held.realm;
  }

  private async runCode(realm: ExecutionRealm, view: ReturnType<ExecutionCopy['viewFor']>, call: CodeCall, log: (line: string) => void) {
    const deadline = Date.now() + call.timeoutMs;
    const remainingMs = () => Math.max(1, deadline - Date.now());
    let stop: UserCodeFailure | undefined;
    // Stopping means disposing the runner's isolate (it is the only way to end code that awaits forever): every
    // execution's contexts go, and are made again from the server's copies with their next task.
    const halt = (failure: UserCodeFailure) => {
      stop ??= failure;
      realm.runner.dispose();
    };
    // isolated-vm's own timeout bounds synchronous runs only: code awaiting a promise that never settles is
    // stopped by disposing the isolate.
    const timer = setTimeout(() => halt(timeoutFailure(call.timeoutMs)), call.timeoutMs);
    this.cancelRunning = () => halt({ kind: 'canceled', message: 'The execution was canceled' });
    const sink = new ivm.Callback((line: unknown) => typeof line === 'string' && log(line.slice(0, 10_000)), { ignored: true });
    try {
      const text = await realm.runCode(view, call, sink, remainingMs);
      return decodeOutcome(text, call);
    } catch (error) {
      if (stop) throw new UserCodeStopped(stop);
      const message = error instanceof Error ? error.message : '';
      if (/timed out/i.test(message)) throw new UserCodeStopped(timeoutFailure(call.timeoutMs));
      const stopped = realm.runner.stopped(error, 'code');
      if (stopped instanceof UserCodeStopped) throw stopped;
      throw new UserCodeStopped(compileFailure(stopped, call));
    } finally {
      clearTimeout(timer);
      this.cancelRunning = undefined;
    }
  }
}

type Outcome = { ok: true; value?: unknown } | { ok: false; error: ThrownInSandbox };

function decodeOutcome(text: string, call: CodeCall): TaskResponse {
  const parsed = typeof text === 'string' ? (JSON.parse(text) as Outcome) : undefined;
  if (!parsed || typeof parsed !== 'object') {
    return { ok: false, failure: userError({ message: 'The code did not finish in a way the Code node understands' }, call) };
  }
  if (!parsed.ok) return { ok: false, failure: userError(parsed.error ?? {}, call) };
  return { ok: true, kind: 'code', value: parsed.value };
}

function userError(thrown: ThrownInSandbox, call: CodeCall): UserCodeFailure {
  const lineNumber = findUserLine(thrown.stack ?? '', USER_CODE_FILENAME, countLines(call.code));
  return {
    kind: 'error',
    name: thrown.name,
    message: thrown.message || 'Unknown error',
    ...(thrown.description ? { description: thrown.description } : {}),
    ...(thrown.stack ? { stack: thrown.stack.split('\n    at (<isolated-vm boundary>)')[0] } : {}),
    ...(lineNumber === undefined ? {} : { lineNumber }),
  };
}

/** isolated-vm appends ` [file:line:column]` to compile errors; the file here is USER_CODE_FILENAME. */
const COMPILE_ERROR_LOCATION = /^([\s\S]*) \[code\.js:(\d+):\d+\]$/;

/** What is left failed before the user's code ran: a SyntaxError from compiling it, located in its message. */
function compileFailure(error: Error, call: CodeCall): UserCodeFailure {
  const located = COMPILE_ERROR_LOCATION.exec(error.message);
  if (!located) return userError({ name: error.name, message: error.message, stack: error.stack }, call);
  // An unterminated construct is reported on the wrapper's closing line, just after the user's last line.
  return {
    kind: 'error',
    name: error.name,
    message: located[1] ?? error.message,
    lineNumber: Math.min(Number(located[2]), countLines(call.code)),
  };
}

function timeoutFailure(timeoutMs: number): UserCodeFailure {
  return { kind: 'timeout', message: `Code ran longer than ${timeoutMs} ms` };
}

function toFailure(error: unknown): UserCodeFailure {
  if (error instanceof UserCodeStopped) return error.failure;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', message };
}

function countLines(code: string): number {
  return code.split('\n').length;
}
