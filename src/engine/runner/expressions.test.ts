import { afterAll, describe, expect, it } from 'vitest';
import { ExpressionError } from '../expressions/expression-error.ts';
import { runMetadata } from '../node-context.ts';
import type { Connections, Item, JsonObject, RunData, TaskData } from '../types.ts';
import { userCodeNodeError } from '../user-code-errors.ts';
import { createTestUserCode } from './test-user-code.ts';

/**
 * Expressions as a runner evaluates them (the runner core, in this process): the data they see comes from the
 * runner's copy of the execution, through the one data context shared with the Code node.
 */
// 2024-01-15 10:30 UTC = 11:30 in Berlin (CET, +01:00).
const NOW = Date.UTC(2024, 0, 15, 10, 30, 0);
const TIMEOUT_MS = 300;

const userCode = createTestUserCode({ expressionTimeoutMs: TIMEOUT_MS, memoryLimitMb: 32, codeTimeoutMs: 5000 });
afterAll(() => userCode.pool.close(0));

const CURRENT: JsonObject = { n: 21, name: 'Ada', tags: ['a', 'b'], nested: { deep: { value: true } } };

interface Options {
  json?: JsonObject;
  items?: Item[];
  itemIndex?: number;
  runData?: RunData;
  nodes?: string[];
  connections?: Connections;
  source?: { previousNode: string; previousNodeOutput?: number; previousNodeRun?: number }[];
  timezone?: string;
  envAllowed?: boolean;
  env?: Record<string, string>;
  /** Evaluate within this execution (its isolate is kept), instead of a fresh one. */
  executionId?: string;
}

let executions = 0;

const run = (main: Item[][], source: TaskData['source'] = []): TaskData => ({
  startTime: 0,
  executionIndex: 0,
  executionTime: 0,
  executionStatus: 'success',
  source,
  hints: [],
  data: { main },
});

async function evaluate(expression: string, options: Options = {}, runner = userCode): Promise<unknown> {
  const itemIndex = options.itemIndex ?? 3;
  const items = options.items ?? [...Array.from({ length: itemIndex }, (_, i) => ({ json: { i } })), { json: options.json ?? CURRENT }];
  const executionId = options.executionId ?? `expressions-${++executions}`;
  const names = [...(options.nodes ?? []), 'Current'];
  try {
    const outcomes = await runner.evaluate({
      executionId,
      workflow: {
        nodes: names.map((name) => ({ name, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: { p: name } })),
        connections: options.connections ?? {},
      },
      runData: options.runData ?? {},
      node: 'Current',
      runIndex: 2,
      items,
      source: options.source ?? [],
      meta: runMetadata({
        workflow: { id: 'wf-9', name: 'Orders', active: true },
        executionId: 'exec-7',
        mode: 'webhook',
        timezone: options.timezone ?? 'Europe/Berlin',
        now: new Date(NOW),
        runIndex: 2,
        vars: { region: 'eu' },
        envAllowed: options.envAllowed ?? false,
      }),
      ...(options.env ? { env: options.env } : {}),
      signal: new AbortController().signal,
      expressions: [expression],
      itemCount: items.length,
    });
    const outcome = outcomes[0]?.[itemIndex];
    if (!outcome) throw new Error('no outcome');
    if (!outcome.ok) throw new ExpressionError(outcome.error, expression);
    return outcome.value;
  } catch (error) {
    throw userCodeNodeError(error, 'expression', { codeTimeoutMs: 5000, memoryLimitMb: 32 });
  } finally {
    if (!options.executionId) runner.release(executionId);
  }
}

async function errorOf(promise: Promise<unknown>): Promise<ExpressionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error('expected an ExpressionError');
}

describe('expressions: values', () => {
  it('keeps the type of a lone block', async () => {
    expect(await evaluate('={{ $json.n * 2 }}')).toBe(42);
    expect(await evaluate('={{ $json.n > 20 }}')).toBe(true);
    expect(await evaluate('={{ $json.tags }}')).toEqual(['a', 'b']);
    expect(await evaluate('={{ $json.nested }}')).toEqual({ deep: { value: true } });
    expect(await evaluate('={{ null }}')).toBeNull();
    expect(await evaluate('={{ undefined }}')).toBeUndefined();
    expect(await evaluate('={{ $json.missing }}')).toBeUndefined();
  });

  it('makes a string when text surrounds blocks: objects as JSON, null/undefined as empty', async () => {
    expect(await evaluate('=Hi {{ $json.name }}, n={{ $json.n }}')).toBe('Hi Ada, n=21');
    expect(await evaluate('=obj: {{ $json.nested }}')).toBe('obj: {"deep":{"value":true}}');
    expect(await evaluate('=list: {{ $json.tags }}')).toBe('list: ["a","b"]');
    expect(await evaluate('=[{{ null }}|{{ undefined }}]')).toBe('[|]');
    expect(await evaluate('={{ "a" }}{{ 1 }}')).toBe('a1');
  });

  it('gives $itemIndex, $runIndex, $workflow, $execution and $vars from the run metadata', async () => {
    expect(await evaluate('={{ $itemIndex }}')).toBe(3);
    expect(await evaluate('={{ $runIndex }}')).toBe(2);
    expect(await evaluate('={{ $workflow }}')).toEqual({ id: 'wf-9', name: 'Orders', active: true });
    expect(await evaluate('={{ $execution.id }}-{{ $execution.mode }}')).toBe('exec-7-production');
    expect(await evaluate('={{ $vars.region }}')).toBe('eu');
  });

  it('$now and $today are Luxon DateTimes at the run time in its timezone; results become ISO strings', async () => {
    expect(await evaluate('={{ $now }}')).toBe('2024-01-15T11:30:00.000+01:00');
    expect(await evaluate('={{ $today }}')).toBe('2024-01-15T00:00:00.000+01:00');
    expect(await evaluate('={{ $now.zoneName }}')).toBe('Europe/Berlin');
    expect(await evaluate('={{ $now.toMillis() }}')).toBe(NOW);
    expect(await evaluate('={{ $now.plus({ days: 1 }).toFormat("yyyy-MM-dd HH:mm") }}')).toBe('2024-01-16 11:30');
    expect(await evaluate('={{ $now }}', { timezone: 'America/New_York' })).toBe('2024-01-15T05:30:00.000-05:00');
    expect(await evaluate('={{ { when: $today } }}')).toEqual({ when: '2024-01-15T00:00:00.000+01:00' });
  });

  it('exposes DateTime, Duration and Interval; Date results become ISO strings', async () => {
    expect(await evaluate('={{ DateTime.fromISO("2024-02-29", { zone: "UTC" }) }}')).toBe('2024-02-29T00:00:00.000Z');
    expect(await evaluate('={{ Duration.fromObject({ hours: 2 }) }}')).toBe('PT2H');
    expect(await evaluate('={{ Interval.fromDateTimes($today, $now).length("minutes") }}')).toBe(690);
    expect(await evaluate('={{ new Date(0) }}')).toBe('1970-01-01T00:00:00.000Z');
    // As in n8n, Luxon's default zone is the workflow's: zone-less texts are read there, new DateTimes shown there.
    expect(await evaluate("={{ DateTime.fromISO('2025-07-04T10:00').toISO() }}")).toBe('2025-07-04T10:00:00.000+02:00');
    expect(await evaluate("={{ DateTime.fromISO('2025-07-04T10:00').toISO() }}", { timezone: 'America/New_York' })).toBe(
      '2025-07-04T10:00:00.000-04:00',
    );
    expect(await evaluate('={{ DateTime.local().zoneName + " " + DateTime.now().zoneName }}', { timezone: 'Asia/Tokyo' })).toBe(
      'Asia/Tokyo Asia/Tokyo',
    );
    expect(await evaluate('={{ new Date("not a date") }}')).toBeNull();
    expect(await evaluate('=took {{ Duration.fromObject({ hours: 2 }) }} from {{ new Date(0) }}')).toBe(
      'took PT2H from 1970-01-01T00:00:00.000Z',
    );
  });

  it('reads $input, $binary and $json of the current item', async () => {
    expect(await evaluate('={{ $input.all().map(item => item.json.i ?? "current") }}')).toEqual([0, 1, 2, 'current']);
    expect(await evaluate('={{ $input.first().json.i }}')).toBe(0);
    expect(await evaluate('={{ $input.last().json.name }}')).toBe('Ada');
    expect(await evaluate('={{ $input.item.json.n }}')).toBe(21);
    const withFile: Item[] = [{ json: {}, binary: { file: { data: '', mimeType: 'text/plain', fileName: 'a.txt' } } }];
    expect(await evaluate('={{ $binary.file.fileName }}', { items: withFile, itemIndex: 0 })).toBe('a.txt');
  });

  it("reads $('Node'), $node and $items() from the run, following the branch that leads here", async () => {
    const runData: RunData = {
      Orders: [run([[{ json: { id: 1 } }, { json: { id: 2 } }], [{ json: { id: 'other branch' } }]])],
      Lookup: [run([[{ json: { x: 'a' } }, { json: { x: 'b' } }, { json: { x: 'c' } }, { json: { x: 'd' } }]])],
    };
    const options: Options = {
      runData,
      nodes: ['Orders', 'Lookup', 'Done', 'Never'],
      connections: { Orders: { main: [[], [{ node: 'Current', type: 'main', index: 0 }]] } },
    };
    expect(await evaluate('={{ $("Orders").first().json.id }}', options)).toBe('other branch');
    expect(await evaluate('={{ $("Orders").all(0).map(i => i.json.id) }}', options)).toEqual([1, 2]);
    expect(await evaluate('={{ $("Orders").last(0).json.id }}', options)).toBe(2);
    expect(await evaluate('={{ $node["Lookup"].json.x }}', options)).toBe('d');
    expect(await evaluate('={{ $items("Lookup").length }}', options)).toBe(4);
    expect(await evaluate('={{ $("Lookup").isExecuted }}|{{ $("Done").isExecuted }}', options)).toBe('true|false');
    expect(await evaluate('={{ $("Orders").params.p }}', options)).toBe('Orders');
    expect((await errorOf(evaluate('={{ $("Never").first() }}', options))).message).toBe("Node 'Never' hasn't been executed");
    expect((await errorOf(evaluate('={{ $("Nowhere").first() }}', options))).message).toBe('Referenced node doesn\'t exist: "Nowhere"');
  });

  it('follows paired items for $("Node").item', async () => {
    const runData: RunData = {
      Start: [run([[{ json: { name: 'first' } }, { json: { name: 'second' } }]])],
      Swap: [
        run(
          [
            [
              { json: {}, pairedItem: { item: 1 } },
              { json: {}, pairedItem: { item: 0 } },
            ],
          ],
          [{ previousNode: 'Start' }],
        ),
      ],
    };
    // The current node's input is Swap's output: its item 0 came from Start's item 1.
    const items = runData.Swap![0]!.data!.main[0] as Item[];
    const options: Options = { runData, items, itemIndex: 0, nodes: ['Start', 'Swap'], source: [{ previousNode: 'Swap' }] };
    expect(await evaluate('={{ $("Start").item.json.name }}', options)).toBe('second');
    expect(await evaluate('={{ $("Start").itemMatching(1).json.name }}', options)).toBe('first');
  });

  it('$env is denied unless allowed; then it is what the server hands the runner', async () => {
    expect((await errorOf(evaluate('={{ $env.HOME }}'))).message).toBe('access to env vars denied');
    expect(await evaluate('={{ $env.HOME }}', { envAllowed: true, env: { HOME: '/home/flow' } })).toBe('/home/flow');
  });

  it('passes a lookup error to the expression without the host stack', async () => {
    const stack = await evaluate('={{ (() => { try { $("Later").first() } catch (e) { return e.stack } })() }}', { nodes: ['Later'] });
    expect(stack).toMatch(/^Error: Node 'Later' hasn't been executed/);
    expect(stack).not.toContain('/work/');
    expect(stack).not.toContain('node_modules');
  });
});

describe('expressions: errors and limits', () => {
  it('follows n8n: an error the code throws empties the value, an unknown name is undefined, syntax errors fail', async () => {
    expect(await evaluate('={{ notDefined + 1 }}')).toBeNaN();
    expect(await evaluate('={{ typeof notDefined }}')).toBe('undefined');
    expect(await evaluate('={{ $json.missing.deeper }}')).toBeUndefined();
    expect(await evaluate('=a {{ $json.missing.deeper }} b')).toBe('a  b');
    expect(await evaluate('={{ (() => { throw new Error("custom failure") })() }}')).toBeUndefined();
    expect(await evaluate('={{ (1).toFixed(500) }}')).toBeUndefined();
    expect(await evaluate('={{ $json.n.nope() }}')).toBeUndefined();
    // Assigning to an unknown name changes nothing the next expression sees.
    expect(await evaluate('={{ leaked = 5 }}')).toBe(5);
    expect(await evaluate('={{ typeof leaked }}')).toBe('undefined');
    const syntax = await errorOf(evaluate('={{ 1 + }}'));
    expect(syntax.message).toBe('invalid syntax');
    expect(syntax.expression).toBe('={{ 1 + }}');
    expect((await errorOf(evaluate('={{ while (true) {} }}'))).message).toBe('invalid syntax');
  });

  it('still fails on what n8n itself refuses and on the limits', async () => {
    expect((await errorOf(evaluate('={{ $("Nowhere").first() }}'))).message).toMatch(/Referenced node doesn't exist/);
    expect((await errorOf(evaluate('={{ $(1) }}'))).message).toBe('$() needs a node name, e.g. $("Webhook")');
    expect((await errorOf(evaluate('={{ (function f() { return f() + 1 })() }}'))).message).toBe('Maximum call stack size exceeded');
    // Caught and rethrown by the expression itself: still a lookup failure, still fails the node.
    expect((await errorOf(evaluate('={{ (() => { try { $("Nowhere").first() } catch (e) { throw e } })() }}'))).message).toMatch(
      /Referenced node doesn't exist/,
    );
  });

  it('stops an endless loop after the time limit, and the execution goes on', async () => {
    const executionId = 'endless-loop';
    const started = Date.now();
    const error = await errorOf(evaluate('={{ (() => { while (true) {} })() }}', { executionId }));
    expect(error.message).toBe(`Expression took longer than ${TIMEOUT_MS} ms and was stopped`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(await evaluate('={{ $json.n + 1 }}', { executionId })).toBe(22);
    expect(await evaluate('={{ $now }}', { executionId })).toBe('2024-01-15T11:30:00.000+01:00');
    userCode.release(executionId);
  });

  it('stops an expression that allocates without end, and the next evaluation works', async () => {
    const small = createTestUserCode({ expressionTimeoutMs: 10_000, memoryLimitMb: 16 });
    try {
      const executionId = 'memory-hog';
      const error = await errorOf(
        evaluate('={{ (() => { const a = []; while (true) a.push({ x: a.length }); })() }}', { executionId }, small),
      );
      expect(error.message).toBe('Expression used too much memory and was stopped');
      expect(await evaluate('={{ $json.n * 2 }}', { executionId }, small)).toBe(42);
    } finally {
      await small.pool.close(0);
    }
  });
});

describe('expressions: escapes fail or stay inside', () => {
  it('cannot reach process through constructors or Function', async () => {
    // A ReferenceError inside {{ }} empties the value (n8n's rule): nothing of the runner's process comes out.
    expect(await evaluate('={{ this.constructor.constructor("return process")() }}')).toBeUndefined();
    expect(await evaluate('={{ [].constructor.constructor("return process")().pid }}')).toBeUndefined();
    expect(
      await evaluate('={{ (() => { try { [].constructor.constructor("return process")() } catch (e) { return e.message } })() }}'),
    ).toBe('process is not defined');
    expect(await evaluate('={{ typeof Function("return this")().process }}')).toBe('undefined');
  });

  it('has no require, module, fetch, timers, Luxon global or WebAssembly', async () => {
    for (const name of ['require', 'module', 'fetch', 'setTimeout', 'luxon', 'WebAssembly']) {
      expect(await evaluate(`={{ typeof ${name} }}`)).toBe('undefined');
    }
    expect(await evaluate('={{ new WebAssembly.Memory({ initial: 4096 }) }}')).toBeUndefined();
  });

  it('cannot import modules', async () => {
    await expect(evaluate('={{ import("fs") }}')).rejects.toThrow(ExpressionError);
  });

  it('items are copies: changes do not reach the server', async () => {
    const json: JsonObject = { list: [1], obj: { a: 1 } };
    expect(await evaluate('={{ $json.list.push(2) && ($json.obj.a = 99) && $json.list.length }}', { json })).toBe(2);
    expect(json).toEqual({ list: [1], obj: { a: 1 } });
  });

  it('what one execution changes (prototypes, intrinsics, RegExp statics, Luxon) no other execution sees', async () => {
    const hostile = 'hostile-execution';
    await evaluate('={{ DateTime.prototype.toISO = () => "hijacked" }}', { executionId: hostile });
    await evaluate('={{ Object.prototype.polluted = 1 }}', { executionId: hostile });
    await evaluate('={{ Array.prototype.map = () => "hijacked" }}', { executionId: hostile });
    await evaluate('={{ Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true }) }}', { executionId: hostile });
    await evaluate('={{ /(secret-\\d+)/.test("token secret-42") }}', { executionId: hostile });
    expect(await evaluate('={{ RegExp.lastMatch }}', { executionId: hostile })).toBe('secret-42');
    userCode.release(hostile);
    // A fresh execution: its own isolate.
    expect(await evaluate('={{ ({}).polluted }}')).toBeUndefined();
    expect(await evaluate('={{ [1, 2, 3].map(x => x * 2) }}')).toEqual([2, 4, 6]);
    expect(await evaluate('={{ [...[1, 2]] }}')).toEqual([1, 2]);
    expect(await evaluate('={{ $now }}')).toBe('2024-01-15T11:30:00.000+01:00');
    expect(await evaluate('={{ RegExp.lastMatch }}')).toBe('');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cannot leave a global behind for the next expression of its own execution', async () => {
    const executionId = 'globals';
    await evaluate('={{ globalThis.leak = 1 }}', { executionId });
    expect(await evaluate('={{ typeof leak }}', { executionId })).toBe('undefined');
    userCode.release(executionId);
  });

  it('stack traces show no host file paths', async () => {
    const stack = await evaluate('={{ new Error("where").stack }}');
    expect(stack).toMatch(/^Error: where\n/);
    expect(stack).not.toContain('/work/');
    expect(stack).not.toContain('node_modules');
    expect(stack).not.toContain('.ts');
  });
});
