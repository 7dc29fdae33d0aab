import { createHash } from 'node:crypto';
import ivm from 'isolated-vm';
import { lookup, type RunView } from '../data-context.ts';
import { prepareTemplate } from '../expressions/extension-rewrite.ts';
import { addExtensions, addLuxon, loadBootstrap, usesLuxon } from './isolate-scripts.ts';
import type { CodeCall, EvaluateCall, ExpressionOutcome } from './protocol.ts';
import { type RunnerIsolate, UserCodeStopped } from './runner-isolate.ts';

const SETUP_TIMEOUT_MS = 5000;
export const USER_CODE_FILENAME = 'code.js';

/** The arguments of one batch call into the isolate: items, metadata, the host's lookup and the parsed templates. */
type BatchArguments = ivm.ArgumentType<Record<string, never>, unknown>[];

interface ExpressionContext {
  context: ivm.Context;
  evaluate: ivm.Reference<(...args: unknown[]) => unknown>;
  evaluateAll: ivm.Reference<(...args: unknown[]) => unknown>;
  luxon: boolean;
  extensions: boolean;
}

/**
 * One execution's place in the runner's isolate: its contexts (realms), so nothing one execution's code sets
 * (globals, prototypes and the intrinsics a freeze of the global object misses, RegExp statics, Luxon's caches) is
 * ever seen by another. Expressions share one context for the whole execution, whose global object is frozen;
 * each Code run gets a fresh context, so what Code leaves behind does not reach the next node either.
 */
export class ExecutionRealm {
  private expressions: ExpressionContext | undefined;
  /** The data the current call's lookups read (one call at a time runs in a runner). */
  private view: RunView | undefined;
  private readonly hostLookup: ivm.Callback;

  constructor(readonly runner: RunnerIsolate) {
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

  private get isolate(): ivm.Isolate {
    return this.runner.isolate;
  }

  /** False once the runner's isolate is gone (a memory overrun): the execution then needs a new realm. */
  get usable(): boolean {
    return !this.runner.disposed;
  }

  /** Lets go of the execution's contexts. */
  release(): void {
    if (!this.runner.disposed) this.expressions?.context.release();
    this.expressions = undefined;
  }

  /**
   * Every expression for every item, each within its own time limit and all within the call's budget. Each runs
   * asynchronously (on isolated-vm's thread), so this process stays free to notice an isolate V8 gave up on.
   */
  async evaluate(view: RunView, call: EvaluateCall): Promise<ExpressionOutcome[][]> {
    const prepared = call.expressions.map((expression) => prepareTemplate(expression));
    const needsLuxon = prepared.some((template) => template.luxon) || call.expressions.some(usesLuxon);
    const needsExtensions = prepared.some((template) => template.extensions);
    const context = this.expressionContext(needsLuxon, needsExtensions);
    const segments = prepared.map((template) => template.segments);
    const batch: BatchArguments = [copyIn(view.items), copyIn(call.meta), this.hostLookup, copyIn(segments)];
    this.view = view;
    try {
      const quick = await this.evaluateAtOnce(context, batch, call);
      if (quick) return quick;
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
      throw this.runner.stopped(error, 'expression');
    } finally {
      this.view = undefined;
    }
  }

  /**
   * Every expression in one call, when they all finish within one expression's time limit (the common case);
   * undefined when they do not, and the caller evaluates them one by one (the batch is set up by then), each with
   * its own limit.
   */
  private async evaluateAtOnce(
    context: ExpressionContext,
    batch: BatchArguments,
    call: EvaluateCall,
  ): Promise<ExpressionOutcome[][] | undefined> {
    try {
      const timeout = Math.max(1, Math.min(call.expressionTimeoutMs, call.budgetMs));
      const args = [...batch, call.itemCount];
      const results: unknown = await this.runner.guarded(context.evaluateAll.apply(undefined, args, { timeout, result: { copy: true } }));
      // User code of this execution may have broken what builds the answer: then one by one, each checked.
      return isOutcomes(results, call) ? results : undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.runner.disposed || this.runner.catastrophic || /memory limit/i.test(message)) throw error;
      if (/timed out/i.test(message)) return undefined;
      throw error;
    }
  }

  private async evaluateOne(context: ExpressionContext, index: number, item: number, timeoutMs: number): Promise<ExpressionOutcome> {
    try {
      const value = await this.runner.guarded(
        context.evaluate.apply(undefined, [index, item], { timeout: Math.max(1, timeoutMs), result: { copy: true } }),
      );
      return { ok: true, value };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.runner.disposed || /memory limit/i.test(message)) throw error;
      if (/timed out/i.test(message)) return { ok: false, error: `Expression took longer than ${timeoutMs} ms and was stopped` };
      return { ok: false, error: message };
    }
  }

  /** The execution's expression context (made on first use; a spare isolate makes it ahead of time). */
  expressionContext(luxon: boolean, extensions = false): ExpressionContext {
    let current = this.expressions;
    if (!current) {
      const context = this.isolate.createContextSync();
      loadBootstrap(this.isolate, context, { luxon, timeoutMs: SETUP_TIMEOUT_MS });
      context.global.setSync('__textTool', TEXT_TOOL);
      if (extensions) addExtensions(this.isolate, context, SETUP_TIMEOUT_MS);
      // No expression can leave a global behind for the next one (prototypes are the execution's own anyway).
      context.evalSync('Object.freeze(globalThis)', { timeout: SETUP_TIMEOUT_MS });
      current = {
        context,
        evaluate: context.global.getSync('__evaluate', { reference: true }),
        evaluateAll: context.global.getSync('__evaluateAll', { reference: true }),
        luxon,
        extensions,
      };
      this.expressions = current;
    } else if (luxon && !current.luxon) {
      addLuxon(this.isolate, current.context, SETUP_TIMEOUT_MS);
      current.luxon = true;
    }
    if (extensions && !current.extensions) {
      addExtensions(this.isolate, current.context, SETUP_TIMEOUT_MS);
      current.extensions = true;
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
      const data = { mode: call.mode, items: pairedWithInput(view.items), itemIndex: call.itemIndex ?? 0 };
      globals.applySync(undefined, [copyIn(data), copyIn(call.meta), this.hostLookup, consoleSink], { timeout: SETUP_TIMEOUT_MS });
      const outcome = await this.runner.guarded(
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
      if (!this.runner.disposed) context.release();
    }
  }
}

function isOutcomes(value: unknown, call: EvaluateCall): value is ExpressionOutcome[][] {
  return (
    Array.isArray(value) &&
    value.length === call.expressions.length &&
    value.every(
      (row) => Array.isArray(row) && row.length === call.itemCount && row.every((o) => typeof o === 'object' && o !== null && 'ok' in o),
    )
  );
}

/**
 * The input as the code sees it. n8n's engine points each input item's `pairedItem` at its own position before a
 * node runs, so code that returns input items (`$input.all()`, a sorted or filtered copy, items changed in place)
 * pairs each with the input item it was. The view keeps the items as their node output them: lookups such as
 * `$('Node').item` follow the links those carry.
 */
function pairedWithInput(items: RunView['items']): RunView['items'] {
  return items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
}

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3-512']);

/**
 * What the extension functions ask the runner for (isolate/extensions/: `hash`, `base64Encode`, `base64Decode`,
 * `extractUrlPath`): pure functions of one string, computed by Node as n8n computes them on Node.
 */
function textTool(op: unknown, value: unknown): string | undefined {
  const text = String(value);
  if (typeof op === 'string' && HASHES.has(op)) return createHash(op).update(text, 'utf8').digest('hex');
  switch (op) {
    case 'base64Encode':
      return Buffer.from(text, 'utf8').toString('base64');
    case 'base64Decode':
      return Buffer.from(text, 'base64').toString('utf8');
    case 'urlPath':
      try {
        return new URL(text).pathname;
      } catch {
        return undefined;
      }
    default:
      throw new Error(`unknown text operation ${String(op)}`);
  }
}

const TEXT_TOOL = new ivm.Callback(textTool);

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
