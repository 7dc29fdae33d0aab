import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { removeNode } from './remove-node.ts';
import { applyOne, onlyError, testContext, testDoc, testNode } from './test-support.ts';

describe('removeNode', () => {
  it('removes the node and its connections in and out', () => {
    const result = applyOne(testDoc(), { type: 'removeNode', nodeName: 'IF' });
    expect(result.ok).toBe(true);
    expect(result.doc.nodes.map((n) => n.name)).toEqual(['Webhook', 'Set']);
    // Webhook's only edge went to IF: its entry is dropped, as is IF's own.
    expect(result.doc.connections).toEqual({});
  });

  it('finds the node by nodeId, or by the name and id aliases', () => {
    for (const ref of [{ nodeId: 'id-Set' }, { id: 'id-Set' }, { name: 'Set' }, { nodeName: ' Set ' }]) {
      const result = applyOne(testDoc(), { type: 'removeNode', ...ref });
      expect(result.ok).toBe(true);
      expect(result.doc.nodes.map((n) => n.name)).toEqual(['Webhook', 'IF']);
      expect(result.doc.connections).toEqual({ Webhook: { main: [[{ node: 'IF', type: 'main', index: 0 }]] } });
    }
  });

  it('keeps an inner empty output slot so IF indexes hold, and drops a trailing one', () => {
    const input = testDoc(testNode('Other'));
    input.connections.IF = { main: [[{ node: 'Set', type: 'main', index: 0 }], [{ node: 'Other', type: 'main', index: 0 }]] };
    expect(applyOne(input, { type: 'removeNode', nodeName: 'Set' }).doc.connections.IF?.main).toEqual([
      [],
      [{ node: 'Other', type: 'main', index: 0 }],
    ]);
    expect(applyOne(input, { type: 'removeNode', nodeName: 'Other' }).doc.connections.IF?.main).toEqual([
      [{ node: 'Set', type: 'main', index: 0 }],
    ]);
  });

  it('removes edges of every output type, such as ai_tool', () => {
    const input = testDoc(testNode('Agent', '@n8n/n8n-nodes-langchain.agent'), testNode('Tool', '@n8n/n8n-nodes-langchain.toolCode'));
    input.connections.Tool = { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] };
    input.connections.Set = { main: [[{ node: 'Agent', type: 'main', index: 0 }]] };
    const result = applyOne(input, { type: 'removeNode', nodeName: 'Agent' });
    expect(result.ok).toBe(true);
    expect(result.doc.connections.Tool).toBeUndefined();
    expect(result.doc.connections.Set).toBeUndefined();
  });

  it('reports an unknown node with the available ones', () => {
    expect(onlyError(applyOne(testDoc(), { type: 'removeNode', nodeName: 'Ghost' }))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'Node not found: "Ghost". Available nodes: "Webhook", "IF", "Set"',
    });
  });

  it('lists at most 20 available nodes, and says when there are none', () => {
    const big = testDoc(...Array.from({ length: 30 }, (_, i) => testNode(`N${i}`)));
    expect(onlyError(applyOne(big, { type: 'removeNode', nodeName: 'Ghost' })).message).toMatch(/"N16", …$/);
    const empty = { ...testDoc(), nodes: [], connections: {} };
    expect(onlyError(applyOne(empty, { type: 'removeNode', nodeName: 'Ghost' })).message).toBe(
      'Node not found: "Ghost". The workflow has no nodes.',
    );
  });

  it('requires a node reference', () => {
    expect(onlyError(applyOne(testDoc(), { type: 'removeNode' })).message).toBe(
      'Node is required: give its name (nodeName) or id (nodeId)',
    );
  });

  it('says when the node was removed earlier in the batch', () => {
    const result = applyOperations(testDoc(), [
      { type: 'removeNode', nodeName: 'Set' },
      { type: 'removeNode', nodeName: 'Set' },
    ]);
    expect(onlyError(result)).toEqual({
      operation: 1,
      code: 'VALIDATION_ERROR',
      message: 'Node "Set" was removed earlier in this batch; its connections were removed with it',
    });
  });

  it('records the removed node in the context, by name, normalised name and id', () => {
    const ctx = testContext();
    removeNode(ctx, { type: 'removeNode', nodeName: 'Set' });
    expect(ctx.removed).toEqual(
      new Map([
        ['Set', 'Set'],
        ['id-Set', 'Set'],
      ]),
    );
    const spaced = testContext(testDoc(testNode(' My  Node ')));
    removeNode(spaced, { type: 'removeNode', nodeId: 'id- My  Node ' });
    expect(spaced.removed).toEqual(
      new Map([
        [' My  Node ', ' My  Node '],
        ['My Node', ' My  Node '],
        ['id- My  Node ', ' My  Node '],
      ]),
    );
  });

  it('a later operation naming the removed node says so, by name, id, or a name it had before a rename', () => {
    const result = applyOperations(testDoc(), [
      { type: 'updateNode', nodeName: 'Set', changes: { name: 'Store' } },
      { type: 'removeNode', nodeName: 'Store' },
      { type: 'moveNode', nodeName: 'Set', position: [1, 1] },
    ]);
    expect(onlyError(result)).toEqual({
      operation: 2,
      code: 'VALIDATION_ERROR',
      message: 'Node "Set" ("Store") was removed earlier in this batch; its connections were removed with it',
    });
    expect(
      onlyError(
        applyOperations(testDoc(), [
          { type: 'removeNode', nodeName: 'Set' },
          { type: 'disableNode', nodeId: 'id-Set' },
        ]),
      ).message,
    ).toBe('Node "id-Set" ("Set") was removed earlier in this batch; its connections were removed with it');
  });
});
