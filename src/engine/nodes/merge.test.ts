import { describe, expect, it } from 'vitest';
import type { Item, JsonObject } from '../types.ts';
import { mergeNode } from './merge.ts';
import { jsonOf, runNode } from './test-support.ts';

const jsonItems = (...jsons: JsonObject[]): Item[] => jsons.map((json) => ({ json }));

async function merge(typeVersion: number, parameters: JsonObject, inputs: Item[][]) {
  return (await runNode(mergeNode, { node: { typeVersion }, parameters, inputs })).result;
}

const node = (typeVersion: number, parameters: JsonObject = {}) => ({ name: 'Merge', type: mergeNode.type, typeVersion, parameters });

describe('merge: inputs', () => {
  it('has two inputs, or numberInputs from v3 on', () => {
    expect(mergeNode.inputs?.(node(3))).toBe(2);
    expect(mergeNode.inputs?.(node(3.2, { numberInputs: 4 }))).toBe(4);
    expect(mergeNode.inputs?.(node(2.1, { numberInputs: 4 }))).toBe(2);
    expect(mergeNode.inputs?.(node(1))).toBe(2);
  });

  it('never has more inputs than the engine allocates, whatever numberInputs says', () => {
    expect(mergeNode.inputs?.(node(3.2, { numberInputs: 1_000_000_000 }))).toBe(1001);
  });
});

describe('merge v3: append', () => {
  it('outputs input 1 items then input 2 items, paired with their input', async () => {
    expect(await merge(3, { mode: 'append' }, [jsonItems({ a: 1 }, { a: 2 }), jsonItems({ b: 1 })])).toEqual([
      [
        { json: { a: 1 }, pairedItem: { item: 0 } },
        { json: { a: 2 }, pairedItem: { item: 1 } },
        { json: { b: 1 }, pairedItem: { item: 0, input: 1 } },
      ],
    ]);
  });

  it('appends every configured input and copes with an empty one', async () => {
    const result = await merge(3, { mode: 'append', numberInputs: 3 }, [jsonItems({ a: 1 }), [], jsonItems({ c: 1 })]);
    expect(result).toEqual([
      [
        { json: { a: 1 }, pairedItem: { item: 0 } },
        { json: { c: 1 }, pairedItem: { item: 0, input: 2 } },
      ],
    ]);
    expect(await merge(3, {}, [[], jsonItems({ b: 1 })])).toEqual([[{ json: { b: 1 }, pairedItem: { item: 0, input: 1 } }]]);
  });
});

describe('merge v3: combine by position', () => {
  const byPosition = (options: JsonObject = {}) => ({ mode: 'combine', combineBy: 'combineByPosition', options });
  const input1 = jsonItems({ a: 1, x: 'one' }, { a: 2 });
  const input2 = jsonItems({ b: 1, x: 'two' });

  it('merges item i of each input, the last input winning clashes', async () => {
    expect(await merge(3, byPosition(), [input1, input2])).toEqual([
      [{ json: { a: 1, x: 'two', b: 1 }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }, { item: 0, input: 1 }] }],
    ]);
  });

  it('keeps unpaired items with includeUnpaired, and outputs nothing when an input is empty', async () => {
    const result = await merge(3, byPosition({ includeUnpaired: true }), [input1, input2]);
    expect(result).toEqual([
      [
        { json: { a: 1, x: 'two', b: 1 }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }, { item: 0, input: 1 }] },
        { json: { a: 2 }, pairedItem: [{ item: 1 }] },
      ],
    ]);
    expect(await merge(3, byPosition(), [input1, []])).toEqual([[]]);
  });

  it('resolves clashes with preferInput1 or addSuffix', async () => {
    const preferFirst = await merge(3, byPosition({ clashHandling: { values: { resolveClash: 'preferInput1' } } }), [input1, input2]);
    expect(jsonOf(preferFirst)).toEqual([{ a: 1, x: 'one', b: 1 }]);
    const suffixed = await merge(3, byPosition({ clashHandling: { values: { resolveClash: 'addSuffix' } } }), [input1, input2]);
    // n8n picks the preferred (last) input before suffixing, so its fields also come out as they are
    expect(jsonOf(suffixed)).toEqual([{ a_1: 1, x_1: 'one', b_2: 1, x_2: 'two', b: 1, x: 'two' }]);
  });

  it('merges nested fields deeply (lists by index) unless shallowMerge, and can keep filled values', async () => {
    const nested = [jsonItems({ o: { p: 1, q: [1, 2, 3] }, e: 'kept' }), jsonItems({ o: { r: 2, q: [9] }, e: '' })];
    expect(jsonOf(await merge(3, byPosition(), nested))).toEqual([{ o: { p: 1, q: [9, 2, 3], r: 2 }, e: '' }]);
    const shallow = byPosition({ clashHandling: { values: { resolveClash: 'preferLast', mergeMode: 'shallowMerge' } } });
    expect(jsonOf(await merge(3, shallow, nested))).toEqual([{ o: { r: 2, q: [9] }, e: '' }]);
    const minimize = byPosition({ clashHandling: { values: { resolveClash: 'preferLast', mergeMode: 'deepMerge', overrideEmpty: true } } });
    expect(jsonOf(await merge(3, minimize, nested))).toEqual([{ o: { p: 1, q: [9, 2, 3], r: 2 }, e: 'kept' }]);
  });

  it('does not change its input items', async () => {
    const first = jsonItems({ o: { q: [1, 2] } });
    await merge(3, byPosition(), [first, jsonItems({ o: { q: [9] } })]);
    expect(first).toEqual([{ json: { o: { q: [1, 2] } } }]);
  });
});

describe('merge v3: combine by matching fields', () => {
  const people = jsonItems({ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3 });
  const countries = jsonItems({ id: 1, country: 'PL' }, { id: '2', country: 'FR' }, { id: 4, country: 'US' }, { id: 1, country: 'DE' });
  const byFields = (extra: JsonObject = {}) => ({ mode: 'combine', combineBy: 'combineByFields', fieldsToMatchString: 'id', ...extra });

  it('keeps matches merged together, one item per matching pair (input 2 wins clashes)', async () => {
    expect(await merge(3, byFields(), [people, countries])).toEqual([
      [
        { json: { id: 1, name: 'a', country: 'PL' }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }] },
        { json: { id: 1, name: 'a', country: 'DE' }, pairedItem: [{ item: 0 }, { item: 3, input: 1 }] },
      ],
    ]);
  });

  it('matches loosely with fuzzyCompare and only once with multipleMatches first', async () => {
    expect(jsonOf(await merge(3, byFields({ options: { fuzzyCompare: true } }), [people, countries]))).toEqual([
      { id: 1, name: 'a', country: 'PL' },
      { id: 1, name: 'a', country: 'DE' },
      { id: '2', name: 'b', country: 'FR' },
    ]);
    expect(jsonOf(await merge(3, byFields({ options: { multipleMatches: 'first' } }), [people, countries]))).toEqual([
      { id: 1, name: 'a', country: 'PL' },
    ]);
  });

  it('outputs the matching items of one input with outputDataFrom', async () => {
    expect(await merge(3, byFields({ outputDataFrom: 'input1' }), [people, countries])).toEqual([
      [{ json: { id: 1, name: 'a' }, pairedItem: { item: 0 } }],
    ]);
    expect(await merge(3, byFields({ outputDataFrom: 'input2' }), [people, countries])).toEqual([
      [
        { json: { id: 1, country: 'PL' }, pairedItem: { item: 0, input: 1 } },
        { json: { id: 1, country: 'DE' }, pairedItem: { item: 3, input: 1 } },
      ],
    ]);
  });

  it('keeps the items without a match with keepNonMatches, tagged with their input', async () => {
    expect(jsonOf(await merge(3, byFields({ joinMode: 'keepNonMatches' }), [people, countries]))).toEqual([
      { id: 2, name: 'b', _source: 'input1' },
      { id: 3, _source: 'input1' },
      { id: '2', country: 'FR', _source: 'input2' },
      { id: 4, country: 'US', _source: 'input2' },
    ]);
    expect(jsonOf(await merge(3, byFields({ joinMode: 'keepNonMatches', outputDataFrom: 'input1' }), [people, countries]))).toEqual([
      { id: 2, name: 'b' },
      { id: 3 },
    ]);
  });

  it('keeps everything (outer join)', async () => {
    expect(jsonOf(await merge(3, byFields({ joinMode: 'keepEverything' }), [people, countries]))).toEqual([
      { id: 1, name: 'a', country: 'PL' },
      { id: 1, name: 'a', country: 'DE' },
      { id: 2, name: 'b' },
      { id: 3 },
      { id: '2', country: 'FR' },
      { id: 4, country: 'US' },
    ]);
  });

  it('enriches input 1 (left join) and input 2 (right join, input 1 winning clashes)', async () => {
    const left = jsonItems({ id: 1, v: 'left' }, { id: 5 });
    const right = jsonItems({ id: 1, v: 'right' }, { id: 6 });
    expect(await merge(3, byFields({ joinMode: 'enrichInput1' }), [left, right])).toEqual([
      [
        { json: { id: 1, v: 'right' }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }] },
        { json: { id: 5 }, pairedItem: { item: 1 } },
      ],
    ]);
    expect(await merge(3, byFields({ joinMode: 'enrichInput2' }), [left, right])).toEqual([
      [
        { json: { id: 1, v: 'left' }, pairedItem: [{ item: 0, input: 1 }, { item: 0 }] },
        { json: { id: 6 }, pairedItem: { item: 1, input: 1 } },
      ],
    ]);
    const suffixed = byFields({ joinMode: 'enrichInput1', options: { clashHandling: { values: { resolveClash: 'addSuffix' } } } });
    expect(jsonOf(await merge(3, suffixed, [left, right]))).toEqual([{ id_1: 1, v_1: 'left', id_2: 1, v_2: 'right' }, { id_1: 5 }]);
  });

  it('matches differently named (and nested) fields with advanced', async () => {
    const parameters = {
      mode: 'combine',
      combineBy: 'combineByFields',
      advanced: true,
      mergeByFields: { values: [{ field1: 'user.id', field2: 'key' }] },
    };
    expect(jsonOf(await merge(3, parameters, [jsonItems({ user: { id: 7 } }, { user: {} }), jsonItems({ key: 7, ok: true })]))).toEqual([
      { user: { id: 7 }, key: 7, ok: true },
    ]);
  });

  it('handles an empty input as n8n does', async () => {
    // keepMatches (and enriching an empty side) stops without any output in v3; v2 still returns one empty output
    expect(await merge(3, byFields(), [people, []])).toEqual([]);
    expect(await merge(3, byFields({ outputDataFrom: 'input1' }), [[], people])).toEqual([]);
    expect(await merge(3, byFields({ joinMode: 'enrichInput2' }), [people, []])).toEqual([]);
    expect(await merge(2.1, { mode: 'combine', mergeByFields: { values: [{ field1: 'id', field2: 'id' }] } }, [people, []])).toEqual([[]]);
    expect(jsonOf(await merge(3, byFields({ joinMode: 'enrichInput1' }), [jsonItems({ id: 1 }), []]))).toEqual([{ id: 1 }]);
    expect(jsonOf(await merge(3, byFields({ joinMode: 'keepNonMatches', outputDataFrom: 'input2' }), [people, []]))).toEqual([]);
    expect(jsonOf(await merge(3, byFields({ joinMode: 'keepNonMatches' }), [[], jsonItems({ id: 9 })]))).toEqual([{ id: 9 }]);
  });

  it('requires the fields to match', async () => {
    await expect(merge(3, byFields({ fieldsToMatchString: '' }), [people, countries])).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: 'You need to define at least one pair of fields in "Fields to Match" to match on',
    });
    await expect(
      merge(3, { mode: 'combine', advanced: true, mergeByFields: { values: [{ field1: 'id', field2: '' }] } }, [people, countries]),
    ).rejects.toThrow(`You need to define both fields in "Fields to Match" for pair 1, field 1 = 'id' field 2 = ''`);
  });
});

describe('merge v3: all combinations, choose branch', () => {
  it('pairs every input 1 item with every input 2 item', async () => {
    expect(
      await merge(3, { mode: 'combine', combineBy: 'combineAll' }, [jsonItems({ a: 1 }, { a: 2 }), jsonItems({ b: 1 }, { b: 2 })]),
    ).toEqual([
      [
        { json: { a: 1, b: 1 }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }] },
        { json: { a: 1, b: 2 }, pairedItem: [{ item: 0 }, { item: 1, input: 1 }] },
        { json: { a: 2, b: 1 }, pairedItem: [{ item: 1 }, { item: 0, input: 1 }] },
        { json: { a: 2, b: 2 }, pairedItem: [{ item: 1 }, { item: 1, input: 1 }] },
      ],
    ]);
    const preferFirst = {
      mode: 'combine',
      combineBy: 'combineAll',
      options: { clashHandling: { values: { resolveClash: 'preferInput1' } } },
    };
    expect(await merge(3, preferFirst, [jsonItems({ x: 1 }), jsonItems({ x: 2 })])).toEqual([
      [{ json: { x: 1 }, pairedItem: [{ item: 0, input: 1 }, { item: 0 }] }],
    ]);
    expect(await merge(3, { mode: 'combine', combineBy: 'combineAll' }, [jsonItems({ x: 1 }), []])).toEqual([[]]);
  });

  it('outputs the chosen input, or a single empty item', async () => {
    const inputs = [jsonItems({ a: 1 }), jsonItems({ b: 1 }, { b: 2 })];
    expect(await merge(3, { mode: 'chooseBranch' }, inputs)).toEqual([[{ json: { a: 1 }, pairedItem: { item: 0 } }]]);
    expect(jsonOf(await merge(3, { mode: 'chooseBranch', useDataOfInput: 2 }, inputs))).toEqual([{ b: 1 }, { b: 2 }]);
    expect(jsonOf(await merge(3, { mode: 'chooseBranch', output: 'input2' }, inputs))).toEqual([{ b: 1 }, { b: 2 }]);
    expect(await merge(3, { mode: 'chooseBranch', chooseBranchMode: 'waitForAll', output: 'empty' }, inputs)).toEqual([
      [{ json: {}, pairedItem: [{ item: 0 }, { item: 0, input: 1 }, { item: 1, input: 1 }] }],
    ]);
    await expect(merge(3, { mode: 'chooseBranch', useDataOfInput: 3 }, inputs)).rejects.toMatchObject({
      message: "Input 3 doesn't exist",
      description: 'The node has only 2 inputs, so selecting input 3 is not possible.',
    });
  });

  it('rejects SQL mode', async () => {
    await expect(merge(3, { mode: 'combineBySql', query: 'SELECT 1' }, [[], []])).rejects.toThrow(
      'Merge mode "SQL Query" is not supported',
    );
  });
});

describe('merge v2', () => {
  it('merges by fields from mergeByFields.values; v2.0 requires the fields to exist', async () => {
    const parameters = { mode: 'combine', mergeByFields: { values: [{ field1: 'id', field2: 'id' }] } };
    expect(jsonOf(await merge(2.1, parameters, [jsonItems({ id: 1, a: 1 }), jsonItems({ id: 1, b: 2 })]))).toEqual([{ id: 1, a: 1, b: 2 }]);
    await expect(merge(2, parameters, [jsonItems({ id: 1 }), jsonItems({ other: 1 })])).rejects.toThrow(
      "Field 'id' is not present in any of items in 'Input 2'",
    );
  });

  it('merges by position, passing one input through when the other is empty', async () => {
    const parameters = { mode: 'combine', combinationMode: 'mergeByPosition', options: { includeUnpaired: true } };
    expect(await merge(2, parameters, [jsonItems({ x: 1 }, { y: 1 }), jsonItems({ x: 2 })])).toEqual([
      [
        { json: { x: 2 }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }] },
        { json: { y: 1 }, pairedItem: { item: 1 } },
      ],
    ]);
    expect(jsonOf(await merge(2, { mode: 'combine', combinationMode: 'mergeByPosition' }, [[], jsonItems({ z: 1 })]))).toEqual([{ z: 1 }]);
  });

  it('multiplexes and chooses a branch with v2 names', async () => {
    expect(
      jsonOf(await merge(2, { mode: 'combine', combinationMode: 'multiplex' }, [jsonItems({ a: 1 }), jsonItems({ b: 1 }, { b: 2 })])),
    ).toEqual([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
    ]);
    const inputs = [jsonItems({ a: 1 }), jsonItems({ b: 1 })];
    expect(jsonOf(await merge(2, { mode: 'chooseBranch', chooseBranchMode: 'waitForBoth' }, inputs))).toEqual([{ a: 1 }]);
    expect(jsonOf(await merge(2, { mode: 'chooseBranch', output: 'input2' }, inputs))).toEqual([{ b: 1 }]);
  });
});

describe('merge v1', () => {
  const left = jsonItems({ k: 'a', v: 1, keep: 'x' }, { k: 2, v: 2 }, { v: 3 });
  const right = jsonItems({ k: '2', v: 20, keep: 'y' }, { k: 'a', v: 10, keep: '' });

  it('merges by index with left, inner and outer joins', async () => {
    const one = jsonItems({ a: 1 });
    const two = jsonItems({ b: 1 }, { b: 2 });
    expect(await merge(1, { mode: 'mergeByIndex' }, [one, two])).toEqual([
      [{ json: { a: 1, b: 1 }, pairedItem: [{ item: 0 }, { item: 0, input: 1 }] }],
    ]);
    expect(jsonOf(await merge(1, { mode: 'mergeByIndex', join: 'outer' }, [one, two]))).toEqual([{ a: 1, b: 1 }, { b: 2 }]);
    expect(jsonOf(await merge(1, { mode: 'mergeByIndex', join: 'inner' }, [one, []]))).toEqual([]);
    expect(jsonOf(await merge(1, { mode: 'mergeByIndex', join: 'left' }, [one, []]))).toEqual([{ a: 1 }]);
  });

  it('merges by key, comparing keys as text; items without a key are dropped', async () => {
    const parameters = { mode: 'mergeByKey', propertyName1: 'k', propertyName2: 'k' };
    expect(await merge(1, parameters, [left, right])).toEqual([
      [
        { json: { k: 'a', v: 10, keep: '' }, pairedItem: { item: 0 } },
        { json: { k: 2, v: 20, keep: 'y' }, pairedItem: { item: 1 } },
      ],
    ]);
    expect(jsonOf(await merge(1, { ...parameters, overwrite: 'blank' }, [left, right]))).toEqual([
      { k: 'a', v: 1, keep: 'x' },
      { k: 2, v: 2, keep: 'y' },
    ]);
    expect(jsonOf(await merge(1, { ...parameters, overwrite: 'undefined' }, [left, right]))).toEqual([
      { k: 'a', v: 1, keep: 'x' },
      { k: 2, v: 2, keep: 'y' },
    ]);
  });

  it('keeps or removes key matches', async () => {
    expect(
      jsonOf(await merge(1, { mode: 'keepKeyMatches', propertyName1: 'k', propertyName2: 'k' }, [left, jsonItems({ k: 'a' })])),
    ).toEqual([{ k: 'a', v: 1, keep: 'x' }]);
    expect(
      jsonOf(await merge(1, { mode: 'removeKeyMatches', propertyName1: 'k', propertyName2: 'k' }, [left, jsonItems({ k: 'a' })])),
    ).toEqual([{ k: 2, v: 2 }, { v: 3 }]);
  });

  it('passes one input through, waits, multiplexes', async () => {
    const inputs = [jsonItems({ a: 1 }, { a: 2 }), jsonItems({ b: 1 })];
    expect(await merge(1, { mode: 'passThrough', output: 'input2' }, inputs)).toEqual([
      [{ json: { b: 1 }, pairedItem: { item: 0, input: 1 } }],
    ]);
    expect(jsonOf(await merge(1, { mode: 'passThrough' }, inputs))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await merge(1, { mode: 'wait' }, inputs)).toEqual([[{ json: {}, pairedItem: [{ item: 0 }, { item: 1 }] }]]);
    expect(jsonOf(await merge(1, { mode: 'multiplex' }, inputs))).toEqual([
      { a: 1, b: 1 },
      { a: 2, b: 1 },
    ]);
  });
});

describe('merge: field paths as lodash get reads them', () => {
  it('matches on bracket paths (v3 by fields, v1 by key)', async () => {
    const input1 = jsonItems({ keys: [1], a: 1 }, { keys: [2], a: 2 });
    const input2 = jsonItems({ ref: { 'the.id': 2 }, b: 2 });
    const v3 = await merge(
      3,
      {
        mode: 'combine',
        combineBy: 'combineByFields',
        advanced: true,
        mergeByFields: { values: [{ field1: 'keys[0]', field2: 'ref["the.id"]' }] },
      },
      [input1, input2],
    );
    expect(jsonOf(v3)).toEqual([{ keys: [2], a: 2, ref: { 'the.id': 2 }, b: 2 }]);
    const v1 = await merge(1, { mode: 'keepKeyMatches', propertyName1: 'keys[0]', propertyName2: 'ref["the.id"]' }, [input1, input2]);
    expect(jsonOf(v1)).toEqual([{ keys: [2], a: 2 }]);
  });
});
