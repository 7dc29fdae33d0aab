import { describe, expect, it } from 'vitest';
import { splitOutNode } from './split-out.ts';
import { jsonOf, runNode } from './test-support.ts';

describe('splitOut', () => {
  it('makes each object element an item of its own, paired with its source item', async () => {
    const { result } = await runNode(splitOutNode, {
      items: [{ json: { id: 1, list: [{ a: 1 }, { a: 2 }] } }, { json: { id: 2, list: [{ a: 3 }] } }],
      parameters: { fieldToSplitOut: 'list' },
    });
    expect(result).toEqual([
      [
        { json: { a: 1 }, pairedItem: { item: 0 } },
        { json: { a: 2 }, pairedItem: { item: 0 } },
        { json: { a: 3 }, pairedItem: { item: 1 } },
      ],
    ]);
  });

  it('wraps other elements in a field named after the split field', async () => {
    const { result } = await runNode(splitOutNode, {
      items: [{ json: { list: [1, 'two', null], obj: { x: 1, y: 2 }, s: 'abc' } }],
      parameters: { fieldToSplitOut: 'list' },
    });
    expect(jsonOf(result)).toEqual([{ list: 1 }, { list: 'two' }, { list: null }]);
    const values = await runNode(splitOutNode, { items: [{ json: { obj: { x: 1, y: 2 } } }], parameters: { fieldToSplitOut: 'obj' } });
    expect(jsonOf(values.result)).toEqual([{ obj: 1 }, { obj: 2 }]);
    const single = await runNode(splitOutNode, { items: [{ json: { s: 'abc' } }], parameters: { fieldToSplitOut: '$json.s' } });
    expect(jsonOf(single.result)).toEqual([{ s: 'abc' }]);
  });

  it('outputs nothing for an item without the field', async () => {
    const { result } = await runNode(splitOutNode, {
      items: [{ json: { other: 1 } }, { json: { list: [5] } }],
      parameters: { fieldToSplitOut: 'list' },
    });
    expect(result).toEqual([[{ json: { list: 5 }, pairedItem: { item: 1 } }]]);
  });

  it('copies the other fields with allOtherFields, removing the split one (by dot path)', async () => {
    const { result } = await runNode(splitOutNode, {
      items: [{ json: { id: 1, data: { rows: [{ a: 1 }, 2], meta: 'm' } } }],
      parameters: { fieldToSplitOut: 'data.rows', include: 'allOtherFields' },
    });
    expect(jsonOf(result)).toEqual([
      { id: 1, data: { meta: 'm' }, 'data.rows': { a: 1 } },
      { id: 1, data: { meta: 'm' }, 'data.rows': 2 },
    ]);
  });

  it('copies the selected fields with selectedOtherFields', async () => {
    const { result } = await runNode(splitOutNode, {
      items: [{ json: { id: 1, name: 'n', user: { email: 'e' }, list: [1, 2] } }],
      parameters: { fieldToSplitOut: 'list', include: 'selectedOtherFields', fieldsToInclude: 'id, user.email' },
    });
    expect(jsonOf(result)).toEqual([
      { list: 1, id: 1, 'user.email': 'e' },
      { list: 2, id: 1, 'user.email': 'e' },
    ]);
    await expect(
      runNode(splitOutNode, {
        items: [{ json: { list: [1] } }],
        parameters: { fieldToSplitOut: 'list', include: 'selectedOtherFields', fieldsToInclude: '' },
      }),
    ).rejects.toMatchObject({ name: 'NodeOperationError', message: 'No fields specified', description: 'Please add a field to include' });
  });

  it('splits several fields side by side, into destination fields when given', async () => {
    const zipped = await runNode(splitOutNode, {
      items: [{ json: { a: [1, 2], b: [{ x: 1 }] } }],
      parameters: { fieldToSplitOut: 'a, b' },
    });
    expect(jsonOf(zipped.result)).toEqual([{ a: 1, b: { x: 1 } }, { a: 2 }]);

    const renamed = await runNode(splitOutNode, {
      items: [{ json: { a: [{ x: 1 }] } }],
      parameters: { fieldToSplitOut: 'a', options: { destinationFieldName: 'entry' } },
    });
    expect(jsonOf(renamed.result)).toEqual([{ entry: { x: 1 } }]);

    await expect(
      runNode(splitOutNode, {
        items: [{ json: { a: [1], b: [2] } }],
        parameters: { fieldToSplitOut: 'a,b', options: { destinationFieldName: 'x' } },
      }),
    ).rejects.toThrow('If multiple fields to split out are given, the same number of destination fields must be given');
  });

  it('reads literal keys with dot notation disabled', async () => {
    const { result } = await runNode(splitOutNode, {
      items: [{ json: { 'a.b': [1], a: { b: [9] } } }],
      parameters: { fieldToSplitOut: 'a.b', include: 'allOtherFields', options: { disableDotNotation: true } },
    });
    expect(jsonOf(result)).toEqual([{ a: { b: [9] }, 'a.b': 1 }]);
  });

  it('splits binaries with $binary and keeps them with includeBinary', async () => {
    const file = (data: string) => ({ data, mimeType: 'text/plain' });
    const binary = { one: file('YQ=='), two: file('Yg==') };
    const split = await runNode(splitOutNode, { items: [{ json: { id: 1 }, binary }], parameters: { fieldToSplitOut: '$binary' } });
    expect(split.result).toEqual([
      [
        { json: {}, binary: { one: file('YQ==') }, pairedItem: { item: 0 } },
        { json: {}, binary: { two: file('Yg==') }, pairedItem: { item: 0 } },
      ],
    ]);
    const kept = await runNode(splitOutNode, {
      items: [{ json: { list: [1] }, binary }],
      parameters: { fieldToSplitOut: 'list', options: { includeBinary: true } },
    });
    expect(kept.result).toEqual([[{ json: { list: 1 }, binary, pairedItem: { item: 0 } }]]);
  });
});

describe('splitOut: field paths as lodash get and unset read them', () => {
  it('splits a bracket path and removes it from the other fields', async () => {
    const quoted = await runNode(splitOutNode, {
      items: [{ json: { data: { 'the.list': [1, 2] } } }],
      parameters: { fieldToSplitOut: 'data["the.list"]', options: { destinationFieldName: 'n' } },
    });
    expect(jsonOf(quoted.result)).toEqual([{ n: 1 }, { n: 2 }]);

    const indexed = await runNode(splitOutNode, {
      items: [{ json: { id: 1, rows: [{ tags: ['a', 'b'], k: 1 }] } }],
      parameters: { fieldToSplitOut: 'rows[0].tags', include: 'allOtherFields' },
    });
    expect(jsonOf(indexed.result)).toEqual([
      { id: 1, rows: [{ k: 1 }], 'rows[0].tags': 'a' },
      { id: 1, rows: [{ k: 1 }], 'rows[0].tags': 'b' },
    ]);
  });
});
