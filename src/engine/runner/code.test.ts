import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { successfulRun } from '../engine-test-support.ts';
import { runMetadata } from '../node-context.ts';
import type { Item, RunData } from '../types.ts';
import { userCodeNodeError } from '../user-code-errors.ts';
import { CodeCanceledError, CodeExecutionError, CodeMemoryLimitError, CodeTimeoutError } from './code-errors.ts';
import { createTestUserCode, type TestUserCodeOptions } from './test-user-code.ts';

/** Code-node JavaScript as a runner runs it (the runner core, in this process): its globals, errors and limits. */
const runners = new Map<string, ReturnType<typeof createTestUserCode>>();
afterAll(async () => {
  for (const runner of runners.values()) await runner.pool.close(0);
});

function runnerFor(options: TestUserCodeOptions) {
  const key = JSON.stringify(options);
  let runner = runners.get(key);
  if (!runner) {
    runner = createTestUserCode({ memoryLimitMb: 32, codeTimeoutMs: 5000, ...options });
    runners.set(key, runner);
  }
  return runner;
}

interface CodeOptions extends TestUserCodeOptions {
  mode?: 'runOnceForAllItems' | 'runOnceForEachItem';
  itemIndex?: number;
  items?: Item[];
  nodeOutputs?: Record<string, Item[]>;
  timezone?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

const ITEMS: Item[] = [{ json: { name: 'Ada', n: 1 } }, { json: { name: 'Grace', n: 2 } }];
let executions = 0;

async function runCode(code: string, options: CodeOptions = {}): Promise<unknown> {
  const { memoryLimitMb, codeTimeoutMs } = options;
  const runner = runnerFor({ ...(memoryLimitMb ? { memoryLimitMb } : {}), ...(codeTimeoutMs ? { codeTimeoutMs } : {}) });
  const executionId = `code-${++executions}`;
  const nodeOutputs = options.nodeOutputs ?? {};
  const runData: RunData = Object.fromEntries(Object.entries(nodeOutputs).map(([name, items]) => [name, [successfulRun(items)]]));
  const names = [...Object.keys(nodeOutputs), 'Code'];
  try {
    return await runner.runCode({
      executionId,
      workflow: { nodes: names.map((name) => ({ name, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} })), connections: {} },
      runData,
      node: 'Code',
      runIndex: 0,
      items: options.items ?? ITEMS,
      source: [],
      meta: runMetadata({
        workflow: { id: 'wf-1', name: 'Sandbox test', active: false },
        executionId: '42',
        mode: 'manual',
        timezone: options.timezone ?? 'UTC',
        now: new Date(),
        runIndex: 0,
        vars: {},
        envAllowed: false,
      }),
      signal: options.signal ?? new AbortController().signal,
      ...(options.log ? { log: options.log } : {}),
      code,
      mode: options.mode ?? 'runOnceForAllItems',
      ...(options.itemIndex === undefined ? {} : { itemIndex: options.itemIndex }),
    });
  } catch (error) {
    throw userCodeNodeError(error, 'code', {
      itemIndex: options.itemIndex,
      codeTimeoutMs: codeTimeoutMs ?? 5000,
      memoryLimitMb: memoryLimitMb ?? 32,
    });
  } finally {
    runner.release(executionId);
  }
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the code to fail');
}

describe('Code in a runner: all items mode', () => {
  it('gives the code `items` and `$input` and returns what the code returns', async () => {
    const result = await runCode(`
      const names = $input.all().map((item) => item.json.name);
      return items.map((item, index) => ({ json: { upper: item.json.name.toUpperCase(), index, names } }));
    `);
    expect(result).toEqual([
      { json: { upper: 'ADA', index: 0, names: ['Ada', 'Grace'] } },
      { json: { upper: 'GRACE', index: 1, names: ['Ada', 'Grace'] } },
    ]);
  });

  it('offers first(), last() and $json of the first item', async () => {
    expect(await runCode('return [$input.first().json.name, $input.last().json.name, $json.name, $input.item]')).toEqual([
      'Ada',
      'Grace',
      'Ada',
      null,
    ]);
  });

  it("reads other nodes' output through $('Name') and $node", async () => {
    const result = await runCode(
      `const users = $('Get users');
       return { all: users.all().length, first: users.first().json.id, last: users.last().json.id,
                item: users.item.json.id, legacy: $node['Get users'].json.id };`,
      { nodeOutputs: { 'Get users': [{ json: { id: 1 } }, { json: { id: 2 } }, { json: { id: 3 } }] } },
    );
    expect(result).toEqual({ all: 3, first: 1, last: 3, item: 1, legacy: 1 });
  });

  it("fails clearly on $('Name') of a node that does not exist", async () => {
    const error = await failureOf(runCode("return $('Nowhere').all()"));
    expect(error.message).toBe('Referenced node doesn\'t exist: "Nowhere" [line 1]');
  });

  it('exposes $workflow and $execution', async () => {
    expect(await runCode('return { workflow: $workflow, execution: $execution }')).toEqual({
      workflow: { id: 'wf-1', name: 'Sandbox test', active: false },
      execution: { id: '42', mode: 'test' },
    });
  });

  it('runs async code, and returns undefined when the code returns nothing', async () => {
    const result = await runCode(`
      const value = await Promise.resolve(21);
      await new Promise((resolve) => resolve());
      return [{ json: { value: value * 2 } }];
    `);
    expect(result).toEqual([{ json: { value: 42 } }]);
    await expect(runCode('const x = 1;')).resolves.toBeUndefined();
  });

  it('does not let the code change the caller’s items', async () => {
    const items: Item[] = [{ json: { name: 'Ada' } }];
    const result = (await runCode('items[0].json.name = "changed"; return items', { items })) as { json: { name: string } }[];
    expect(result[0]?.json.name).toBe('changed');
    expect(items[0]?.json.name).toBe('Ada');
  });
});

describe('Code in a runner: each item mode', () => {
  const eachItem = { mode: 'runOnceForEachItem' as const, itemIndex: 1 };

  it('gives the code the current item as item, $json, $input.item and $itemIndex', async () => {
    const result = await runCode(
      'return { json: { name: $json.name, same: item === $input.item, index: $itemIndex, n: item.json.n } }',
      eachItem,
    );
    expect(result).toEqual({ json: { name: 'Grace', same: true, index: 1, n: 2 } });
    await expect(runCode('return typeof items', eachItem)).resolves.toBe('undefined');
  });

  it('refuses $input.all() when it is called, naming the line (the Code node also refuses it before running)', async () => {
    const error = await failureOf(runCode('const a = 1;\nreturn $input.all()', eachItem));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect(error.message).toBe("Can't use .all() here [line 2]");
    expect((error as CodeExecutionError).description).toBe("This is only available in 'Run Once for All Items' mode");
  });

  it("resolves $('Name').item to the item at the same position", async () => {
    const result = await runCode("return { json: { id: $('Source').item.json.id } }", {
      ...eachItem,
      nodeOutputs: { Source: [{ json: { id: 'a' } }, { json: { id: 'b' } }] },
    });
    expect(result).toEqual({ json: { id: 'b' } });
  });
});

describe('Code in a runner: Luxon', () => {
  it('provides DateTime, Duration, Interval, $now and $today', async () => {
    const result = await runCode(`
      const start = DateTime.fromISO('2024-02-28T10:00:00Z', { zone: 'utc' });
      const end = start.plus(Duration.fromObject({ days: 2 }));
      return { end: end.toISODate(), days: Interval.fromDateTimes(start, end).length('days'),
               nowIsDateTime: DateTime.isDateTime($now), todayStartsTheDay: $today.hour === 0 && $today.minute === 0 };
    `);
    expect(result).toEqual({ end: '2024-03-01', days: 2, nowIsDateTime: true, todayStartsTheDay: true });
  });

  it('uses the workflow timezone for $now and new DateTimes, and returns DateTimes as ISO strings', async () => {
    expect(await runCode('return [$now.zoneName, DateTime.now().zoneName]', { timezone: 'Asia/Tokyo' })).toEqual([
      'Asia/Tokyo',
      'Asia/Tokyo',
    ]);
    expect(await runCode("return { at: DateTime.fromISO('2024-01-02T03:04:05.000Z', { zone: 'utc' }) }")).toEqual({
      at: '2024-01-02T03:04:05.000Z',
    });
  });
});

describe('Code in a runner: console and $env', () => {
  it('hands console.log lines to the log', async () => {
    const lines: string[] = [];
    await runCode('console.log("count", 2, { a: 1 }); console.warn("careful")', { log: (line) => lines.push(line) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(['count 2 {"a":1}', 'careful']);
    await expect(runCode('console.log("x"); return 1')).resolves.toBe(1);
  });

  it('denies $env', async () => {
    expect((await failureOf(runCode('return $env.HOME'))).message).toBe('access to env vars denied [line 1]');
  });
});

describe('Code in a runner: errors from the code', () => {
  it("keeps the thrown error's message, names the line, and reports the error type as the description", async () => {
    const error = await failureOf(runCode('const a = 1;\n\nthrow new Error("boom")'));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect(error.message).toBe('boom [line 3]');
    expect((error as CodeExecutionError).lineNumber).toBe(3);
    const typeError = await failureOf(runCode('return null.field'));
    expect(typeError.message).toBe("Cannot read properties of null (reading 'field') [line 1]");
    expect((typeError as CodeExecutionError).description).toBe('TypeError');
  });

  it('reports syntax errors', async () => {
    const error = await failureOf(runCode('return {;'));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect((error as CodeExecutionError).description).toBe('SyntaxError');
    expect(error.message).toMatch(/^Unexpected token/);
  });

  it('turns thrown non-errors into messages, and fails clearly on results that are not JSON', async () => {
    await expect(runCode('throw "plain text"')).rejects.toThrow('plain text');
    await expect(runCode('throw { code: 7 }')).rejects.toThrow('{"code":7}');
    await expect(runCode('const o = {}; o.self = o; return o')).rejects.toThrow(/circular structure/);
  });
});

describe('Code in a runner: limits and cancellation', () => {
  it('stops an endless loop, and code awaiting a promise that never settles, at the time limit', async () => {
    for (const code of ['while (true) {}', 'await new Promise(() => {})']) {
      const started = Date.now();
      const error = await failureOf(runCode(code, { codeTimeoutMs: 300 }));
      expect(error).toBeInstanceOf(CodeTimeoutError);
      expect(error.message).toBe('Task execution timed out after 0.3 seconds');
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    expect((await failureOf(runCode('while (true) {}', { codeTimeoutMs: 1000 }))).message).toBe('Task execution timed out after 1 second');
  });

  it('cannot block with Atomics.wait past the time limit', async () => {
    const started = Date.now();
    const error = await failureOf(
      runCode('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1', { codeTimeoutMs: 300 }),
    );
    expect(error).toBeInstanceOf(CodeTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops code that allocates past the memory limit, and the next run works', async () => {
    const error = await failureOf(runCode('const kept = []; while (true) kept.push("x".repeat(64) + kept.length)', { memoryLimitMb: 16 }));
    expect(error).toBeInstanceOf(CodeMemoryLimitError);
    expect(error.message).toBe('Code execution ran out of memory (limit: 16 MB)');
    await expect(runCode('return 1 + 1', { memoryLimitMb: 16 })).resolves.toBe(2);
  });

  it('stops a looping or waiting run within a second of the abort', async () => {
    for (const code of ['while (true) {}', 'await new Promise(() => {})']) {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const error = await failureOf(runCode(code, { codeTimeoutMs: 30_000, signal: controller.signal }));
      expect(error).toBeInstanceOf(CodeCanceledError);
      expect(Date.now() - started).toBeLessThan(1_500);
    }
    const aborted = new AbortController();
    aborted.abort();
    await expect(runCode('return 1', { signal: aborted.signal })).rejects.toThrow(CodeCanceledError);
  });
});

const HOST_PATHS = [process.cwd(), path.dirname(process.execPath), 'node_modules', 'file://', '.ts:'];

describe('Code in a runner: the host stays out of reach', () => {
  it('has no Node globals, WebAssembly or network', async () => {
    const result = await runCode(`
      return ['require', 'process', 'module', 'exports', 'Buffer', 'fetch', 'setTimeout', 'global', '__dirname', 'XMLHttpRequest', 'WebSocket', 'WebAssembly']
        .filter((name) => typeof globalThis[name] !== 'undefined');
    `);
    expect(result).toEqual([]);
    await expect(runCode("return await fetch('http://127.0.0.1:1/')")).rejects.toThrow('fetch is not defined');
  });

  it('does not reach process through constructors, Function, eval, require or import', async () => {
    await expect(runCode("return this.constructor.constructor('return process')()")).rejects.toThrow('process is not defined');
    await expect(runCode("return Function('return this')().process")).resolves.toBeUndefined();
    await expect(runCode("return eval('typeof process')")).resolves.toBe('undefined');
    await expect(runCode("return require('child_process').execSync('id')")).rejects.toThrow('require is not defined');
    await expect(runCode("return await import('fs')")).rejects.toThrow(CodeExecutionError);
    await expect(runCode("import fs from 'fs';\nreturn fs")).rejects.toThrow(/Cannot use import statement/);
  });

  it('does not reach the host through the constructor chain of data it was given', async () => {
    const result = await runCode(
      `return [
        items[0].constructor.constructor('return typeof process')(),
        $input.all.constructor('return typeof process')(),
        $('Other').first().json.constructor.constructor('return typeof process')(),
        console.log.constructor('return typeof process')(),
      ];`,
      { nodeOutputs: { Other: [{ json: { x: 1 } }] } },
    );
    expect(result).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });

  it("does not pollute the host's prototypes, nor leak host paths through stacks or errors", async () => {
    await runCode('Object.prototype.polluted = 1; Array.prototype.polluted = 2; return { own: "value" }');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stack = (await runCode('return new Error("where am I").stack')) as string;
    expect(stack).toContain('code.js:1');
    for (const hostPath of HOST_PATHS) expect(stack).not.toContain(hostPath);
    const error = await failureOf(runCode('function inner() { throw new Error("x") }\ninner()'));
    expect(error.message).toBe('x [line 1]');
    for (const hostPath of HOST_PATHS) expect(error.stack).not.toContain(hostPath);
  });
});
