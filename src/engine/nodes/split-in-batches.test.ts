import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { splitInBatchesNode } from './split-in-batches.ts';
import { runNode } from './test-support.ts';

const jsonItems = (...names: string[]) => names.map((name): Item => ({ json: { name } }));

/** Runs the node the way the engine does inside one execution: same node state, growing runIndex. */
function loop(typeVersion: number, parameters: JsonObject = {}) {
  const nodeState: JsonObject = {};
  let runIndex = 0;
  return {
    nodeState,
    async run(items: Item[]): Promise<NodeResult> {
      const { result } = await runNode(splitInBatchesNode, { node: { typeVersion }, parameters, items, nodeState, runIndex: runIndex++ });
      return result;
    },
  };
}

describe('splitInBatches v3 (Loop Over Items)', () => {
  it('has two outputs, done and loop', () => {
    expect(splitInBatchesNode.outputs?.({ name: 'L', type: splitInBatchesNode.type, typeVersion: 3, parameters: {} })).toBe(2);
  });

  it('hands out batches on the loop output, then everything that came back on done', async () => {
    const node = loop(3, { batchSize: 2 });
    expect(await node.run(jsonItems('a', 'b', 'c'))).toEqual([
      [],
      [
        { json: { name: 'a' }, pairedItem: { item: 0 } },
        { json: { name: 'b' }, pairedItem: { item: 1 } },
      ],
    ]);
    expect(node.nodeState).toMatchObject({ currentRunIndex: 0, maxRunIndex: 2, noItemsLeft: false, done: false });

    expect(await node.run(jsonItems('A', 'B'))).toEqual([[], [{ json: { name: 'c' }, pairedItem: { item: 2 } }]]);
    expect(node.nodeState).toMatchObject({ currentRunIndex: 1, noItemsLeft: true, done: false });

    expect(await node.run(jsonItems('C'))).toEqual([
      [
        { json: { name: 'A' }, pairedItem: { item: 0 } },
        { json: { name: 'B' }, pairedItem: { item: 1 } },
        { json: { name: 'C' }, pairedItem: { item: 0 } },
      ],
      [],
    ]);
    expect(node.nodeState).toMatchObject({ currentRunIndex: 2, noItemsLeft: true, done: true });
  });

  it('uses batches of one by default', async () => {
    const node = loop(3);
    expect(await node.run(jsonItems('a', 'b'))).toEqual([[], [{ json: { name: 'a' }, pairedItem: { item: 0 } }]]);
    expect(await node.run(jsonItems('A'))).toEqual([[], [{ json: { name: 'b' }, pairedItem: { item: 1 } }]]);
    expect(await node.run(jsonItems('B'))).toEqual([
      [
        { json: { name: 'A' }, pairedItem: { item: 0 } },
        { json: { name: 'B' }, pairedItem: { item: 0 } },
      ],
      [],
    ]);
  });

  it('starts over from its input with options.reset', async () => {
    const node = loop(3, { batchSize: 1, options: { reset: true } });
    await node.run(jsonItems('a', 'b'));
    expect(await node.run(jsonItems('x', 'y', 'z'))).toEqual([[], [{ json: { name: 'x' }, pairedItem: { item: 0 } }]]);
    expect(node.nodeState).toMatchObject({ items: [{ json: { name: 'y' } }, { json: { name: 'z' } }], processedItems: [] });
  });

  it('finishes at once on an empty input', async () => {
    expect(await loop(3).run([])).toEqual([[], []]);
  });
});

describe('splitInBatches v2 and v1', () => {
  it('v2 puts the loop output first and done second', async () => {
    const node = loop(2, { batchSize: 1 });
    expect(await node.run(jsonItems('a'))).toEqual([[{ json: { name: 'a' }, pairedItem: { item: 0 } }], []]);
    expect(await node.run(jsonItems('A'))).toEqual([[], [{ json: { name: 'A' }, pairedItem: { item: 0 } }]]);
  });

  it('v1 has one output with a batch per run (10 by default), then nothing', async () => {
    expect(splitInBatchesNode.outputs?.({ name: 'L', type: splitInBatchesNode.type, typeVersion: 1, parameters: {} })).toBe(1);
    const names = Array.from({ length: 12 }, (_, index) => `n${index}`);
    const node = loop(1);
    const first = await node.run(jsonItems(...names));
    expect((first as Item[][])[0]?.map((item) => item.json.name)).toEqual(names.slice(0, 10));
    expect(await node.run(jsonItems('x'))).toEqual([
      [
        { json: { name: 'n10' }, pairedItem: { item: 0 } },
        { json: { name: 'n11' }, pairedItem: { item: 1 } },
      ],
    ]);
    expect(node.nodeState).toMatchObject({ noItemsLeft: true, done: false });
    expect(await node.run(jsonItems('y'))).toEqual([[]]);
    expect(node.nodeState).toMatchObject({ done: true, processedItems: [] });
  });
});
