import { describe, expect, it } from 'vitest';
import { NodeApiError, NodeOperationError } from '../node-types.ts';
import { debugHelperNode } from './debug-helper.ts';
import { itemListsNode } from './item-lists.ts';
import { jsonOf, runNode } from './test-support.ts';

describe('Item Lists (legacy)', () => {
  it('runs each operation as the node that replaced it', async () => {
    const split = await runNode(itemListsNode, {
      node: { typeVersion: 3 },
      parameters: { operation: 'splitOutItems', fieldToSplitOut: 'tags' },
      items: [{ json: { tags: ['a', 'b'] } }],
    });
    expect(jsonOf(split.result)).toEqual([{ tags: 'a' }, { tags: 'b' }]);
    const sorted = await runNode(itemListsNode, {
      node: { typeVersion: 3 },
      parameters: { operation: 'sort', sortFieldsUi: { sortField: [{ fieldName: 'n', order: 'descending' }] } },
      items: [{ json: { n: 1 } }, { json: { n: 3 } }, { json: { n: 2 } }],
    });
    expect(jsonOf(sorted.result).map((j) => j.n)).toEqual([3, 2, 1]);
    const limited = await runNode(itemListsNode, {
      node: { typeVersion: 3 },
      parameters: { operation: 'limit', maxItems: 1 },
      items: [{ json: { n: 1 } }, { json: { n: 2 } }],
    });
    expect(jsonOf(limited.result)).toEqual([{ n: 1 }]);
    await expect(runNode(itemListsNode, { parameters: { operation: 'shuffle' } })).rejects.toThrow(
      'The Item Lists operation "shuffle" is not supported by this server',
    );
  });
});

describe('Debug Helper', () => {
  it('passes items on, or throws the error type and message asked for', async () => {
    const { result } = await runNode(debugHelperNode, { parameters: {}, items: [{ json: { a: 1 } }] });
    expect(jsonOf(result)).toEqual([{ a: 1 }]);
    await expect(
      runNode(debugHelperNode, { parameters: { category: 'throwError', throwErrorMessage: 'planned failure' } }),
    ).rejects.toBeInstanceOf(NodeApiError);
    await expect(
      runNode(debugHelperNode, { parameters: { category: 'throwError', throwErrorType: 'NodeOperationError', throwErrorMessage: 'x' } }),
    ).rejects.toBeInstanceOf(NodeOperationError);
    await expect(runNode(debugHelperNode, { parameters: { category: 'oom' } })).rejects.toThrow(
      'The Debug Helper category "oom" is not supported by this server',
    );
  });
});
