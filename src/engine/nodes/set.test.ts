import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { setNode } from './set.ts';
import { jsonOf, runNode, testContext } from './test-support.ts';

const binary = { data: { data: 'aGk=', mimeType: 'text/plain', fileName: 'hi.txt' } };

async function run(typeVersion: number, parameters: JsonObject, items: Item[] = [{ json: { keep: 1 } }]) {
  const { result } = await runNode(setNode, { node: { typeVersion }, parameters, items });
  return result;
}

function itemsOf(result: NodeResult): Item[] {
  if (!Array.isArray(result)) throw new Error('expected output');
  return result[0] ?? [];
}

function assignment(name: string, value: unknown, type: string) {
  return { id: name, name, value, type };
}

describe('Set 3.3+ manual mode (assignments)', () => {
  it('converts each value to its type and outputs only the assigned fields by default', async () => {
    const result = await run(3.4, {
      assignments: {
        assignments: [
          assignment('text', 42, 'string'),
          assignment('count', '7', 'number'),
          assignment('flag', 'false', 'boolean'),
          assignment('list', '[1, "b"]', 'array'),
          assignment('object', '{"a": {"b": 1}}', 'object'),
        ],
      },
    });
    expect(jsonOf(result)).toEqual([{ text: '42', count: 7, flag: false, list: [1, 'b'], object: { a: { b: 1 } } }]);
    expect(itemsOf(result)[0]?.pairedItem).toEqual({ item: 0 });
  });

  it('keeps the input fields with includeOtherFields (include defaults to all)', async () => {
    const result = await run(3.4, { includeOtherFields: true, assignments: { assignments: [assignment('added', 'x', 'string')] } });
    expect(jsonOf(result)).toEqual([{ keep: 1, added: 'x' }]);
  });

  it('include selected and except pick input fields from comma lists', async () => {
    const input = [{ json: { a: 1, b: 2, c: { d: 3, e: 4 } } }];
    const selected = await run(
      3.4,
      { includeOtherFields: true, include: 'selected', includeFields: 'a, c.d', assignments: { assignments: [] } },
      input,
    );
    expect(jsonOf(selected)).toEqual([{ a: 1, d: 3 }]);
    const except = await run(
      3.4,
      { includeOtherFields: true, include: 'except', excludeFields: 'b,c.e', assignments: { assignments: [] } },
      input,
    );
    expect(jsonOf(except)).toEqual([{ a: 1, c: { d: 3 } }]);
  });

  it('dot notation nests names (default) unless turned off', async () => {
    const assignments = { assignments: [assignment('a.b', 1, 'number'), assignment('list[1].name', 'x', 'string')] };
    expect(jsonOf(await run(3.4, { assignments }))).toEqual([{ a: { b: 1 }, list: [undefined, { name: 'x' }] }]);
    expect(jsonOf(await run(3.4, { assignments, options: { dotNotation: false } }))).toEqual([{ 'a.b': 1, 'list[1].name': 'x' }]);
  });

  it('an impossible conversion is a NodeOperationError naming field, value and item', async () => {
    const parameters = { assignments: { assignments: [assignment('count', 'abc', 'number')] } };
    const items = [{ json: {} }, { json: {} }];
    await expect(run(3.4, parameters, items)).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: "'count' expects a number but we got 'abc' [item 0]",
      description: expect.stringContaining('Ignore Type Conversion Errors'),
      itemIndex: 0,
    });
  });

  it('ignoreConversionErrors keeps the value as it came', async () => {
    const result = await run(3.4, {
      assignments: { assignments: [assignment('count', 'abc', 'number'), assignment('list', 'nope', 'array')] },
      options: { ignoreConversionErrors: true },
    });
    expect(jsonOf(result)).toEqual([{ count: 'abc', list: 'nope' }]);
  });

  it('a missing value is null', async () => {
    const result = await run(3.4, { assignments: { assignments: [{ id: '1', name: 'nothing', type: 'string' }] } });
    expect(jsonOf(result)).toEqual([{ nothing: null }]);
  });

  it('3.4 keeps binary with the input fields unless stripBinary', async () => {
    const items = [{ json: { a: 1 }, binary }];
    const kept = await run(3.4, { includeOtherFields: true, assignments: { assignments: [] } }, items);
    expect(itemsOf(kept)[0]?.binary).toEqual(binary);
    const stripped = await run(3.4, { includeOtherFields: true, assignments: { assignments: [] }, options: { stripBinary: true } }, items);
    expect(itemsOf(stripped)[0]?.binary).toBeUndefined();
    const onlyAssigned = await run(3.4, { assignments: { assignments: [] } }, items);
    expect(itemsOf(onlyAssigned)[0]?.binary).toBeUndefined();
  });

  it('3.3 passes binary only with options.includeBinary', async () => {
    const items = [{ json: {}, binary }];
    expect(itemsOf(await run(3.3, { includeOtherFields: true }, items))[0]?.binary).toBeUndefined();
    expect(itemsOf(await run(3.3, { includeOtherFields: true, options: { includeBinary: true } }, items))[0]?.binary).toEqual(binary);
  });

  it('does not change the input item', async () => {
    const input = { json: { nested: { a: 1 } } };
    await run(3.4, { includeOtherFields: true, assignments: { assignments: [assignment('nested.b', 2, 'number')] } }, [input]);
    expect(input.json).toEqual({ nested: { a: 1 } });
  });

  it('copies kept input fields the way n8n does: a Date becomes its ISO string', async () => {
    const input = { json: { when: new Date(Date.UTC(2024, 0, 2)) } };
    const result = await run(3.4, { includeOtherFields: true, assignments: { assignments: [] } }, [input]);
    expect(jsonOf(result)).toEqual([{ when: '2024-01-02T00:00:00.000Z' }]);
  });

  it('refuses to write through __proto__', async () => {
    const result = await run(3.4, { assignments: { assignments: [assignment('__proto__.polluted', 'yes', 'string')] } });
    expect(jsonOf(result)).toEqual([{}]);
    expect(({} as JsonObject).polluted).toBeUndefined();
  });
});

describe('Set 3.0–3.2 manual mode (fields.values)', () => {
  it('reads the value from the key its type names', async () => {
    const result = await run(3.2, {
      fields: {
        values: [
          { name: 'n', type: 'numberValue', numberValue: '3.5' },
          { name: 's', stringValue: 'text' },
          { name: 'b', type: 'booleanValue', booleanValue: 'false' },
          { name: 'o', type: 'objectValue', objectValue: '{"x": 1}' },
        ],
      },
      include: 'none',
    });
    expect(jsonOf(result)).toEqual([{ n: 3.5, s: 'text', b: false, o: { x: 1 } }]);
  });

  it('keeps all input fields by default (include defaults to all before 3.3)', async () => {
    const result = await run(3, { fields: { values: [{ name: 'added', type: 'stringValue', stringValue: 'x' }] } });
    expect(jsonOf(result)).toEqual([{ keep: 1, added: 'x' }]);
  });

  it('names the field and the article-less type in errors, like n8n', async () => {
    const parameters = { fields: { values: [{ name: 'list', type: 'arrayValue', arrayValue: 'not a list' }] } };
    await expect(run(3.1, parameters)).rejects.toThrow("'list' expects a array but we got 'not a list' [item 0]");
  });
});

describe('Set raw mode', () => {
  it('parses jsonOutput text and adds its fields', async () => {
    const result = await run(3.4, { mode: 'raw', jsonOutput: '{ "a": 1, "b": { "c": true } }' });
    expect(jsonOf(result)).toEqual([{ a: 1, b: { c: true } }]);
  });

  it('accepts an object and keeps other fields when asked', async () => {
    const result = await run(3.4, { mode: 'raw', jsonOutput: { a: 2 }, includeOtherFields: true });
    expect(jsonOf(result)).toEqual([{ keep: 1, a: 2 }]);
  });

  it('rejects invalid JSON and non-objects', async () => {
    await expect(run(3.4, { mode: 'raw', jsonOutput: '{ broken' })).rejects.toThrow("The 'JSON Output' in item 0 contains invalid JSON");
    await expect(run(3.4, { mode: 'raw', jsonOutput: '[1, 2]' })).rejects.toThrow(
      "The 'JSON Output' in item 0 does not contain a valid JSON object",
    );
  });
});

describe('Set duplicateItem', () => {
  it('repeats each item duplicateCount more times in manual runs', async () => {
    const result = await run(3.4, { duplicateItem: true, duplicateCount: 2, assignments: { assignments: [assignment('x', 1, 'number')] } });
    expect(jsonOf(result)).toEqual([{ x: 1 }, { x: 1 }, { x: 1 }]);
  });

  it('ignores it outside manual runs', async () => {
    const parameters = { duplicateItem: true, duplicateCount: 2, assignments: { assignments: [assignment('x', 1, 'number')] } };
    const ctx = { ...testContext({ node: { type: setNode.type, typeVersion: 3.4 }, parameters }), mode: 'trigger' as const };
    expect(jsonOf(await setNode.execute(ctx))).toEqual([{ x: 1 }]);
  });
});

describe('Set v1/v2', () => {
  const values = {
    boolean: [{ name: 'flag', value: true }],
    number: [{ name: 'count', value: '5' }],
    string: [{ name: 'deep.name', value: 'n' }],
  };

  it('adds the values to the input (keepOnlySet false by default) with dot notation', async () => {
    const result = await run(2, { values }, [{ json: { keep: 1 }, binary }]);
    expect(jsonOf(result)).toEqual([{ keep: 1, flag: true, count: 5, deep: { name: 'n' } }]);
    expect(itemsOf(result)[0]).toMatchObject({ pairedItem: { item: 0 }, binary });
  });

  it('keepOnlySet drops input fields and binary; v1 leaves number strings alone', async () => {
    const result = await run(1, { values, keepOnlySet: true, options: { dotNotation: false } }, [{ json: { keep: 1 }, binary }]);
    expect(jsonOf(result)).toEqual([{ flag: true, count: '5', 'deep.name': 'n' }]);
    expect(itemsOf(result)[0]?.binary).toBeUndefined();
  });

  it('makes one item when there is no input', async () => {
    const result = await run(2, { values: { string: [{ name: 'a', value: 'b' }] } }, []);
    expect(jsonOf(result)).toEqual([{ a: 'b' }]);
  });
});
