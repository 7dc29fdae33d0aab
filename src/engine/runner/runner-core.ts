import ivm from 'isolated-vm';
import { findUserLine, type ThrownInSandbox } from './code-errors.ts';
import { ExecutionCopy } from './execution-copy.ts';
import { ExecutionIsolate, USER_CODE_FILENAME, UserCodeStopped } from './execution-isolate.ts';
import type { CodeCall, TaskRequest, TaskResponse, UserCodeFailure } from './protocol.ts';

export interface RunnerCoreOptions {
  /** Heap limit of each execution's isolate. */
  memoryLimitMb: number;
  /** Executions whose copy (and isolate) a runner keeps at once; the least recently used is dropped first. */
  maxExecutions: number;
  /** Told when a copy is dropped, so the server sends the setup again. */
  onDropped(executionId: string): void;
  /** V8 gave up on an isolate: its thread cannot be reclaimed, so the process should be replaced soon. */
  onCatastrophicError(message: string): void;
}

interface Held {
  copy: ExecutionCopy;
  isolate?: ExecutionIsolate;
}

/**
 * The work of a runner process, without the process: the server's copy of each execution it serves, and that
 * execution's isolate. One task runs at a time; a task that finds no copy for its execution and brings no setup is
 * answered `needsSetup`, and the server resends everything.
 */
export class RunnerCore {
  private readonly held = new Map<string, Held>();
  private cancelRunning: (() => void) | undefined;

  constructor(private readonly options: RunnerCoreOptions) {}

  async handle(request: TaskRequest, log: (line: string) => void): Promise<TaskResponse> {
    const held = this.hold(request);
    if (!held) return { ok: false, failure: { kind: 'needsSetup', message: 'the runner has no copy of this execution' } };
    held.copy.apply(request.sync.runs);
    const isolate = this.isolateOf(held);
    const view = held.copy.viewFor(request.call);
    try {
      if (request.kind === 'evaluate') return { ok: true, kind: 'evaluate', results: await isolate.evaluate(view, request.call) };
      const outcome = await this.runCode(isolate, view, request.call, log);
      return outcome;
    } catch (error) {
      if (isolate.disposed) held.isolate = undefined;
      return { ok: false, failure: toFailure(error) };
    }
  }

  /** Stops the task that runs now (a stopped execution): its isolate goes, the copy stays. */
  cancel(): void {
    this.cancelRunning?.();
  }

  release(executionId: string): void {
    this.held.get(executionId)?.isolate?.dispose();
    this.held.delete(executionId);
  }

  dispose(): void {
    for (const id of [...this.held.keys()]) this.release(id);
  }

  private hold(request: TaskRequest): Held | undefined {
    const { executionId, setup } = request.sync;
    let held = this.held.get(executionId);
    if (setup) {
      held?.isolate?.dispose();
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

  private isolateOf(held: Held): ExecutionIsolate {
    if (!held.isolate || held.isolate.disposed) {
      held.isolate = new ExecutionIsolate(this.options.memoryLimitMb, this.options.onCatastrophicError);
    }
    return held.isolate;
  }

  private async runCode(
    isolate: ExecutionIsolate,
    view: ReturnType<ExecutionCopy['viewFor']>,
    call: CodeCall,
    log: (line: string) => void,
  ) {
    const deadline = Date.now() + call.timeoutMs;
    const remainingMs = () => Math.max(1, deadline - Date.now());
    let stop: UserCodeFailure | undefined;
    const halt = (failure: UserCodeFailure) => {
      stop ??= failure;
      isolate.dispose();
    };
    // isolated-vm's own timeout bounds synchronous runs only: code awaiting a promise that never settles is
    // stopped by disposing the isolate.
    const timer = setTimeout(() => halt(timeoutFailure(call.timeoutMs)), call.timeoutMs);
    this.cancelRunning = () => halt({ kind: 'canceled', message: 'The execution was canceled' });
    const sink = new ivm.Callback((line: unknown) => typeof line === 'string' && log(line.slice(0, 10_000)), { ignored: true });
    try {
      const text = await isolate.runCode(view, call, sink, remainingMs);
      return decodeOutcome(text, call);
    } catch (error) {
      if (stop) throw new UserCodeStopped(stop);
      const message = error instanceof Error ? error.message : '';
      if (/timed out/i.test(message)) throw new UserCodeStopped(timeoutFailure(call.timeoutMs));
      const stopped = isolate.stopped(error, 'code');
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
