import { describe, expect, it } from 'vitest';
import { compareDatasetsNode } from './compare-datasets.ts';
import { jsonOf, runNode } from './test-support.ts';

const a = [
  { json: { id: 1, text: 'foo', data: 'A' } },
  { json: { id: 2, text: 'bar', data: 'E' } },
  { json: { id: 3, text: 'spam', data: 'C' } },
  { json: { id: 4, text: 'only in a', data: 'Y' } },
];
const b = [
  { json: { id: 1, text: 'foo', data: 'D' } },
  { json: { id: 1, text: 'foo', data: 'DD' } },
  { json: { id: 2, text: 'bar', data: 'E' } },
  { json: { id: '3', text: 'spam', data: 'F' } },
  { json: { id: 5, text: 'only in b', data: 'X' } },
];
const compare = async (parameters: Record<string, unknown>) => {
  const { result } = await runNode(compareDatasetsNode, { parameters, inputs: [a, b] });
  return [jsonOf(result, 0), jsonOf(result, 1), jsonOf(result, 2), jsonOf(result, 3)] as const;
};

describe('Compare Datasets', () => {
  it('sorts items into In A only, Same, Different and In B only, preferring input 2 by default', async () => {
    const [onlyA, same, different, onlyB] = await compare({ mergeByFields: { values: [{ field1: 'id', field2: 'id' }] } });
    expect(onlyA.map((j) => j.id)).toEqual([3, 4]);
    expect(same).toEqual([{ id: 2, text: 'bar', data: 'E' }]);
    expect(different).toEqual([{ id: 1, text: 'foo', data: 'D' }]);
    expect(onlyB.map((j) => j.data)).toEqual(['DD', 'F', 'X']);
  });

  it('matches loosely with fuzzyCompare, every match with multipleMatches all, and includes both sides when asked', async () => {
    const [onlyA, , different] = await compare({
      mergeByFields: { values: [{ field1: 'id', field2: 'id' }] },
      fuzzyCompare: true,
      resolve: 'includeBoth',
      options: { multipleMatches: 'all', skipFields: 'text' },
    });
    expect(onlyA.map((j) => j.id)).toEqual([4]);
    expect(different).toEqual([
      { keys: { id: 1 }, same: {}, different: { data: { inputA: 'A', inputB: 'D' } } },
      { keys: { id: 1 }, same: {}, different: { data: { inputA: 'A', inputB: 'DD' } } },
      { keys: { id: 3 }, same: {}, different: { data: { inputA: 'C', inputB: 'F' } } },
    ]);
  });

  it('mixes: one input’s version with some fields from the other', async () => {
    const [, , different] = await compare({
      mergeByFields: { values: [{ field1: 'id', field2: 'id' }] },
      resolve: 'mix',
      exceptWhenMix: 'data',
    });
    expect(different).toEqual([{ id: 1, text: 'foo', data: 'D' }]);
    await expect(compare({ mergeByFields: { values: [] } })).rejects.toThrow(
      'You need to define at least one pair of fields in "Fields to Match"',
    );
  });
});
