import { describe, expect, it } from 'vitest';
import { runCodeInSandbox } from './code-sandbox.ts';
import { CodeCanceledError, CodeExecutionError, CodeMemoryLimitError, CodeTimeoutError } from './sandbox-errors.ts';
import { sandboxInput } from './test-input.ts';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the sandbox call to fail');
}

describe('runCodeInSandbox: all items mode', () => {
  it('gives the code `items` and `$input` and returns what the code returns', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        code: `
          const names = $input.all().map((item) => item.json.name);
          return items.map((item, index) => ({ json: { upper: item.json.name.toUpperCase(), index, names } }));
        `,
      }),
    );
    expect(result).toEqual([
      { json: { upper: 'ADA', index: 0, names: ['Ada', 'Grace'] } },
      { json: { upper: 'GRACE', index: 1, names: ['Ada', 'Grace'] } },
    ]);
  });

  it('offers first(), last() and $json of the first item', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({ code: 'return [$input.first().json.name, $input.last().json.name, $json.name, $input.item]' }),
    );
    expect(result).toEqual(['Ada', 'Grace', 'Ada', null]);
  });

  it("reads other nodes' output through $('Name') and $node", async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        nodeOutputs: { 'Get users': [{ json: { id: 1 } }, { json: { id: 2 } }, { json: { id: 3 } }] },
        code: `
          const users = $('Get users');
          return { all: users.all().length, first: users.first().json.id, last: users.last().json.id,
                   item: users.item.json.id, legacy: $node['Get users'].json.id };
        `,
      }),
    );
    expect(result).toEqual({ all: 3, first: 1, last: 3, item: 1, legacy: 1 });
  });

  it("fails clearly on $('Name') of a node without output", async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ code: "return $('Nowhere').all()" })));
    expect(error.message).toBe("Referenced node doesn't exist or hasn't been executed yet: 'Nowhere' [line 1]");
  });

  it('exposes $workflow and $execution', async () => {
    const result = await runCodeInSandbox(sandboxInput({ code: 'return { workflow: $workflow, execution: $execution }' }));
    expect(result).toEqual({
      workflow: { id: 'wf-1', name: 'Sandbox test', active: false },
      execution: { id: '42', mode: 'manual' },
    });
  });

  it('runs async code', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        code: `
          const value = await Promise.resolve(21);
          await new Promise((resolve) => resolve());
          return [{ json: { value: value * 2 } }];
        `,
      }),
    );
    expect(result).toEqual([{ json: { value: 42 } }]);
  });

  it('returns undefined when the code returns nothing', async () => {
    await expect(runCodeInSandbox(sandboxInput({ code: 'const x = 1;' }))).resolves.toBeUndefined();
  });

  it('does not let the code change the caller’s items', async () => {
    const input = sandboxInput({ code: 'items[0].json.name = "changed"; return items' });
    const result = (await runCodeInSandbox(input)) as { json: { name: string } }[];
    expect(result[0]?.json.name).toBe('changed');
    expect(input.items[0]?.json.name).toBe('Ada');
  });
});

describe('runCodeInSandbox: each item mode', () => {
  const eachItem = { mode: 'runOnceForEachItem' as const, itemIndex: 1 };

  it('gives the code the current item as item, $json, $input.item and $itemIndex', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        ...eachItem,
        code: 'return { json: { name: $json.name, same: item === $input.item, index: $itemIndex, n: item.json.n } }',
      }),
    );
    expect(result).toEqual({ json: { name: 'Grace', same: true, index: 1, n: 2 } });
  });

  it('has no `items` in this mode', async () => {
    await expect(runCodeInSandbox(sandboxInput({ ...eachItem, code: 'return typeof items' }))).resolves.toBe('undefined');
  });

  it('refuses $input.all() like n8n, naming the line and the item', async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ ...eachItem, code: 'const a = 1;\nreturn $input.all()' })));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect(error.message).toBe("Can't use .all() here [line 2, for item 1]");
    expect((error as CodeExecutionError).description).toBe("This is only available in 'Run Once for All Items' mode");
  });

  it("resolves $('Name').item to the item at the same position", async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        ...eachItem,
        nodeOutputs: { Source: [{ json: { id: 'a' } }, { json: { id: 'b' } }] },
        code: "return { json: { id: $('Source').item.json.id } }",
      }),
    );
    expect(result).toEqual({ json: { id: 'b' } });
  });
});

describe('runCodeInSandbox: Luxon', () => {
  it('provides DateTime, Duration, Interval, $now and $today', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        code: `
          const start = DateTime.fromISO('2024-02-28T10:00:00Z', { zone: 'utc' });
          const end = start.plus(Duration.fromObject({ days: 2 }));
          return {
            end: end.toISODate(),
            days: Interval.fromDateTimes(start, end).length('days'),
            nowIsDateTime: DateTime.isDateTime($now),
            todayStartsTheDay: $today.hour === 0 && $today.minute === 0,
          };
        `,
      }),
    );
    expect(result).toEqual({ end: '2024-03-01', days: 2, nowIsDateTime: true, todayStartsTheDay: true });
  });

  it('uses the workflow timezone for $now and new DateTimes', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({ timezone: 'Asia/Tokyo', code: 'return [$now.zoneName, DateTime.now().zoneName]' }),
    );
    expect(result).toEqual(['Asia/Tokyo', 'Asia/Tokyo']);
  });

  it('returns DateTimes as ISO strings, as n8n stores them', async () => {
    const result = await runCodeInSandbox(
      sandboxInput({ code: "return { at: DateTime.fromISO('2024-01-02T03:04:05.000Z', { zone: 'utc' }) }" }),
    );
    expect(result).toEqual({ at: '2024-01-02T03:04:05.000Z' });
  });
});

describe('runCodeInSandbox: console and $env', () => {
  it('hands console.log lines to onConsoleLog', async () => {
    const lines: string[] = [];
    await runCodeInSandbox(
      sandboxInput({ code: 'console.log("count", 2, { a: 1 }); console.warn("careful")', onConsoleLog: (line) => lines.push(line) }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(['count 2 {"a":1}', 'careful']);
  });

  it('swallows console output when nobody listens', async () => {
    await expect(runCodeInSandbox(sandboxInput({ code: 'console.log("x"); return 1' }))).resolves.toBe(1);
  });

  it('denies $env', async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ code: 'return $env.HOME' })));
    expect(error.message).toBe('access to env vars denied [line 1]');
  });
});

describe('runCodeInSandbox: errors from the code', () => {
  it("keeps the thrown error's message and names the line", async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ code: 'const a = 1;\n\nthrow new Error("boom")' })));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect(error.message).toBe('boom [line 3]');
    expect((error as CodeExecutionError).lineNumber).toBe(3);
  });

  it('reports the error type as the description', async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ code: 'return null.field' })));
    expect(error.message).toBe("Cannot read properties of null (reading 'field') [line 1]");
    expect((error as CodeExecutionError).description).toBe('TypeError');
  });

  it('reports syntax errors', async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ code: 'return {;' })));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect((error as CodeExecutionError).description).toBe('SyntaxError');
    expect(error.message).toMatch(/^Unexpected token/);
  });

  it('turns thrown non-errors into messages', async () => {
    await expect(runCodeInSandbox(sandboxInput({ code: 'throw "plain text"' }))).rejects.toThrow('plain text');
    await expect(runCodeInSandbox(sandboxInput({ code: 'throw { code: 7 }' }))).rejects.toThrow('{"code":7}');
  });

  it('fails clearly on results that are not JSON', async () => {
    await expect(runCodeInSandbox(sandboxInput({ code: 'const o = {}; o.self = o; return o' }))).rejects.toThrow(/circular structure/);
  });
});

describe('runCodeInSandbox: limits', () => {
  it('stops an endless loop at the time limit', async () => {
    const started = Date.now();
    const error = await failureOf(runCodeInSandbox(sandboxInput({ timeoutMs: 300, code: 'while (true) {}' })));
    expect(error).toBeInstanceOf(CodeTimeoutError);
    expect(error.message).toBe('Task execution timed out after 0.3 seconds');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops code awaiting a promise that never settles', async () => {
    const started = Date.now();
    const error = await failureOf(runCodeInSandbox(sandboxInput({ timeoutMs: 300, code: 'await new Promise(() => {})' })));
    expect(error).toBeInstanceOf(CodeTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says "1 second" in the singular', async () => {
    const error = await failureOf(runCodeInSandbox(sandboxInput({ timeoutMs: 1_000, code: 'while (true) {}' })));
    expect(error.message).toBe('Task execution timed out after 1 second');
  });

  it('keeps the host event loop running while the code loops', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    await failureOf(runCodeInSandbox(sandboxInput({ timeoutMs: 400, code: 'while (true) {}' })));
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(10);
  });

  it('stops code that allocates past the memory limit', async () => {
    const error = await failureOf(
      runCodeInSandbox(sandboxInput({ memoryLimitMb: 16, code: 'const kept = []; while (true) kept.push("x".repeat(64) + kept.length)' })),
    );
    expect(error).toBeInstanceOf(CodeMemoryLimitError);
    expect(error.message).toBe('Code execution ran out of memory (limit: 16 MB)');
  });

  it('still works after a memory overrun', async () => {
    await failureOf(runCodeInSandbox(sandboxInput({ memoryLimitMb: 16, code: 'const a = []; while (true) a.push({ i: a.length })' })));
    await expect(runCodeInSandbox(sandboxInput({ code: 'return 1 + 1' }))).resolves.toBe(2);
  });
});

describe('runCodeInSandbox: cancellation', () => {
  it('stops a looping run within a second of the abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(
      runCodeInSandbox(sandboxInput({ timeoutMs: 30_000, signal: controller.signal, code: 'while (true) {}' })),
    );
    expect(error).toBeInstanceOf(CodeCanceledError);
    expect(error.message).toBe('The execution was canceled');
    expect(Date.now() - started).toBeLessThan(1_100);
  });

  it('stops a waiting run within a second of the abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(
      runCodeInSandbox(sandboxInput({ timeoutMs: 30_000, signal: controller.signal, code: 'await new Promise(() => {})' })),
    );
    expect(error).toBeInstanceOf(CodeCanceledError);
    expect(Date.now() - started).toBeLessThan(1_100);
  });

  it('does not start when already canceled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runCodeInSandbox(sandboxInput({ signal: controller.signal, code: 'return 1' }))).rejects.toThrow(CodeCanceledError);
  });
});

describe('runCodeInSandbox: overhead', () => {
  it('costs a few milliseconds per call', async () => {
    const calls = 20;
    const measure = async (code: string) => {
      const started = performance.now();
      for (let i = 0; i < calls; i++) await runCodeInSandbox(sandboxInput({ code }));
      return (performance.now() - started) / calls;
    };
    await measure('return $now'); // warms Luxon's code cache
    const plain = await measure('return items');
    const withLuxon = await measure('return $now');
    console.info(`sandbox overhead per call: ${plain.toFixed(1)} ms plain, ${withLuxon.toFixed(1)} ms with Luxon`);
    expect(plain).toBeLessThan(50);
    expect(withLuxon).toBeLessThan(80);
  });
});

describe('runCodeInSandbox: no WebAssembly', () => {
  it('cannot hold memory outside its limit through WebAssembly.Memory (it has no WebAssembly)', async () => {
    const code =
      'const pages = []; for (let i = 0; i < 6; i++) pages.push(new WebAssembly.Memory({ initial: 1024 })); return [{ json: { held: pages.length * 64 } }]';
    const error = await failureOf(runCodeInSandbox(sandboxInput({ code, memoryLimitMb: 128 })));
    expect(error).toBeInstanceOf(CodeExecutionError);
    expect(error.message).toBe('WebAssembly is not defined [line 1]');
    expect(await runCodeInSandbox(sandboxInput({ code: 'return [{ json: { type: typeof WebAssembly } }]' }))).toEqual([
      { json: { type: 'undefined' } },
    ]);
  });
});
