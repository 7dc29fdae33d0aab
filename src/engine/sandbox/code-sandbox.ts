import ivm from 'isolated-vm';
import type { Item } from '../types.ts';
import { IsolateWatchdog, type StopReason } from './isolate-watchdog.ts';
import { codeUsesLuxon, compileLuxon } from './luxon-script.ts';
import {
  CodeCanceledError,
  CodeExecutionError,
  CodeMemoryLimitError,
  CodeTimeoutError,
  findUserLine,
  type ThrownInSandbox,
} from './sandbox-errors.ts';
import { SANDBOX_GLOBALS_FILENAME, SANDBOX_GLOBALS_SOURCE, wrapUserCode } from './sandbox-globals.ts';

/**
 * Runs Code-node JavaScript in a fresh V8 isolate (isolated-vm) per call: its own heap with a memory limit, no
 * Node APIs, and data crossing the boundary only as JSON text. The host stops the isolate when the time limit
 * passes or the execution is canceled, including while the code is awaiting something that never settles.
 */

export type CodeMode = 'runOnceForAllItems' | 'runOnceForEachItem';

export interface CodeSandboxInput {
  code: string;
  mode: CodeMode;
  items: Item[];
  /** The item being processed (runOnceForEachItem only). */
  itemIndex?: number;
  /** Each executed node's latest output 0, for `$('Name')` and `$node['Name']`. */
  nodeOutputs: Record<string, Item[]>;
  workflow: { id: string; name: string; active: boolean };
  execution: { id: string; mode: string };
  timeoutMs: number;
  memoryLimitMb: number;
  signal: AbortSignal;
  /** IANA zone for `$now`, `$today` and Luxon's default zone (the workflow's timezone); default: the server's. */
  timezone?: string;
  /** Receives each console.log line; without it console output is dropped. */
  onConsoleLog?: (line: string) => void;
}

/** isolated-vm refuses smaller heaps. */
const MIN_MEMORY_LIMIT_MB = 8;
const USER_CODE_FILENAME = 'code.js';

export async function runCodeInSandbox(input: CodeSandboxInput): Promise<unknown> {
  if (input.signal.aborted) throw new CodeCanceledError();
  const memoryLimitMb = Math.max(MIN_MEMORY_LIMIT_MB, input.memoryLimitMb);
  const watchdog = new IsolateWatchdog(input.timeoutMs, input.signal);
  const isolate = new ivm.Isolate({
    memoryLimit: memoryLimitMb,
    onCatastrophicError: (message) => reportCatastrophicError(message, watchdog),
  });
  watchdog.watch(isolate);
  let outcome: unknown;
  try {
    outcome = await Promise.race([runInIsolate(isolate, input, watchdog.remainingMs), watchdog.stopped]);
  } catch (error) {
    throw toSandboxError(error, watchdog.reason, { ...input, memoryLimitMb });
  } finally {
    watchdog.release();
    if (!isolate.isDisposed) isolate.dispose();
  }
  return decodeOutcome(outcome, input);
}

/**
 * Some allocations (a Map or an array grown far past the limit) make V8 give up on the isolate instead of letting
 * isolated-vm stop it. Without this handler that aborts the whole server; with it only the isolate's thread is
 * lost (parked for good), so the call fails like any memory overrun and a warning tells the operator to restart
 * the process soon.
 */
function reportCatastrophicError(message: string, watchdog: IsolateWatchdog): void {
  process.emitWarning(`Code sandbox: ${message}. Its thread and memory cannot be reclaimed; restart the server soon.`, {
    code: 'FLOWGATE_SANDBOX_CATASTROPHIC_ERROR',
  });
  watchdog.stop('catastrophic');
}

async function runInIsolate(isolate: ivm.Isolate, input: CodeSandboxInput, remainingMs: () => number): Promise<unknown> {
  const context = await isolate.createContext();
  if (codeUsesLuxon(input.code)) {
    const luxon = await compileLuxon(isolate);
    await luxon.run(context, { timeout: remainingMs() });
  }
  await context.evalClosure(SANDBOX_GLOBALS_SOURCE, [globalsData(input), consoleSink(input.onConsoleLog)], {
    filename: SANDBOX_GLOBALS_FILENAME,
    timeout: remainingMs(),
  });
  return context.eval(wrapUserCode(input.code), {
    filename: USER_CODE_FILENAME,
    lineOffset: -1,
    timeout: remainingMs(),
    promise: true,
    copy: true,
  });
}

function globalsData(input: CodeSandboxInput): string {
  const { mode, items, itemIndex, nodeOutputs, workflow, execution, timezone } = input;
  return JSON.stringify({
    mode,
    items,
    itemIndex: itemIndex ?? 0,
    nodeOutputs,
    workflow: { id: workflow.id, name: workflow.name, active: workflow.active },
    execution: { id: execution.id, mode: execution.mode },
    timezone,
  });
}

const MAX_HOST_LOG_LINE_LENGTH = 10_000;

function consoleSink(onConsoleLog: CodeSandboxInput['onConsoleLog']): ivm.Callback | undefined {
  if (!onConsoleLog) return undefined;
  // `ignored`: the isolate never waits for the host, and nothing the host does can be returned into it.
  return new ivm.Callback(
    (line: unknown) => {
      if (typeof line === 'string') onConsoleLog(line.slice(0, MAX_HOST_LOG_LINE_LENGTH));
    },
    { ignored: true },
  );
}

const ISOLATE_TIMEOUT_MESSAGE = 'Script execution timed out.';

function toSandboxError(error: unknown, reason: StopReason | undefined, input: CodeSandboxInput): Error {
  if (reason === 'canceled') return new CodeCanceledError();
  const message = error instanceof Error ? error.message : '';
  if (reason === 'timeout' || message === ISOLATE_TIMEOUT_MESSAGE) return new CodeTimeoutError(input.timeoutMs);
  if (reason === 'catastrophic' || message.includes('memory limit')) return new CodeMemoryLimitError(input.memoryLimitMb);
  if (!(error instanceof Error)) return userCodeError({ message: String(error) }, input);
  // What is left failed before the user's code ran: a SyntaxError from compiling it, located in its message.
  const located = COMPILE_ERROR_LOCATION.exec(message);
  if (!located) return userCodeError({ name: error.name, message, stack: isolateFrames(error.stack) }, input);
  const lineCount = countLines(input.code);
  return new CodeExecutionError(
    { name: error.name, message: located[1] ?? message },
    {
      // An unterminated construct is reported on the wrapper's closing line, just after the user's last line.
      lineNumber: Math.min(Number(located[2]), lineCount),
      itemIndex: itemIndexFor(input),
    },
  );
}

/** isolated-vm appends ` [file:line:column]` to compile errors; the file here is USER_CODE_FILENAME. */
const COMPILE_ERROR_LOCATION = /^([\s\S]*) \[code\.js:(\d+):\d+\]$/;

/** An error isolated-vm rethrows in the host carries host frames after this marker; they are not the user's. */
function isolateFrames(stack: string | undefined): string | undefined {
  return stack?.split('\n    at (<isolated-vm boundary>)')[0];
}

function userCodeError(thrown: ThrownInSandbox, input: CodeSandboxInput): CodeExecutionError {
  const lineNumber = findUserLine(thrown.stack ?? '', USER_CODE_FILENAME, countLines(input.code));
  return new CodeExecutionError(thrown, { lineNumber, itemIndex: itemIndexFor(input) });
}

function itemIndexFor(input: CodeSandboxInput): number | undefined {
  return input.mode === 'runOnceForEachItem' ? (input.itemIndex ?? 0) : undefined;
}

function countLines(code: string): number {
  return code.split('\n').length;
}

type Outcome = { ok: true; value?: unknown } | { ok: false; error: ThrownInSandbox };

function decodeOutcome(outcome: unknown, input: CodeSandboxInput): unknown {
  const parsed = typeof outcome === 'string' ? (JSON.parse(outcome) as Outcome) : undefined;
  if (!parsed || typeof parsed !== 'object') {
    throw userCodeError({ message: 'The code did not finish in a way the Code node understands' }, input);
  }
  if (!parsed.ok) throw userCodeError(parsed.error ?? {}, input);
  return parsed.value;
}
