import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { ifNode } from './if.ts';
import { jsonOf, runNode } from './test-support.ts';

function pairedOf(result: NodeResult, output: number): Item['pairedItem'][] {
  if (!Array.isArray(result)) throw new Error('expected output');
  return (result[output] ?? []).map((item) => item.pairedItem);
}

async function run(typeVersion: number, parameters: JsonObject, items: Item[]) {
  const { result } = await runNode(ifNode, { node: { typeVersion }, parameters, items });
  return result;
}

/** A filter-format condition on an item field; literal values, as the engine hands them over resolved. */
function greaterThan(left: unknown, right: unknown) {
  return { id: 'c1', leftValue: left, rightValue: right, operator: { type: 'number', operation: 'gt' } };
}

describe('IF v2', () => {
  it('has two outputs', () => {
    expect(ifNode.outputs?.({ name: 'If', type: ifNode.type, typeVersion: 2.2, parameters: {} })).toBe(2);
  });

  it('routes passing items to output 0 and the rest to output 1, with pairedItem', async () => {
    const conditions = {
      options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
      conditions: [{ id: 'c1', leftValue: 'Alice', rightValue: 'alice', operator: { type: 'string', operation: 'equals' } }],
      combinator: 'and',
    };
    const result = await run(2.2, { conditions, options: { ignoreCase: true } }, [{ json: { n: 1 } }]);
    expect(jsonOf(result, 0)).toEqual([{ n: 1 }]);
    expect(jsonOf(result, 1)).toEqual([]);
    expect(pairedOf(result, 0)).toEqual([{ item: 0 }]);
  });

  it('evaluates each item with its own resolved values', async () => {
    const items = [{ json: { v: 5 } }, { json: { v: 1 } }, { json: { v: 9 } }];
    const { result } = await runNode(ifNode, {
      node: { typeVersion: 2.2 },
      parameters: { conditions: { conditions: [greaterThan('={{ $json.v }}', 3)], combinator: 'and' } },
      items,
      evaluate: (_expression, itemIndex) => items[itemIndex]?.json.v,
    });
    expect(jsonOf(result, 0)).toEqual([{ v: 5 }, { v: 9 }]);
    expect(jsonOf(result, 1)).toEqual([{ v: 1 }]);
    expect(pairedOf(result, 0)).toEqual([{ item: 0 }, { item: 2 }]);
    expect(pairedOf(result, 1)).toEqual([{ item: 1 }]);
  });

  it('combinator or passes when any condition does', async () => {
    const conditions = { conditions: [greaterThan(1, 2), greaterThan(3, 2)], combinator: 'or' };
    expect(jsonOf(await run(2, { conditions }, [{ json: {} }]), 0)).toEqual([{}]);
    expect(jsonOf(await run(2, { conditions: { ...conditions, combinator: 'and' } }, [{ json: {} }]), 1)).toEqual([{}]);
  });

  it('a strict type mismatch fails the node with n8n’s message', async () => {
    const conditions = { options: { typeValidation: 'strict' }, conditions: [greaterThan('5', 3)], combinator: 'and' };
    await expect(run(2.2, { conditions }, [{ json: {} }])).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: "Wrong type: '5' is a string but was expecting a number [condition 0, item 0]",
      itemIndex: 0,
    });
  });

  it('looseTypeValidation converts instead', async () => {
    const conditions = { conditions: [greaterThan('5', 3)], combinator: 'and' };
    expect(jsonOf(await run(2.2, { conditions, looseTypeValidation: true }, [{ json: { a: 1 } }]), 0)).toEqual([{ a: 1 }]);
  });

  it('keeps binary data on routed items', async () => {
    const binary = { file: { data: 'eA==', mimeType: 'text/plain' } };
    const result = await run(2, { conditions: { conditions: [greaterThan(2, 1)], combinator: 'and' } }, [{ json: {}, binary }]);
    expect(Array.isArray(result) && result[0]?.[0]?.binary).toEqual(binary);
  });
});

describe('IF v1', () => {
  const items = [{ json: { id: 1 } }, { json: { id: 2 } }];

  it('all: every condition of every type must pass', async () => {
    const parameters = {
      conditions: {
        string: [{ value1: 'hello', operation: 'startsWith', value2: 'he' }],
        number: [{ value1: 10, operation: 'largerEqual', value2: 10 }],
        boolean: [{ value1: true, operation: 'equal', value2: true }],
        dateTime: [{ value1: '2024-02-01', operation: 'after', value2: '2024-01-01' }],
      },
      combineOperation: 'all',
    };
    const result = await run(1, parameters, items);
    expect(jsonOf(result, 0)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(jsonOf(result, 1)).toEqual([]);
  });

  it('all fails on the first failing condition; any passes on the first passing one', async () => {
    const conditions = {
      number: [{ value1: 1, operation: 'larger', value2: 5 }],
      string: [{ value1: 'abc', operation: 'contains', value2: 'b' }],
    };
    expect(jsonOf(await run(1, { conditions, combineOperation: 'all' }, items), 1)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(jsonOf(await run(1, { conditions, combineOperation: 'any' }, items), 0)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('isEmpty / regex operations', async () => {
    const conditions = {
      string: [
        { value1: '', operation: 'isEmpty' },
        { value1: 'Order-7', operation: 'regex', value2: '/order-\\d/i' },
      ],
    };
    expect(jsonOf(await run(1, { conditions }, [{ json: {} }]), 0)).toEqual([{}]);
  });

  it('an invalid date fails with n8n’s message', async () => {
    const conditions = { dateTime: [{ value1: 'not a date', operation: 'before', value2: '2024-01-01' }] };
    await expect(run(1, { conditions }, [{ json: {} }])).rejects.toMatchObject({
      message: 'The value "not a date" is not a valid DateTime.',
      itemIndex: 0,
    });
  });
});
