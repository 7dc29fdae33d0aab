import { afterAll, describe, expect, it } from 'vitest';
import { runMetadata } from '../node-context.ts';
import { type CodeRequest, NodeOperationError, type NodeResult } from '../node-types.ts';
import { createTestUserCode } from '../runner/test-user-code.ts';
import type { Item, JsonObject, RunData } from '../types.ts';
import { userCodeNodeError } from '../user-code-errors.ts';
import { codeNode } from './code.ts';
import { jsonOf, runNode } from './test-support.ts';

const userCode = createTestUserCode({ memoryLimitMb: 32 });
afterAll(() => userCode.pool.close(0));

let executions = 0;

/** The real runner (in this process) behind ctx.runCode, as the engine wires it, so the node is tested end to end. */
function inRunner(nodeOutputs: Record<string, Item[]> = {}) {
  const executionId = `code-test-${++executions}`;
  const runData: RunData = Object.fromEntries(
    Object.entries(nodeOutputs).map(([name, items]) => [
      name,
      [
        {
          startTime: 0,
          executionIndex: 0,
          executionTime: 0,
          executionStatus: 'success' as const,
          source: [],
          hints: [],
          data: { main: [items] },
        },
      ],
    ]),
  );
  const nodes = [...Object.keys(nodeOutputs), 'Code'].map((name) => ({
    name,
    type: 'n8n-nodes-base.noOp',
    typeVersion: 1,
    parameters: {},
  }));
  return async (request: CodeRequest) => {
    try {
      return await userCode.runCode({
        executionId,
        workflow: { nodes, connections: {} },
        runData,
        node: 'Code',
        runIndex: 0,
        items: request.items,
        source: [],
        meta: runMetadata({
          workflow: { id: 'wf-1', name: 'Code test', active: false },
          executionId,
          mode: 'manual',
          timezone: 'UTC',
          now: new Date(),
          runIndex: 0,
          vars: {},
          envAllowed: false,
        }),
        signal: new AbortController().signal,
        code: request.code,
        mode: request.mode,
        ...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
      });
    } catch (error) {
      throw userCodeNodeError(error, 'code', { itemIndex: request.itemIndex, codeTimeoutMs: 5000, memoryLimitMb: 32 });
    }
  };
}

const input: Item[] = [{ json: { name: 'Ada' } }, { json: { name: 'Grace' } }];

async function runCode(parameters: JsonObject, items: Item[] = input, nodeOutputs?: Record<string, Item[]>): Promise<NodeResult> {
  const { result } = await runNode(codeNode, { parameters, items, runCode: inRunner(nodeOutputs) });
  return result;
}

function itemsOf(result: NodeResult): Item[] {
  if (!Array.isArray(result)) throw new Error('expected output');
  return result[0] ?? [];
}

async function failureOf(promise: Promise<unknown>): Promise<NodeOperationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NodeOperationError)) throw new Error(`expected a NodeOperationError, got ${String(error)}`);
  return error;
}

describe('Code node: run once for all items (the default)', () => {
  it('outputs the returned items, paired one to one', async () => {
    const result = await runCode({ jsCode: 'return $input.all().map((item) => ({ json: { hello: item.json.name } }))' });
    expect(itemsOf(result)).toEqual([
      { json: { hello: 'Ada' }, pairedItem: { item: 0 } },
      { json: { hello: 'Grace' }, pairedItem: { item: 1 } },
    ]);
  });

  it('wraps plain objects as items', async () => {
    const result = await runCode({ jsCode: 'return [{ a: 1 }, { a: 2 }]' });
    expect(jsonOf(result)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('accepts a single object', async () => {
    expect(jsonOf(await runCode({ jsCode: 'return { total: items.length }' }))).toEqual([{ total: 2 }]);
    expect(jsonOf(await runCode({ jsCode: 'return { json: { wrapped: true } }' }))).toEqual([{ wrapped: true }]);
  });

  it('pairs every output to the only input item', async () => {
    const result = await runCode({ jsCode: 'return [{ a: 1 }, { a: 2 }, { a: 3 }]' }, [{ json: {} }]);
    expect(itemsOf(result).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
  });

  it("keeps the code's own pairedItem and binary data", async () => {
    const result = await runCode({
      jsCode: `return [{ json: { a: 1 }, pairedItem: { item: 1 }, binary: { file: { data: 'aGk=', mimeType: 'text/plain' } } }]`,
    });
    expect(itemsOf(result)).toEqual([
      { json: { a: 1 }, pairedItem: { item: 1 }, binary: { file: { data: 'aGk=', mimeType: 'text/plain' } } },
    ]);
  });

  it('outputs nothing when the code returns null or an empty array', async () => {
    expect(itemsOf(await runCode({ jsCode: 'return null' }))).toEqual([]);
    expect(itemsOf(await runCode({ jsCode: 'return []' }))).toEqual([]);
  });

  it("reads other nodes' output", async () => {
    const result = await runCode({ jsCode: "return [{ json: { fromTrigger: $('Trigger').first().json.id } }]" }, input, {
      Trigger: [{ json: { id: 'abc' } }],
    });
    expect(jsonOf(result)).toEqual([{ fromTrigger: 'abc' }]);
  });

  it('runs async code with Luxon', async () => {
    const result = await runCode({
      jsCode: "await Promise.resolve();\nreturn [{ day: DateTime.fromISO('2024-05-01').plus({ days: 1 }).toISODate() }]",
    });
    expect(jsonOf(result)).toEqual([{ day: '2024-05-02' }]);
  });
});

describe('Code node: run once for each item', () => {
  it('runs the code for every item and pairs each result with its item', async () => {
    const result = await runCode({
      mode: 'runOnceForEachItem',
      jsCode: "return { json: { greeting: 'hi ' + $json.name, index: $itemIndex } }",
    });
    expect(itemsOf(result)).toEqual([
      { json: { greeting: 'hi Ada', index: 0 }, pairedItem: { item: 0 } },
      { json: { greeting: 'hi Grace', index: 1 }, pairedItem: { item: 1 } },
    ]);
  });

  it('wraps a plain object and keeps binary data', async () => {
    const result = await runCode({ mode: 'runOnceForEachItem', jsCode: 'item.json.seen = true;\nreturn item' }, [
      { json: { a: 1 }, binary: { file: { data: 'aGk=', mimeType: 'text/plain' } } },
    ]);
    expect(itemsOf(result)).toEqual([
      { json: { a: 1, seen: true }, binary: { file: { data: 'aGk=', mimeType: 'text/plain' } }, pairedItem: { item: 0 } },
    ]);
    expect(jsonOf(await runCode({ mode: 'runOnceForEachItem', jsCode: 'return { plain: $json.name }' }))).toEqual([
      { plain: 'Ada' },
      { plain: 'Grace' },
    ]);
  });

  it('drops items for which the code returns nothing', async () => {
    const result = await runCode({ mode: 'runOnceForEachItem', jsCode: "if ($json.name === 'Ada') return;\nreturn $input.item" });
    expect(itemsOf(result)).toEqual([{ json: { name: 'Grace' }, pairedItem: { item: 1 } }]);
  });
});

describe('Code node: results n8n rejects', () => {
  it('all items: a non-object', async () => {
    for (const jsCode of ['return 5', 'return "text"', 'const nothing = 1;']) {
      const error = await failureOf(runCode({ jsCode }));
      expect(error.message).toBe("Code doesn't return items properly");
      expect(error.description).toBe('Please return an array of objects, one for each item you would like to output.');
    }
  });

  it('all items: an array holding something other than objects', async () => {
    const error = await failureOf(runCode({ jsCode: 'return [{ a: 1 }, 2]' }));
    expect(error.message).toBe("Code doesn't return items properly");
  });

  it("all items: a 'json' that is not an object", async () => {
    const error = await failureOf(runCode({ jsCode: 'return [{ json: [1, 2] }]' }));
    expect(error.message).toBe("A 'json' property isn't an object [item 0]");
    expect(error.description).toBe("In the returned data, every key named 'json' must point to an object.");
  });

  it('all items: a property beside json', async () => {
    const error = await failureOf(runCode({ jsCode: 'return [{ json: { a: 1 }, extra: 2 }]' }));
    expect(error.message).toBe('Invalid output format [item 0]');
    expect(error.description).toContain('reserved key <code>json</code>');
  });

  it('all items: wrapped and plain items mixed', async () => {
    const error = await failureOf(runCode({ jsCode: 'return [{ json: { a: 1 } }, { b: 2 }]' }));
    expect(error.message).toBe('Unknown top-level item key: b [item 1]');
  });

  it('each item: a non-object', async () => {
    const error = await failureOf(runCode({ mode: 'runOnceForEachItem', jsCode: 'return 42' }));
    expect(error.message).toBe("Code doesn't return an object [item 0]");
    expect(error.description).toBe("Please return an object representing the output item. ('42' was returned instead.)");
    expect(error.itemIndex).toBe(0);
  });

  it('each item: an array', async () => {
    const error = await failureOf(runCode({ mode: 'runOnceForEachItem', jsCode: 'return [{ json: {} }]' }));
    expect(error.message).toBe("Code doesn't return a single object [item 0]");
    expect(error.description).toBe(
      "An array of objects was returned. If you need to output multiple items, please use the 'Run Once for All Items' mode instead.",
    );
  });

  it("each item: a 'json' that is not an object", async () => {
    const error = await failureOf(runCode({ mode: 'runOnceForEachItem', jsCode: 'return { json: "text" }' }));
    expect(error.message).toBe("A 'json' property isn't an object [item 0]");
  });
});

describe('Code node: failures', () => {
  it("reports the code's error with its line (n8n names no item there) and keeps the item index", async () => {
    const error = await failureOf(runCode({ mode: 'runOnceForEachItem', jsCode: 'const a = 1;\nthrow new Error("bad input")' }));
    expect(error.message).toBe('bad input [line 2]');
    expect(error.itemIndex).toBe(0);
  });

  it('once per item, refuses $input.all/first/last/itemMatching before running, as n8n: item 0, the first line naming it', async () => {
    const error = await failureOf(
      runCode({ mode: 'runOnceForEachItem', jsCode: '// $input.first()\nconst x = 1;\nreturn $input.first()' }),
    );
    expect(error.message).toBe("Can't use .first() here [line 3, for item 0]");
    expect(error.description).toBe("This is only available in 'Run Once for All Items' mode");
    expect(error.itemIndex).toBe(0);
  });

  it('keeps the sandbox’s description', async () => {
    const error = await failureOf(runCode({ jsCode: 'return undefinedThing.x' }));
    expect(error.message).toBe('undefinedThing is not defined [line 1]');
    expect(error.description).toBe('ReferenceError');
  });

  it('refuses Python', async () => {
    for (const language of ['python', 'pythonNative']) {
      const error = await failureOf(runCode({ language, pythonCode: 'return []' }));
      expect(error.message).toMatch(/^Python is not supported/);
    }
  });

  it('refuses empty code and unknown modes', async () => {
    await expect(runCode({ jsCode: '  ' })).rejects.toThrow('No code to execute');
    await expect(runCode({ mode: 'sometimes', jsCode: 'return []' })).rejects.toThrow('Unsupported Code node mode: sometimes');
  });

  it('does not treat code starting with "=" as an expression', async () => {
    // An expression would need options.evaluate in testContext and throw; the code reaches the sandbox instead.
    const error = await failureOf(runCode({ jsCode: '=1' }));
    expect(error.message).toMatch(/\[line 1\]$|Unexpected token/);
  });
});
