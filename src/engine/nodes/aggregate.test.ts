import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { aggregateNode } from './aggregate.ts';
import { jsonOf, runNode } from './test-support.ts';

const jsonItems = (...jsons: Item['json'][]) => jsons.map((json) => ({ json }));
const fields = (...fieldToAggregate: Record<string, unknown>[]) => ({
  aggregate: 'aggregateIndividualFields',
  fieldsToAggregate: { fieldToAggregate },
});
const mixed = jsonItems({ id: 1, tags: ['a', null, 'b'] }, { id: 2, tags: ['c'] }, { id: null }, {});
const allPaired = [{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }];

describe('aggregate: individual fields', () => {
  it('collects each field into a list, skipping missing and null values', async () => {
    const { result } = await runNode(aggregateNode, {
      items: mixed,
      parameters: fields({ fieldToAggregate: 'id' }, { fieldToAggregate: 'tags' }),
    });
    expect(result).toEqual([[{ json: { id: [1, 2], tags: [['a', 'b'], ['c']] }, pairedItem: allPaired }]]);
  });

  it('flattens lists with mergeLists and keeps gaps as null with keepMissing', async () => {
    const merged = await runNode(aggregateNode, {
      items: mixed,
      parameters: { ...fields({ fieldToAggregate: 'tags' }), options: { mergeLists: true } },
    });
    expect(merged.result).toEqual([[{ json: { tags: ['a', 'b', 'c'] }, pairedItem: allPaired }]]);

    const kept = await runNode(aggregateNode, {
      items: mixed,
      parameters: { ...fields({ fieldToAggregate: 'id' }, { fieldToAggregate: 'tags' }), options: { keepMissing: true } },
    });
    expect(kept.result).toEqual([
      [{ json: { id: [1, 2, null, null], tags: [['a', null, 'b'], ['c'], null, null] }, pairedItem: allPaired }],
    ]);
  });

  it('names the output after the last path segment, or the rename (a dot path nests)', async () => {
    const people = jsonItems({ user: { name: 'Ann' } }, { user: { name: 'Bo' } });
    const plain = await runNode(aggregateNode, { items: people, parameters: fields({ fieldToAggregate: 'user.name' }) });
    expect(plain.result).toEqual([[{ json: { name: ['Ann', 'Bo'] }, pairedItem: [{ item: 0 }, { item: 1 }] }]]);

    const renamed = await runNode(aggregateNode, {
      items: people,
      parameters: fields({ fieldToAggregate: 'user.name', renameField: true, outputFieldName: 'people.names' }),
    });
    expect(renamed.result).toEqual([[{ json: { people: { names: ['Ann', 'Bo'] } }, pairedItem: [{ item: 0 }, { item: 1 }] }]]);
  });

  it('reads and writes literal keys with dot notation disabled', async () => {
    const { result } = await runNode(aggregateNode, {
      items: jsonItems({ 'a.b': 1, a: { b: 9 } }, { 'a.b': 2 }),
      parameters: {
        ...fields({ fieldToAggregate: 'a.b' }, { fieldToAggregate: 'a.b', renameField: true, outputFieldName: 'x.y' }),
        options: { disableDotNotation: true },
      },
    });
    expect(result).toEqual([[{ json: { 'a.b': [1, 2], 'x.y': [1, 2] }, pairedItem: [{ item: 0 }, { item: 1 }] }]]);
  });

  it('rejects a missing field list and a repeated output field', async () => {
    await expect(runNode(aggregateNode, { items: mixed, parameters: fields() })).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: 'No fields specified',
      description: 'Please add a field to aggregate',
    });
    await expect(
      runNode(aggregateNode, { items: mixed, parameters: fields({ fieldToAggregate: 'id' }, { fieldToAggregate: 'id' }) }),
    ).rejects.toThrow("The 'id' output field is used more than once");
  });

  it('makes one item per group with groupByFields', async () => {
    const { result } = await runNode(aggregateNode, {
      items: jsonItems({ cat: 'x', v: 1 }, { cat: 'y', v: 2 }, { cat: 'x', v: 3 }),
      parameters: { ...fields({ fieldToAggregate: 'v' }), options: { groupByFields: 'cat' } },
    });
    expect(result).toEqual([
      [
        { json: { cat: 'x', v: [1, 3] }, pairedItem: { item: 0 } },
        { json: { cat: 'y', v: [2] }, pairedItem: { item: 1 } },
      ],
    ]);
    await expect(
      runNode(aggregateNode, {
        items: jsonItems({ v: 1 }),
        parameters: { ...fields({ fieldToAggregate: 'v' }), options: { groupByFields: 'v' } },
      }),
    ).rejects.toThrow("The output field 'v' conflicts with a Group By field 'v'");
  });

  it('collects binaries with includeBinaries, renaming clashing keys', async () => {
    const file = (data: string) => ({ data, mimeType: 'text/plain' });
    const { result } = await runNode(aggregateNode, {
      items: [
        { json: { id: 1 }, binary: { file: file('YQ==') } },
        { json: { id: 2 }, binary: { file: file('Yg==') } },
      ],
      parameters: { ...fields({ fieldToAggregate: 'id' }), options: { includeBinaries: true } },
    });
    expect(result).toEqual([
      [
        {
          json: { id: [1, 2] },
          binary: { file: file('YQ=='), file_1: file('Yg==') },
          pairedItem: [{ item: 0 }, { item: 1 }],
        },
      ],
    ]);
  });
});

describe('aggregate: all item data', () => {
  const rows = jsonItems({ a: 1, b: 2 }, { b: 3 });

  it('puts every item json in one list under destinationFieldName (default data)', async () => {
    const { result } = await runNode(aggregateNode, { items: rows, parameters: { aggregate: 'aggregateAllItemData' } });
    expect(result).toEqual([[{ json: { data: [{ a: 1, b: 2 }, { b: 3 }] }, pairedItem: [{ item: 0 }, { item: 1 }] }]]);
    const renamed = await runNode(aggregateNode, {
      items: rows,
      parameters: { aggregate: 'aggregateAllItemData', destinationFieldName: 'rows' },
    });
    expect(renamed.result).toEqual([[{ json: { rows: [{ a: 1, b: 2 }, { b: 3 }] }, pairedItem: [{ item: 0 }, { item: 1 }] }]]);
  });

  it('keeps only the specified fields, dropping items left empty', async () => {
    const { result } = await runNode(aggregateNode, {
      items: rows,
      parameters: { aggregate: 'aggregateAllItemData', include: 'specifiedFields', fieldsToInclude: 'a' },
    });
    expect(result).toEqual([[{ json: { data: [{ a: 1 }] }, pairedItem: [{ item: 0 }] }]]);
  });

  it('drops the excluded fields', async () => {
    const { result } = await runNode(aggregateNode, {
      items: rows,
      parameters: { aggregate: 'aggregateAllItemData', include: 'allFieldsExcept', fieldsToExclude: 'b, c' },
    });
    expect(result).toEqual([[{ json: { data: [{ a: 1 }] }, pairedItem: [{ item: 0 }] }]]);
  });

  it('groups with groupByFields', async () => {
    const { result } = await runNode(aggregateNode, {
      items: jsonItems({ cat: 'x', v: 1 }, { cat: 'y', v: 2 }, { cat: 'x', v: 3 }),
      parameters: { aggregate: 'aggregateAllItemData', options: { groupByFields: 'cat' } },
    });
    expect(result).toEqual([
      [
        {
          json: {
            cat: 'x',
            data: [
              { cat: 'x', v: 1 },
              { cat: 'x', v: 3 },
            ],
          },
          pairedItem: { item: 0 },
        },
        { json: { cat: 'y', data: [{ cat: 'y', v: 2 }] }, pairedItem: { item: 1 } },
      ],
    ]);
  });
});

describe('aggregate: field paths as lodash get and set read them', () => {
  it('aggregates a bracket path into a bracket output path, and groups by a quoted key', async () => {
    const items = jsonItems(
      { ids: [1], meta: { 'team.id': 'x' } },
      { ids: [2], meta: { 'team.id': 'x' } },
      { ids: [3], meta: { 'team.id': 'y' } },
    );
    const all = await runNode(aggregateNode, {
      items,
      parameters: fields({ fieldToAggregate: 'ids[0]', renameField: true, outputFieldName: 'out[0].ids' }),
    });
    expect(jsonOf(all.result)).toEqual([{ out: [{ ids: [1, 2, 3] }] }]);

    const grouped = await runNode(aggregateNode, {
      items,
      parameters: {
        ...fields({ fieldToAggregate: 'ids[0]', renameField: true, outputFieldName: 'ids' }),
        options: { groupByFields: 'meta["team.id"]' },
      },
    });
    expect(jsonOf(grouped.result)).toEqual([
      { meta: { 'team.id': 'x' }, ids: [1, 2] },
      { meta: { 'team.id': 'y' }, ids: [3] },
    ]);
  });
});
