import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import type { JsonObject } from '../types.ts';
import { luxonGlobalSource } from './luxon-source.ts';
import { isPlainText, parseTemplate } from './template.ts';

/** What an expression can see: the current item, metadata, and a lookup into the run for everything else. */
export interface ExpressionScope {
  json: JsonObject;
  itemIndex: number;
  runIndex: number;
  now: number;
  timezone: string;
  workflow: { id: string; name: string; active: boolean };
  execution: { id: string; mode: string };
  vars: Record<string, string>;
  envAllowed: boolean;
  /** Host data access for `$input`, `$('Node')`, `$node`, `$env`…; results are copied into the sandbox. */
  lookup(kind: string, a?: unknown, b?: unknown, c?: unknown): unknown;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

export interface ExpressionSandboxOptions {
  /** Heap limit of the isolate all expressions share. */
  memoryLimitMb: number;
  /** Longest one evaluation may run (it blocks the event loop while it does). */
  timeoutMs: number;
}

export interface ExpressionSandbox {
  evaluate(expression: string, scope: ExpressionScope): unknown;
  dispose(): void;
}

let isolateSource: string | undefined;

function loadIsolateSource(): string {
  if (!isolateSource) {
    const luxon = luxonGlobalSource();
    const bootstrap = readFileSync(new URL('./isolate-bootstrap.js', import.meta.url), 'utf8');
    // One function scope: luxon's `var luxon` and the helpers stay local; only `__evaluate` is published.
    isolateSource = `(function () {\n${luxon}\n;${bootstrap}\n;bootstrap(globalThis, luxon);\nlockdown(globalThis, luxon);\n})();`;
  }
  return isolateSource;
}

interface Runtime {
  isolate: ivm.Isolate;
  evaluate: ivm.Reference<(...args: unknown[]) => unknown>;
  hostCallback: ivm.Callback;
}

/**
 * Expressions run in one isolated-vm isolate (its own V8 heap: no require, process, filesystem or network),
 * shared by every execution of this process so an evaluation costs microseconds, not a new context. Built-ins
 * inside are frozen after start-up, so one expression cannot change what the next one sees.
 */
export function createExpressionSandbox(options: ExpressionSandboxOptions): ExpressionSandbox {
  let runtime: Runtime | undefined;
  let current: ExpressionScope | undefined;

  const hostLookup = (_handle: unknown, kind: unknown, a: unknown, b: unknown, c: unknown) => {
    if (!current) throw new Error('no expression is being evaluated');
    try {
      const value = current.lookup(String(kind), a, b, c);
      return value === undefined ? undefined : new ivm.ExternalCopy(value).copyInto();
    } catch (error) {
      throw withoutHostStack(error);
    }
  };

  const start = (): Runtime => {
    const isolate = new ivm.Isolate({ memoryLimit: Math.max(8, options.memoryLimitMb) });
    const context = isolate.createContextSync();
    context.evalSync(loadIsolateSource());
    const evaluate = context.global.getSync('__evaluate', { reference: true }) as ivm.Reference<(...args: unknown[]) => unknown>;
    return { isolate, evaluate, hostCallback: new ivm.Callback(hostLookup) };
  };

  const evaluate = (expression: string, scope: ExpressionScope): unknown => {
    const segments = parseTemplate(expression);
    if (isPlainText(segments)) return segments.join('');
    if (!runtime || runtime.isolate.isDisposed) runtime = start();
    const meta = {
      handle: 0,
      itemIndex: scope.itemIndex,
      runIndex: scope.runIndex,
      now: scope.now,
      timezone: scope.timezone,
      workflow: scope.workflow,
      execution: scope.execution,
      vars: scope.vars,
      envAllowed: scope.envAllowed,
    };
    current = scope;
    try {
      return runtime.evaluate.applySync(
        undefined,
        [
          new ivm.ExternalCopy(segments).copyInto(),
          new ivm.ExternalCopy(scope.json).copyInto(),
          new ivm.ExternalCopy(meta).copyInto(),
          runtime.hostCallback,
        ],
        { timeout: options.timeoutMs, result: { copy: true } },
      );
    } catch (error) {
      throw toExpressionError(error, expression, options.timeoutMs);
    } finally {
      current = undefined;
    }
  };

  return {
    evaluate,
    dispose() {
      if (runtime && !runtime.isolate.isDisposed) runtime.isolate.dispose();
      runtime = undefined;
    },
  };
}

/** A lookup error as the expression sees it: same message, but no host stack (it would show the server's file paths). */
function withoutHostStack(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const clean = new Error(message);
  clean.stack = `Error: ${message}`;
  return clean;
}

function toExpressionError(error: unknown, expression: string, timeoutMs: number): ExpressionError {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/i.test(message)) return new ExpressionError(`Expression took longer than ${timeoutMs} ms and was stopped`, expression);
  if (/disposed|memory limit/i.test(message)) return new ExpressionError('Expression used too much memory and was stopped', expression);
  return new ExpressionError(message, expression);
}
