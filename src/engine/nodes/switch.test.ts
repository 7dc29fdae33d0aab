import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../node-types.ts';
import type { Item, JsonObject, WorkflowNode } from '../types.ts';
import { switchNode } from './switch.ts';
import { runNode } from './test-support.ts';

const items: Item[] = [{ json: { n: 1 } }, { json: { n: 5 } }, { json: { n: 50 } }];

/** Each output as the `n` values it received. */
function routes(result: NodeResult): number[][] {
  if (!Array.isArray(result)) throw new Error('expected output');
  return result.map((output) => (output ?? []).map((item) => item.json.n as number));
}

/** A rule "n > threshold"; the left value is an expression the test resolves to the item's n. */
function above(threshold: number, extra: JsonObject = {}) {
  return {
    conditions: {
      options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
      conditions: [{ id: 'c', leftValue: '={{ $json.n }}', rightValue: threshold, operator: { type: 'number', operation: 'gt' } }],
      combinator: 'and',
    },
    ...extra,
  };
}

/** Every expression in these tests reads the item's n, unless the test resolves them itself. */
async function run(
  typeVersion: number,
  parameters: JsonObject,
  input: Item[] = items,
  evaluate = (_: string, itemIndex: number) => input[itemIndex]?.json.n,
) {
  const { result } = await runNode(switchNode, { node: { typeVersion }, parameters, items: input, evaluate });
  return result;
}

function node(typeVersion: number, parameters: JsonObject): WorkflowNode {
  return { name: 'Switch', type: switchNode.type, typeVersion, parameters };
}

describe('Switch v3 rules mode', () => {
  it('counts one output per rule, plus the extra fallback', () => {
    expect(switchNode.outputs?.(node(3.2, { rules: { values: [above(1), above(2)] } }))).toBe(2);
    expect(switchNode.outputs?.(node(3.2, { rules: { values: [above(1)] }, options: { fallbackOutput: 'extra' } }))).toBe(2);
    expect(switchNode.outputs?.(node(3, { mode: 'expression', numberOutputs: 3 }))).toBe(3);
    expect(switchNode.outputs?.(node(3, { mode: 'expression' }))).toBe(4);
  });

  it('never has more outputs than the engine allocates, whatever numberOutputs says', () => {
    expect(switchNode.outputs?.(node(3, { mode: 'expression', numberOutputs: 1_000_000_000 }))).toBe(1001);
    expect(switchNode.outputs?.(node(2, { mode: 'expression', outputsAmount: 1e9 }))).toBe(1001);
  });

  it('sends each item to the first matching rule only; unmatched items are dropped', async () => {
    const result = await run(3.2, { rules: { values: [above(10), above(2)] } });
    expect(routes(result)).toEqual([[50], [5]]);
    expect(Array.isArray(result) && result[1]?.[0]?.pairedItem).toEqual({ item: 1 });
  });

  it('allMatchingOutputs sends an item to every matching rule', async () => {
    const result = await run(3.2, { rules: { values: [above(10), above(2)] }, options: { allMatchingOutputs: true } });
    expect(routes(result)).toEqual([[50], [5, 50]]);
  });

  it('fallbackOutput extra collects the unmatched on an output of its own', async () => {
    const result = await run(3.2, { rules: { values: [above(10), above(2)] }, options: { fallbackOutput: 'extra' } });
    expect(routes(result)).toEqual([[50], [5], [1]]);
  });

  it('fallbackOutput as an index reuses a rule output', async () => {
    const result = await run(3.2, { rules: { values: [above(10), above(2)] }, options: { fallbackOutput: 0 } });
    expect(routes(result)).toEqual([[1, 50], [5]]);
  });

  it('a fallback index past the outputs is n8n’s error', async () => {
    await expect(run(3.2, { rules: { values: [above(10)] }, options: { fallbackOutput: 1 } })).rejects.toMatchObject({
      message: 'The ouput 1 is not allowed. ',
      description: 'Output indexes are zero based, if you want to use the extra output use 0',
      itemIndex: 0,
    });
  });

  it('ignoreCase and looseTypeValidation apply to every rule', async () => {
    const rule = {
      conditions: {
        conditions: [{ id: 'c', leftValue: 'ABC', rightValue: 'abc', operator: { type: 'string', operation: 'equals' } }],
        combinator: 'and',
      },
    };
    expect(routes(await run(3.2, { rules: { values: [rule] } }, [{ json: { n: 7 } }]))).toEqual([[]]);
    expect(routes(await run(3.2, { rules: { values: [rule] }, options: { ignoreCase: true } }, [{ json: { n: 7 } }]))).toEqual([[7]]);
    const numeric = {
      conditions: { conditions: [{ id: 'c', leftValue: '8', rightValue: 2, operator: { type: 'number', operation: 'gt' } }] },
    };
    await expect(run(3.2, { rules: { values: [numeric] } }, [{ json: { n: 8 } }])).rejects.toThrow(/^Wrong type: '8' is a string/);
    expect(routes(await run(3.2, { rules: { values: [numeric] }, looseTypeValidation: true }, [{ json: { n: 8 } }]))).toEqual([[8]]);
  });
});

describe('Switch v3 expression mode', () => {
  it('routes each item to the index `output` resolves to', async () => {
    const outputFor = (_: string, itemIndex: number) => ((items[itemIndex]?.json.n as number) > 2 ? 2 : 0);
    const result = await run(3, { mode: 'expression', numberOutputs: 3, output: '={{ $json.n > 2 ? 2 : 0 }}' }, items, outputFor);
    expect(routes(result)).toEqual([[1], [], [5, 50]]);
  });

  it('rejects an index outside the outputs', async () => {
    await expect(run(3, { mode: 'expression', numberOutputs: 2, output: 5 })).rejects.toMatchObject({
      message: 'The ouput 5 is not allowed',
      description: 'It has to be between 0 and 1',
    });
  });
});

describe('Switch v1/v2', () => {
  const rules = {
    rules: [
      { operation: 'larger', value2: 10, output: 3 },
      { operation: 'larger', value2: 2, output: 1 },
    ],
  };

  it('v2: one output per rule, first match wins, fallbackOutput by index', async () => {
    const result = await run(2, { dataType: 'number', value1: '={{ $json.n }}', rules, fallbackOutput: 1 });
    expect(switchNode.outputs?.(node(2, { rules }))).toBe(2);
    expect(routes(result)).toEqual([[50], [1, 5]]);
  });

  it('v1: four outputs, rules name theirs', async () => {
    const result = await run(1, { dataType: 'number', value1: '={{ $json.n }}', rules });
    expect(switchNode.outputs?.(node(1, {}))).toBe(4);
    expect(routes(result)).toEqual([[], [5], [], [50]]);
  });

  it('string rules and an out-of-range output', async () => {
    const stringRules = { rules: [{ operation: 'startsWith', value2: 'ab', output: 7 }] };
    await expect(run(1, { dataType: 'string', value1: 'abc', rules: stringRules }, [{ json: { n: 0 } }])).rejects.toThrow(
      'The ouput 7 is not allowed. It has to be between 0 and 3!',
    );
  });
});
