import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { removeDuplicatesNode } from './remove-duplicates.ts';
import { runNode } from './test-support.ts';

const items = [
  { json: { id: 1, email: 'a@x.io', meta: { tag: 'x', n: 1 } } },
  { json: { id: 2, email: 'b@x.io', meta: { n: 1, tag: 'x' } } },
  { json: { id: 1, email: 'a@x.io', meta: { tag: 'x', n: 1 } } },
  { json: { id: 3, email: 'a@x.io', meta: { tag: 'y' } } },
];
const run = async (parameters: Record<string, unknown>) => {
  const { result } = await runNode(removeDuplicatesNode, { parameters: parameters as never, items });
  return { result: result as Item[][] };
};
const ids = (result: Item[][]) => result[0]!.map((i) => i.json.id);

describe('removeDuplicates', () => {
  it('keeps the first of items equal in all fields (the default), key order aside', async () => {
    const { result } = await run({});
    expect(ids(result)).toEqual([1, 2, 3]);
    expect(result[0]![2]).toEqual({ json: items[3]!.json, pairedItem: { item: 3 } });
  });

  it('compares selected fields (dot paths), optionally keeping only them, or all fields but some', async () => {
    expect(ids((await run({ compare: 'selectedFields', fieldsToCompare: 'email' })).result)).toEqual([1, 2]);
    expect(ids((await run({ compare: 'selectedFields', fieldsToCompare: 'meta.tag' })).result)).toEqual([1, 3]);
    const only = await run({ compare: 'selectedFields', fieldsToCompare: 'email', options: { removeOtherFields: true } });
    expect(only.result[0]!.map((i) => i.json)).toEqual([{ email: 'a@x.io' }, { email: 'b@x.io' }]);
    expect(ids((await run({ compare: 'allFieldsExcept', fieldsToExclude: 'id, meta' })).result)).toEqual([1, 2]);
    await expect(run({ compare: 'selectedFields', fieldsToCompare: '' })).rejects.toThrow(/No fields specified/);
  });

  it('refuses the operations that need memory across executions, saying so', async () => {
    await expect(run({ operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: 'x' })).rejects.toThrow(
      /not supported by this server yet/,
    );
  });
});
