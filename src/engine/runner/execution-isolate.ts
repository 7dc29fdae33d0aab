import ivm from 'isolated-vm';
import { lookup, type RunView } from '../data-context.ts';
import { parseTemplate } from '../expressions/template.ts';
import { addLuxon, loadBootstrap, usesLuxon } from './isolate-scripts.ts';
import type { CodeCall, EvaluateCall, ExpressionOutcome, UserCodeFailure } from './protocol.ts';

/** isolated-vm refuses smaller heaps. */
const MIN_MEMORY_LIMIT_MB = 8;
const SETUP_TIMEOUT_MS = 5000;
export const USER_CODE_FILENAME = 'code.js';

/** A failure that ends the task (and the isolate with it, for memory): the runner reports it as the node's error. */
export class UserCodeStopped extends Error {
  constructor(readonly failure: UserCodeFailure) {
    super(failure.message);
  }
}

interface ExpressionContext {
  context: ivm.Context;
  beginBatch: ivm.Reference<(...args: unknown[]) => void>;
  evaluate: ivm.Reference<(...args: unknown[]) => unknown>;
  luxon: boolean;
}

/**
 * One execution's isolate: its own V8 heap with a memory limit, so nothing one execution's code sets (globals,
 * prototypes and the intrinsics a freeze of the global object misses, RegExp statics, Luxon's caches) is ever seen
 * by another. Expressions share one context for the whole execution; each Code run gets a fresh context in the same
 * isolate, so what Code leaves behind does not reach the next node either.
 */
export class ExecutionIsolate {
  readonly isolate: ivm.Isolate;
  private expressions: ExpressionContext | undefined;
  /** The data the current call's lookups read (one call at a time runs in an isolate). */
  private view: RunView | undefined;
  private readonly hostLookup: ivm.Callback;
  catastrophic: string | undefined;
  /** Rejects when V8 gives up on the isolate: whatever ran in it never settles on its own then. */
  private readonly catastrophe: Promise<never>;

  constructor(
    private readonly memoryLimitMb: number,
    onCatastrophicError: (message: string) => void,
  ) {
    let fail: (error: Error) => void = () => {};
    this.catastrophe = new Promise<never>((_resolve, reject) => {
      fail = reject;
    });
    this.catastrophe.catch(() => {});
    this.isolate = new ivm.Isolate({
      memoryLimit: Math.max(MIN_MEMORY_LIMIT_MB, memoryLimitMb),
      onCatastrophicError: (message) => {
        this.catastrophic = message;
        fail(new Error(`memory limit: ${message}`));
        onCatastrophicError(message);
      },
    });
    this.hostLookup = new ivm.Callback((kind: unknown, a: unknown, b: unknown, c: unknown, itemIndex: unknown) => {
      if (!this.view) throw new Error('no user code is running');
      try {
        const value = lookup(this.view, String(kind), Number(itemIndex), a, b, c);
        return value === undefined ? undefined : new ivm.ExternalCopy(value).copyInto();
      } catch (error) {
        throw withoutHostStack(error);
      }
    });
  }

  /** `work`, unless the isolate breaks first. */
  guarded<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.catastrophe]);
  }

  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /**
   * Every expression for every item, each within its own time limit and all within the call's budget. Each runs
   * asynchronously (on isolated-vm's thread), so this process stays free to notice an isolate V8 gave up on.
   */
  async evaluate(view: RunView, call: EvaluateCall): Promise<ExpressionOutcome[][]> {
    const needsLuxon = call.expressions.some(usesLuxon);
    const context = this.expressionContext(needsLuxon);
    const segments = call.expressions.map((expression) => parseTemplate(expression));
    this.view = view;
    try {
      await this.guarded(
        context.beginBatch.apply(undefined, [copyIn(view.items), copyIn(call.meta), this.hostLookup, copyIn(segments)], {
          timeout: SETUP_TIMEOUT_MS,
        }),
      );
      const deadline = Date.now() + call.budgetMs;
      const results: ExpressionOutcome[][] = call.expressions.map(() => []);
      for (let item = 0; item < call.itemCount; item++) {
        for (let index = 0; index < segments.length; index++) {
          const left = deadline - Date.now();
          if (left <= 0) {
            throw new UserCodeStopped({
              kind: 'timeout',
              message: `The expressions of this node ran longer than ${call.budgetMs} ms in all and were stopped`,
            });
          }
          results[index]![item] = await this.evaluateOne(context, index, item, Math.min(call.expressionTimeoutMs, left));
        }
      }
      return results;
    } catch (error) {
      throw this.stopped(error, 'expression');
    } finally {
      this.view = undefined;
    }
  }

  private async evaluateOne(context: ExpressionContext, index: number, item: number, timeoutMs: number): Promise<ExpressionOutcome> {
    try {
      const value = await this.guarded(
        context.evaluate.apply(undefined, [index, item], { timeout: Math.max(1, timeoutMs), result: { copy: true } }),
      );
      return { ok: true, value };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.isolate.isDisposed || /memory limit/i.test(message)) throw error;
      if (/timed out/i.test(message)) return { ok: false, error: `Expression took longer than ${timeoutMs} ms and was stopped` };
      return { ok: false, error: message };
    }
  }

  private expressionContext(luxon: boolean): ExpressionContext {
    let current = this.expressions;
    if (!current) {
      const context = this.isolate.createContextSync();
      loadBootstrap(this.isolate, context, { luxon, timeoutMs: SETUP_TIMEOUT_MS });
      // No expression can leave a global behind for the next one (prototypes are the execution's own anyway).
      context.evalSync('Object.freeze(globalThis)', { timeout: SETUP_TIMEOUT_MS });
      current = {
        context,
        beginBatch: context.global.getSync('__beginBatch', { reference: true }),
        evaluate: context.global.getSync('__evaluate', { reference: true }),
        luxon,
      };
      this.expressions = current;
    } else if (luxon && !current.luxon) {
      addLuxon(this.isolate, current.context, SETUP_TIMEOUT_MS);
      current.luxon = true;
    }
    return current;
  }

  /** Runs a Code node's JavaScript in a fresh context of this isolate; resolves with its JSON outcome text. */
  async runCode(view: RunView, call: CodeCall, consoleSink: ivm.Callback | undefined, remainingMs: () => number): Promise<string> {
    const context = await this.isolate.createContext();
    this.view = view;
    try {
      loadBootstrap(this.isolate, context, { luxon: usesLuxon(call.code), timeoutMs: SETUP_TIMEOUT_MS });
      const globals = context.global.getSync('__codeGlobals', { reference: true }) as ivm.Reference<(...args: unknown[]) => void>;
      const data = { mode: call.mode, items: view.items, itemIndex: call.itemIndex ?? 0 };
      globals.applySync(undefined, [copyIn(data), copyIn(call.meta), this.hostLookup, consoleSink], { timeout: SETUP_TIMEOUT_MS });
      const outcome = await this.guarded(
        context.eval(`__settle((async () => {\n${call.code}\n})())`, {
          filename: USER_CODE_FILENAME,
          lineOffset: -1,
          timeout: remainingMs(),
          promise: true,
          copy: true,
        }),
      );
      return outcome as string;
    } finally {
      this.view = undefined;
      if (!this.isolate.isDisposed) context.release();
    }
  }

  /** A memory overrun disposes the isolate: say so, in the words of what was running. */
  stopped(error: unknown, what: 'expression' | 'code'): Error {
    if (error instanceof UserCodeStopped) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (this.catastrophic || this.isolate.isDisposed || /memory limit/i.test(message)) {
      this.dispose();
      return new UserCodeStopped({
        kind: 'memory',
        message:
          what === 'expression'
            ? 'Expression used too much memory and was stopped'
            : `Code execution ran out of memory (limit: ${this.memoryLimitMb} MB)`,
      });
    }
    return error instanceof Error ? error : new Error(message);
  }
}

function copyIn(value: unknown) {
  return new ivm.ExternalCopy(value).copyInto();
}

/** A lookup error as user code sees it: same message, but no host stack (it would show the server's file paths). */
function withoutHostStack(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const clean = new Error(message);
  clean.stack = `Error: ${message}`;
  return clean;
}
