import { describe, expect, it } from 'vitest';
import { noOpNode } from './no-op.ts';
import { runNode } from './test-support.ts';

describe('noOp', () => {
  it('passes every item on unchanged, paired with its position', async () => {
    const binary = { file: { data: 'aGk=', mimeType: 'text/plain' } };
    const { result } = await runNode(noOpNode, {
      items: [
        { json: { a: 1 }, pairedItem: { item: 7 } },
        { json: { b: { c: [2] } }, binary },
      ],
    });
    expect(result).toEqual([
      [
        { json: { a: 1 }, pairedItem: { item: 0 } },
        { json: { b: { c: [2] } }, binary, pairedItem: { item: 1 } },
      ],
    ]);
  });

  it('outputs an empty list for no input', async () => {
    expect((await runNode(noOpNode, { items: [] })).result).toEqual([[]]);
  });
});
