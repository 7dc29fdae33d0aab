import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.ts';
import { createExpressionSandbox, ExpressionError, type ExpressionSandbox, type ExpressionScope } from './expression-sandbox.ts';

// 2024-01-15 10:30 UTC = 11:30 in Berlin (CET, +01:00).
const NOW = Date.UTC(2024, 0, 15, 10, 30, 0);
const TIMEOUT_MS = 300;

type Call = [string, unknown?, unknown?, unknown?];

/** A scope whose lookup answers from `answers` (by kind) and records every call. */
function fakeScope(overrides: Partial<ExpressionScope> = {}, answers: Record<string, unknown> = {}) {
  const calls: Call[] = [];
  const scope: ExpressionScope = {
    json: { n: 21, name: 'Ada', tags: ['a', 'b'], nested: { deep: { value: true } } },
    itemIndex: 3,
    runIndex: 2,
    now: NOW,
    timezone: 'Europe/Berlin',
    workflow: { id: 'wf-9', name: 'Orders', active: true },
    execution: { id: 'exec-7', mode: 'production' },
    vars: { region: 'eu' },
    envAllowed: false,
    lookup(kind, a, b, c) {
      const call: Call = [kind];
      if (a !== undefined || b !== undefined || c !== undefined) call.push(a, b, c);
      calls.push(call);
      const answer = answers[kind];
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? answer(a, b, c) : answer;
    },
    ...overrides,
  };
  return { scope, calls };
}

let sandbox: ExpressionSandbox;
beforeAll(() => {
  sandbox = createExpressionSandbox({ memoryLimitMb: 32, timeoutMs: TIMEOUT_MS });
});
afterAll(() => sandbox.dispose());

const evaluate = (expression: string, overrides: Partial<ExpressionScope> = {}, answers: Record<string, unknown> = {}) =>
  sandbox.evaluate(expression, fakeScope(overrides, answers).scope);

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error('expected an ExpressionError');
}

describe('expression sandbox: values', () => {
  it('returns plain text without running code, and keeps the type of a lone block', () => {
    expect(evaluate('=just text')).toBe('just text');
    expect(evaluate('={{ $json.n * 2 }}')).toBe(42);
    expect(evaluate('={{ $json.n > 20 }}')).toBe(true);
    expect(evaluate('={{ $json.tags }}')).toEqual(['a', 'b']);
    expect(evaluate('={{ $json.nested }}')).toEqual({ deep: { value: true } });
    expect(evaluate('={{ null }}')).toBeNull();
    expect(evaluate('={{ undefined }}')).toBeUndefined();
    expect(evaluate('={{ $json.missing }}')).toBeUndefined();
  });

  it('makes a string when text surrounds blocks: objects as JSON, null/undefined as empty', () => {
    expect(evaluate('=Hi {{ $json.name }}, n={{ $json.n }}')).toBe('Hi Ada, n=21');
    expect(evaluate('=obj: {{ $json.nested }}')).toBe('obj: {"deep":{"value":true}}');
    expect(evaluate('=list: {{ $json.tags }}')).toBe('list: ["a","b"]');
    expect(evaluate('=[{{ null }}|{{ undefined }}]')).toBe('[|]');
    expect(evaluate('=n{{ 5 }}')).toBe('n5');
    expect(evaluate('={{ "a" }}{{ 1 }}')).toBe('a1');
  });

  it('gives $itemIndex, $runIndex, $workflow, $execution and $vars from the scope', () => {
    expect(evaluate('={{ $itemIndex }}')).toBe(3);
    expect(evaluate('={{ $runIndex }}')).toBe(2);
    expect(evaluate('={{ $workflow }}')).toEqual({ id: 'wf-9', name: 'Orders', active: true });
    expect(evaluate('={{ $execution.id }}-{{ $execution.mode }}')).toBe('exec-7-production');
    expect(evaluate('={{ $vars.region }}')).toBe('eu');
  });

  it('$now and $today are Luxon DateTimes at scope.now in scope.timezone; results become ISO strings', () => {
    expect(evaluate('={{ $now }}')).toBe('2024-01-15T11:30:00.000+01:00');
    expect(evaluate('={{ $today }}')).toBe('2024-01-15T00:00:00.000+01:00');
    expect(evaluate('={{ $now.zoneName }}')).toBe('Europe/Berlin');
    expect(evaluate('={{ $now.hour }}')).toBe(11);
    expect(evaluate('={{ $now.toMillis() }}')).toBe(NOW);
    expect(evaluate('={{ $now.plus({ days: 1 }).toFormat("yyyy-MM-dd HH:mm") }}')).toBe('2024-01-16 11:30');
    expect(evaluate('={{ $now }}', { timezone: 'America/New_York' })).toBe('2024-01-15T05:30:00.000-05:00');
    expect(evaluate('=at {{ $now }}')).toBe('at 2024-01-15T11:30:00.000+01:00');
    expect(evaluate('={{ { when: $today } }}')).toEqual({ when: '2024-01-15T00:00:00.000+01:00' });
  });

  it('exposes DateTime, Duration and Interval; Date results become ISO strings', () => {
    expect(evaluate('={{ DateTime.fromISO("2024-02-29T12:00:00Z").toUTC().month }}')).toBe(2);
    expect(evaluate('={{ DateTime.fromISO("2024-02-29", { zone: "UTC" }) }}')).toBe('2024-02-29T00:00:00.000Z');
    expect(evaluate('={{ Duration.fromObject({ hours: 2 }) }}')).toBe('PT2H');
    expect(evaluate('={{ Interval.fromDateTimes($today, $now).length("minutes") }}')).toBe(690);
    expect(evaluate('={{ new Date(0) }}')).toBe('1970-01-01T00:00:00.000Z');
    expect(evaluate('={{ new Date("not a date") }}')).toBeNull();
    // In text, dates go in as ISO strings (not JSON-quoted).
    expect(evaluate('=took {{ Duration.fromObject({ hours: 2 }) }} from {{ new Date(0) }}')).toBe(
      'took PT2H from 1970-01-01T00:00:00.000Z',
    );
  });

  it('answers $input from the host lookup', () => {
    const answers = {
      'input.all': [{ json: { i: 0 } }, { json: { i: 1 } }],
      'input.first': { json: { i: 0 } },
      'input.last': { json: { i: 1 } },
      'input.item': { json: { i: 1, current: true } },
    };
    const { scope, calls } = fakeScope({}, answers);
    expect(sandbox.evaluate('={{ $input.all().map(item => item.json.i) }}', scope)).toEqual([0, 1]);
    expect(sandbox.evaluate('={{ $input.first().json.i }}', scope)).toBe(0);
    expect(sandbox.evaluate('={{ $input.last().json.i }}', scope)).toBe(1);
    expect(sandbox.evaluate('={{ $input.item.json }}', scope)).toEqual({ i: 1, current: true });
    expect(calls).toEqual([['input.all'], ['input.first'], ['input.last'], ['input.item']]);
  });

  it("answers $('Node') and $node from the host lookup, passing the node name, branch and run", () => {
    const answers = {
      'node.item': (name: string) => ({ json: { from: name, via: 'item' } }),
      'node.first': (name: string) => ({ json: { from: name, via: 'first' } }),
      'node.last': (name: string) => ({ json: { from: name, via: 'last' } }),
      'node.all': (name: string, branch?: number, run?: number) => [{ json: { from: name, branch, run } }],
      'node.itemMatching': (name: string, index: number) => ({ json: { from: name, index } }),
      'node.sameIndex': (name: string) => ({ json: { from: name, via: 'same index' } }),
      'node.isExecuted': (name: string) => name === 'Done',
    };
    const { scope, calls } = fakeScope({}, answers);
    expect(sandbox.evaluate('={{ $("Orders").item.json }}', scope)).toEqual({ from: 'Orders', via: 'item' });
    expect(sandbox.evaluate('={{ $("Orders").first().json.via }}', scope)).toBe('first');
    expect(sandbox.evaluate('={{ $("Orders").last().json.via }}', scope)).toBe('last');
    expect(sandbox.evaluate('={{ $("Orders").all(1, 0) }}', scope)).toEqual([{ json: { from: 'Orders', branch: 1, run: 0 } }]);
    expect(sandbox.evaluate('={{ $("Orders").itemMatching(4).json.index }}', scope)).toBe(4);
    expect(sandbox.evaluate('={{ $node["Lookup"].json }}', scope)).toEqual({ from: 'Lookup', via: 'same index' });
    expect(sandbox.evaluate('={{ $("Done").isExecuted }}|{{ $("Other").isExecuted }}', scope)).toBe('true|false');
    expect(calls).toEqual([
      ['node.item', 'Orders', undefined, undefined],
      ['node.first', 'Orders', undefined, undefined],
      ['node.last', 'Orders', undefined, undefined],
      ['node.all', 'Orders', 1, 0],
      ['node.itemMatching', 'Orders', 4, undefined],
      ['node.sameIndex', 'Lookup', undefined, undefined],
      ['node.isExecuted', 'Done', undefined, undefined],
      ['node.isExecuted', 'Other', undefined, undefined],
    ]);
  });

  it('does not call the host for expressions that only use $json', () => {
    const { scope, calls } = fakeScope();
    expect(sandbox.evaluate('={{ $json.name.toUpperCase() }}', scope)).toBe('ADA');
    expect(calls).toEqual([]);
  });

  it('$env is denied unless envAllowed; then it comes from the env lookup', () => {
    expect(errorOf(() => evaluate('={{ $env.HOME }}')).message).toBe('access to env vars denied');
    const { scope, calls } = fakeScope({ envAllowed: true }, { env: { HOME: '/home/flow' } });
    expect(sandbox.evaluate('={{ $env.HOME }}', scope)).toBe('/home/flow');
    expect(calls).toEqual([['env']]);
  });

  it('passes a host lookup error to the expression, with its message and without the host stack', () => {
    const answers = { 'node.first': new Error("Node 'Later' hasn't been executed") };
    const error = errorOf(() => evaluate('={{ $("Later").first() }}', {}, answers));
    expect(error.message).toBe("Node 'Later' hasn't been executed");
    const stack = evaluate('={{ (() => { try { $("Later").first() } catch (e) { return e.stack } })() }}', {}, answers);
    expect(stack).toMatch(/^Error: Node 'Later' hasn't been executed/);
    expect(stack).not.toContain('/work/');
    expect(stack).not.toContain('node_modules');
    expect(stack).not.toContain('expression-sandbox');
  });
});

describe('expression sandbox: errors', () => {
  it('turns a ReferenceError into an ExpressionError with the message and the expression', () => {
    const error = errorOf(() => evaluate('={{ notDefined + 1 }}'));
    expect(error.name).toBe('ExpressionError');
    expect(error.message).toBe('notDefined is not defined');
    expect(error.expression).toBe('={{ notDefined + 1 }}');
  });

  it('turns a TypeError and a thrown Error into ExpressionErrors with their messages', () => {
    expect(errorOf(() => evaluate('={{ $json.missing.deeper }}')).message).toBe("Cannot read properties of undefined (reading 'deeper')");
    expect(errorOf(() => evaluate('={{ (() => { throw new Error("custom failure") })() }}')).message).toBe('custom failure');
  });

  it('reports a syntax error as an ExpressionError', () => {
    expect(errorOf(() => evaluate('={{ 1 + }}')).message).toBe("Unexpected token ')'");
    // A block is one JavaScript expression: a statement is a syntax error (n8n wants an IIFE for that).
    expect(errorOf(() => evaluate('={{ while (true) {} }}')).message).toBe("Unexpected token 'while'");
  });

  it('stops an endless loop after the time limit and keeps working afterwards', () => {
    const started = Date.now();
    const error = errorOf(() => evaluate('={{ (() => { while (true) {} })() }}'));
    expect(error.message).toBe(`Expression took longer than ${TIMEOUT_MS} ms and was stopped`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(evaluate('={{ $json.n + 1 }}')).toBe(22);
    expect(evaluate('={{ $now }}')).toBe('2024-01-15T11:30:00.000+01:00');
  });
});

describe('expression sandbox: escapes fail or stay inside', () => {
  it('cannot reach process through constructors or Function', () => {
    expect(errorOf(() => evaluate('={{ this.constructor.constructor("return process")() }}')).message).toBe('process is not defined');
    expect(errorOf(() => evaluate('={{ [].constructor.constructor("return process")() }}')).message).toBe('process is not defined');
    expect(evaluate('={{ Function("return this")().process }}')).toBeUndefined();
    expect(evaluate('={{ typeof Function("return this")().process }}')).toBe('undefined');
  });

  it('has no require, module, fetch or timers', () => {
    expect(evaluate('={{ typeof require }}')).toBe('undefined');
    expect(evaluate('={{ typeof module }}')).toBe('undefined');
    expect(evaluate('={{ typeof globalThis.fetch }}')).toBe('undefined');
    expect(evaluate('={{ globalThis.fetch }}')).toBeUndefined();
    expect(evaluate('={{ typeof setTimeout }}')).toBe('undefined');
    expect(evaluate('={{ typeof luxon }}')).toBe('undefined');
  });

  it('cannot import modules', () => {
    expect(() => evaluate('={{ import("fs") }}')).toThrow(ExpressionError);
  });

  it('items are copies: their constructors are the isolate ones, and changes do not reach the host', () => {
    expect(errorOf(() => evaluate('={{ $json.constructor.constructor("return process")() }}')).message).toBe('process is not defined');
    const answers = { 'input.all': [{ json: { i: 0 } }] };
    expect(errorOf(() => evaluate('={{ $input.all()[0].json.constructor.constructor("return process")() }}', {}, answers)).message).toBe(
      'process is not defined',
    );
    const json: JsonObject = { list: [1], obj: { a: 1 } };
    expect(evaluate('={{ $json.list.push(2) && ($json.obj.a = 99) && $json.list.length }}', { json })).toBe(2);
    expect(json).toEqual({ list: [1], obj: { a: 1 } });
  });

  it('cannot pollute Object.prototype, in the host or for later evaluations', () => {
    evaluate('={{ Object.prototype.polluted = 1 }}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(evaluate('={{ ({}).polluted }}')).toBeUndefined();
    expect(errorOf(() => evaluate('={{ (function () { "use strict"; Object.prototype.polluted = 1 })() }}')).message).toBe(
      'Cannot add property polluted, object is not extensible',
    );
    expect(evaluate('={{ Object.isFrozen(Object.prototype) && Object.isFrozen(Array.prototype) && Object.isFrozen(globalThis) }}')).toBe(
      true,
    );
  });

  it('redefining Array.prototype.map does not affect later evaluations', () => {
    evaluate('={{ Array.prototype.map = () => "hijacked" }}');
    expect(errorOf(() => evaluate('={{ Object.defineProperty(Array.prototype, "map", { value: () => "hijacked" }) }}')).message).toBe(
      'Cannot redefine property: map',
    );
    expect(evaluate('={{ [1, 2, 3].map(x => x * 2) }}')).toEqual([2, 4, 6]);
  });

  it('redefining Luxon (DateTime / Duration prototypes) does not affect later evaluations', () => {
    evaluate('={{ DateTime.prototype.toISO = () => "hijacked" }}');
    evaluate('={{ Duration.prototype.toISO = () => "hijacked" }}');
    evaluate('={{ $now.loc.constructor.prototype.toString = () => "hijacked" }}');
    expect(evaluate('={{ $now }}')).toBe('2024-01-15T11:30:00.000+01:00');
    expect(evaluate('={{ Duration.fromObject({ minutes: 5 }) }}')).toBe('PT5M');
    expect(evaluate('={{ Object.isFrozen(DateTime.prototype) && Object.isFrozen($now.zone.constructor.prototype) }}')).toBe(true);
  });

  it('new globals do not survive to a later evaluation', () => {
    expect(evaluate('={{ globalThis.leak = 1 }}')).toBe(1);
    expect(evaluate('={{ typeof leak }}')).toBe('undefined');
    expect(evaluate('={{ globalThis.leak }}')).toBeUndefined();
  });

  it('stack traces show no host file paths', () => {
    const stack = evaluate('={{ new Error("where").stack }}');
    expect(typeof stack).toBe('string');
    expect(stack).toMatch(/^Error: where\n/);
    expect(stack).not.toContain('/work/');
    expect(stack).not.toContain('node_modules');
    expect(stack).not.toContain('.ts');
  });
});

describe('expression sandbox: memory limit', () => {
  it('stops an expression that allocates without end and works again afterwards', () => {
    const small = createExpressionSandbox({ memoryLimitMb: 16, timeoutMs: 5000 });
    try {
      const { scope } = fakeScope();
      expect(small.evaluate('={{ $json.n }}', scope)).toBe(21);
      const error = errorOf(() => small.evaluate('={{ (() => { const a = []; while (true) a.push({ x: a.length }); })() }}', scope));
      expect(error.message).toBe('Expression used too much memory and was stopped');
      expect(small.evaluate('={{ $json.n * 2 }}', scope)).toBe(42);
      expect(small.evaluate('={{ $now }}', scope)).toBe('2024-01-15T11:30:00.000+01:00');
    } finally {
      small.dispose();
    }
  });
});

describe('expression sandbox: no WebAssembly', () => {
  it('has no WebAssembly, whose memory lives outside the heap limit', () => {
    expect(evaluate('={{ typeof WebAssembly }}')).toBe('undefined');
    expect(errorOf(() => evaluate('={{ new WebAssembly.Memory({ initial: 4096 }).buffer.byteLength }}')).message).toBe(
      'WebAssembly is not defined',
    );
    expect(evaluate('={{ typeof globalThis.WebAssembly }}')).toBe('undefined');
  });
});
