import { describe, expect, it } from 'vitest';
import type { Item, JsonObject } from '../types.ts';
import { filterNode } from './filter.ts';
import { jsonOf, runNode } from './test-support.ts';

const items: Item[] = [
  { json: { name: 'Ann', tags: ['vip'] } },
  { json: { name: 'bob', tags: [] } },
  { json: { name: 'Cy', tags: ['vip', 'new'] } },
];

async function run(typeVersion: number, parameters: JsonObject, evaluate?: (expression: string, itemIndex: number) => unknown) {
  const { result } = await runNode(filterNode, { node: { typeVersion }, parameters, items, evaluate });
  return result;
}

describe('Filter v2', () => {
  it('keeps the passing items on output 0 and returns the discarded ones as a second output, with their pairedItem', async () => {
    const conditions = {
      options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
      conditions: [
        { id: 'c', leftValue: '={{ $json.tags }}', rightValue: '', operator: { type: 'array', operation: 'notEmpty', singleValue: true } },
      ],
      combinator: 'and',
    };
    const result = await run(2.2, { conditions }, (_expression, itemIndex) => items[itemIndex]?.json.tags);
    expect(filterNode.outputs).toBeUndefined();
    expect(Array.isArray(result) && result.length).toBe(2);
    expect(jsonOf(result)).toEqual([items[0]?.json, items[2]?.json]);
    expect(Array.isArray(result) && result[0]?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
    expect(jsonOf(result, 1)).toEqual([items[1]?.json]);
    expect(Array.isArray(result) && result[1]?.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
  });

  it('options.ignoreCase applies to string comparisons', async () => {
    const conditions = {
      conditions: [{ id: 'c', leftValue: '={{ $json.name }}', rightValue: 'B', operator: { type: 'string', operation: 'startsWith' } }],
      combinator: 'and',
    };
    const name = (_expression: string, itemIndex: number) => items[itemIndex]?.json.name;
    expect(jsonOf(await run(2, { conditions }, name))).toEqual([]);
    expect(jsonOf(await run(2, { conditions, options: { ignoreCase: true } }, name))).toEqual([{ name: 'bob', tags: [] }]);
  });

  it('v2 reads looseTypeValidation from options; strict mode fails on the wrong type', async () => {
    const conditions = {
      conditions: [{ id: 'c', leftValue: '3', rightValue: 2, operator: { type: 'number', operation: 'gt' } }],
      combinator: 'and',
    };
    await expect(run(2, { conditions })).rejects.toThrow("Wrong type: '3' is a string but was expecting a number [condition 0, item 0]");
    expect(jsonOf(await run(2, { conditions, options: { looseTypeValidation: true } }))).toHaveLength(3);
  });
});

describe('Filter v1', () => {
  it('uses IF v1 condition lists, combined with combineConditions (AND by default, or OR)', async () => {
    const conditions = {
      string: [
        { value1: '={{ $json.name }}', operation: 'startsWith', value2: 'A' },
        { value1: '={{ $json.name }}', operation: 'endsWith', value2: 'y' },
      ],
    };
    const name = (_expression: string, itemIndex: number) => items[itemIndex]?.json.name;
    expect(jsonOf(await run(1, { conditions }, name))).toEqual([]);
    expect(jsonOf(await run(1, { conditions, combineConditions: 'AND' }, name), 1)).toHaveLength(3);
    expect(jsonOf(await run(1, { conditions, combineConditions: 'OR' }, name)).map((json) => json.name)).toEqual(['Ann', 'Cy']);
    expect(jsonOf(await run(1, { conditions, combineConditions: 'OR' }, name), 1)).toEqual([items[1]?.json]);
  });
});
