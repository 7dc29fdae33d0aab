import { describe, expect, it } from 'vitest';
import { limitNode } from './limit.ts';
import { jsonOf, runNode } from './test-support.ts';

const items = [1, 2, 3, 4, 5].map((n) => ({ json: { n } }));

describe('limit', () => {
  it('keeps the first item by default', async () => {
    const { result } = await runNode(limitNode, { items });
    expect(result).toEqual([[{ json: { n: 1 }, pairedItem: { item: 0 } }]]);
  });

  it('keeps the first maxItems items', async () => {
    const { result } = await runNode(limitNode, { items, parameters: { maxItems: 3, keep: 'firstItems' } });
    expect(jsonOf(result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('keeps the last maxItems items, paired with their input positions', async () => {
    const { result } = await runNode(limitNode, { items, parameters: { maxItems: 2, keep: 'lastItems' } });
    expect(result).toEqual([
      [
        { json: { n: 4 }, pairedItem: { item: 3 } },
        { json: { n: 5 }, pairedItem: { item: 4 } },
      ],
    ]);
  });

  it('passes everything when there are fewer items than the limit', async () => {
    const { result } = await runNode(limitNode, { items, parameters: { maxItems: 9, keep: 'lastItems' } });
    expect(jsonOf(result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
  });
});
