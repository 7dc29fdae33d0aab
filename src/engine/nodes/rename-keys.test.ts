import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { renameKeysNode } from './rename-keys.ts';
import { runNode } from './test-support.ts';

describe('renameKeys', () => {
  it('moves each field (dot paths too) to its new name in order, leaving missing ones alone', async () => {
    const { result } = await runNode(renameKeysNode, {
      parameters: {
        keys: {
          key: [
            { currentKey: 'first_name', newKey: 'firstName' },
            { currentKey: 'address.zip', newKey: 'zip' },
            { currentKey: 'nope', newKey: 'never' },
            { currentKey: 'firstName', newKey: 'person.first' },
          ],
        },
      },
      items: [{ json: { first_name: 'Ada', address: { zip: '1000', city: 'X' }, keep: true } }],
    });
    expect((result as Item[][])[0]).toEqual([
      { json: { address: { city: 'X' }, keep: true, zip: '1000', person: { first: 'Ada' } }, pairedItem: { item: 0 } },
    ]);
  });
});
