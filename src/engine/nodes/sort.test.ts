import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Item } from '../types.ts';
import { sortNode } from './sort.ts';
import { jsonOf, runNode } from './test-support.ts';

const byFields = (...sortField: { fieldName: string; order?: string }[]) => ({ type: 'simple', sortFieldsUi: { sortField } });
const jsonItems = (...jsons: Item['json'][]) => jsons.map((json) => ({ json }));

describe('sort', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sorts strings case-insensitively, pairing each item with its input position', async () => {
    const { result } = await runNode(sortNode, {
      items: jsonItems({ name: 'bob' }, { name: 'Alice' }, { name: 'carl' }),
      parameters: byFields({ fieldName: 'name', order: 'ascending' }),
    });
    expect(result).toEqual([
      [
        { json: { name: 'Alice' }, pairedItem: { item: 1 } },
        { json: { name: 'bob' }, pairedItem: { item: 0 } },
        { json: { name: 'carl' }, pairedItem: { item: 2 } },
      ],
    ]);
  });

  it('sorts by several fields, each in its own direction', async () => {
    const { result } = await runNode(sortNode, {
      items: jsonItems({ g: 1, n: 2 }, { g: 2, n: 1 }, { g: 1, n: 3 }),
      parameters: byFields({ fieldName: 'g' }, { fieldName: 'n', order: 'descending' }),
    });
    expect(jsonOf(result)).toEqual([
      { g: 1, n: 3 },
      { g: 1, n: 2 },
      { g: 2, n: 1 },
    ]);
  });

  it('reads nested fields by dot path, or literal keys with dot notation disabled', async () => {
    const nested = await runNode(sortNode, {
      items: jsonItems({ user: { age: 30 } }, { user: { age: 20 } }),
      parameters: byFields({ fieldName: 'user.age' }),
    });
    expect(jsonOf(nested.result)).toEqual([{ user: { age: 20 } }, { user: { age: 30 } }]);

    const literal = await runNode(sortNode, {
      items: jsonItems({ 'a.b': 2 }, { 'a.b': 1 }),
      parameters: { ...byFields({ fieldName: 'a.b', order: 'descending' }), options: { disableDotNotation: true } },
    });
    expect(jsonOf(literal.result)).toEqual([{ 'a.b': 2 }, { 'a.b': 1 }]);
  });

  it('compares strings as text but mixed types as numbers', async () => {
    const strings = await runNode(sortNode, { items: jsonItems({ v: '9' }, { v: '10' }), parameters: byFields({ fieldName: 'v' }) });
    expect(jsonOf(strings.result)).toEqual([{ v: '10' }, { v: '9' }]);
    const mixed = await runNode(sortNode, { items: jsonItems({ v: 10 }, { v: '9' }), parameters: byFields({ fieldName: 'v' }) });
    expect(jsonOf(mixed.result)).toEqual([{ v: '9' }, { v: 10 }]);
  });

  it('fails when no item has a sort field', async () => {
    await expect(runNode(sortNode, { items: jsonItems({ a: 1 }), parameters: byFields({ fieldName: 'b' }) })).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: "Couldn't find the field 'b' in the input data",
      description: undefined,
    });
    await expect(
      runNode(sortNode, {
        items: jsonItems({ a: { b: 1 } }),
        parameters: { ...byFields({ fieldName: 'a.b' }), options: { disableDotNotation: true } },
      }),
    ).rejects.toMatchObject({
      message: "Couldn't find the field 'a.b' in the input data",
      description: "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options",
    });
  });

  it('fails without sort fields, and for code sorting', async () => {
    await expect(runNode(sortNode, { items: jsonItems({ a: 1 }), parameters: { type: 'simple' } })).rejects.toThrow(
      'No sorting specified. Please add a field to sort by',
    );
    await expect(runNode(sortNode, { items: jsonItems({ a: 1 }), parameters: { type: 'code', code: 'return 0;' } })).rejects.toThrow(
      "Sorting by code is not supported: use 'Simple' sort or a Code node",
    );
  });

  it('shuffles with random', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { result } = await runNode(sortNode, { items: jsonItems({ n: 'a' }, { n: 'b' }, { n: 'c' }), parameters: { type: 'random' } });
    expect(result).toEqual([
      [
        { json: { n: 'b' }, pairedItem: { item: 1 } },
        { json: { n: 'c' }, pairedItem: { item: 2 } },
        { json: { n: 'a' }, pairedItem: { item: 0 } },
      ],
    ]);
  });
});

describe('sort: field paths as lodash get reads them', () => {
  it('sorts by a bracket path: an index, and a key with a dot in it', async () => {
    const items = jsonItems(
      { users: [{ name: 'bob' }], meta: { 'first.name': 'b' } },
      { users: [{ name: 'Al' }], meta: { 'first.name': 'a' } },
    );
    const byIndex = await runNode(sortNode, { items, parameters: byFields({ fieldName: 'users[0].name', order: 'ascending' }) });
    expect(jsonOf(byIndex.result).map((json) => json.meta)).toEqual([{ 'first.name': 'a' }, { 'first.name': 'b' }]);
    const byQuoted = await runNode(sortNode, { items, parameters: byFields({ fieldName: 'meta["first.name"]', order: 'descending' }) });
    expect(jsonOf(byQuoted.result).map((json) => json.meta)).toEqual([{ 'first.name': 'b' }, { 'first.name': 'a' }]);
  });
});
