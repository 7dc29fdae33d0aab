import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { applyOne, onlyError, testDoc, testNode } from './test-support.ts';

const disconnect = (extra: Record<string, unknown>) => ({ type: 'removeConnection', ...extra });
const toSet = { node: 'Set', type: 'main', index: 0 };
const toOther = { node: 'Other', type: 'main', index: 0 };

/** IF sends both branches to Set, and its false branch to Other too. */
function bothBranches() {
  const doc = testDoc(testNode('Other'));
  doc.connections.IF = { main: [[toSet], [toSet, toOther]] };
  return doc;
}

describe('removeConnection', () => {
  it('removes the edge, dropping emptied sources', () => {
    const result = applyOne(testDoc(), disconnect({ source: 'Webhook', target: 'IF' }));
    expect(result.ok).toBe(true);
    expect(result.doc.connections).toEqual({ IF: { main: [[toSet]] } });
  });

  it('without a slot, removes the edges from every slot of the output', () => {
    const result = applyOne(bothBranches(), disconnect({ source: 'IF', target: 'Set' }));
    expect(result.doc.connections.IF?.main).toEqual([[], [toOther]]);
  });

  it('with a slot (branch, sourceIndex or case), removes only that slot, keeping inner empty slots', () => {
    expect(applyOne(bothBranches(), disconnect({ source: 'IF', target: 'Set', branch: 'true' })).doc.connections.IF?.main).toEqual([
      [],
      [toSet, toOther],
    ]);
    expect(applyOne(bothBranches(), disconnect({ source: 'IF', target: 'Set', sourceIndex: 1 })).doc.connections.IF?.main).toEqual([
      [toSet],
      [toOther],
    ]);
    expect(applyOne(bothBranches(), disconnect({ source: 'IF', target: 'Other', case: 1 })).doc.connections.IF?.main).toEqual([
      [toSet],
      [toSet],
    ]);
  });

  it('only touches the given output type', () => {
    const input = testDoc(testNode('Agent', '@n8n/n8n-nodes-langchain.agent'));
    input.connections.Set = {
      main: [[{ node: 'Agent', type: 'main', index: 0 }]],
      ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]],
    };
    const result = applyOne(input, disconnect({ source: 'Set', target: 'Agent', sourceOutput: 'ai_tool' }));
    expect(result.doc.connections.Set).toEqual({ main: [[{ node: 'Agent', type: 'main', index: 0 }]] });
  });

  it('reports a missing connection, naming the slot when one was given', () => {
    expect(onlyError(applyOne(testDoc(), disconnect({ source: 'Webhook', target: 'Set' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'No connection from "Webhook" (output "main") to "Set"',
    });
    expect(onlyError(applyOne(testDoc(), disconnect({ source: 'IF', target: 'Set', branch: false }))).message).toBe(
      'No connection from "IF" (output "main", index 1) to "Set"',
    );
  });

  it('reports unknown nodes and a branch on a non-IF node', () => {
    expect(onlyError(applyOne(testDoc(), disconnect({ source: 'Ghost', target: 'Set' }))).message).toMatch(
      /^Source node not found: "Ghost"/,
    );
    expect(onlyError(applyOne(testDoc(), disconnect({ source: 'Set', target: 'Ghost' }))).message).toMatch(
      /^Target node not found: "Ghost"/,
    );
    expect(onlyError(applyOne(testDoc(), disconnect({ source: 'Webhook', target: 'IF', branch: 'true' }))).message).toBe(
      'removeConnection: "branch" applies to IF nodes only; "Webhook" is n8n-nodes-base.webhook. Use sourceIndex or case.',
    );
  });

  it('with ignoreErrors, a missing connection or node is silently skipped', () => {
    const input = testDoc();
    for (const extra of [
      { source: 'Webhook', target: 'Set' },
      { source: 'Ghost', target: 'Set' },
      { source: 'IF', target: 'Set', branch: 'false' },
    ]) {
      const result = applyOne(input, disconnect({ ...extra, ignoreErrors: true }));
      expect(result).toMatchObject({ ok: true, errors: [], warnings: [], applied: [0] });
      expect(result.doc.connections).toEqual(input.connections);
    }
  });

  describe('of a node removed in the same batch', () => {
    const removeSet = { type: 'removeNode', nodeName: 'Set' };
    const disconnectSet = disconnect({ source: 'IF', target: 'Set' });
    const warning = 'removeConnection: the connection from "IF" to "Set" was already removed with node "Set"';

    it('succeeds with a warning, whether removeNode comes first or last in the request', () => {
      for (const operations of [
        [removeSet, disconnectSet],
        [disconnectSet, removeSet],
      ]) {
        const result = applyOperations(testDoc(), operations);
        expect(result).toMatchObject({ ok: true, errors: [], applied: [0, 1], failed: [], warnings: [warning] });
        expect(result.doc.nodes.map((n) => n.name)).toEqual(['Webhook', 'IF']);
        expect(result.doc.connections).toEqual({ Webhook: { main: [[{ node: 'IF', type: 'main', index: 0 }]] } });
      }
    });

    it('also when the removed node is the source, named by id, by a slot, or by a name it had before a rename', () => {
      const result = applyOperations(testDoc(), [
        disconnect({ source: 'id-IF', target: 'Set', branch: 'true' }),
        disconnect({ source: 'Webhook', target: 'Check' }),
        { type: 'updateNode', nodeName: 'IF', changes: { name: 'Check' } },
        { type: 'removeNode', nodeName: 'Check' },
      ]);
      expect(result).toMatchObject({ ok: true, errors: [], applied: [0, 1, 2, 3] });
      expect(result.warnings).toEqual([
        'removeConnection: the connection from "Check" to "Set" was already removed with node "Check"',
        'removeConnection: the connection from "Webhook" to "Check" was already removed with node "Check"',
      ]);
      expect(result.doc.connections).toEqual({});
    });

    it('names both nodes when both ends were removed', () => {
      const result = applyOperations(testDoc(), [removeSet, { type: 'removeNode', nodeName: 'IF' }, disconnectSet]);
      expect(result.warnings).toEqual([
        'removeConnection: the connection from "IF" to "Set" was already removed with nodes "IF" and "Set"',
      ]);
      expect(result.ok).toBe(true);
    });

    it('still fails when the other end never existed, or when the node is back (re-added) and has no such connection', () => {
      expect(onlyError(applyOperations(testDoc(), [removeSet, disconnect({ source: 'Ghost', target: 'Set' })]))).toEqual({
        operation: 1,
        code: 'VALIDATION_ERROR',
        message: 'Source node not found: "Ghost". Available nodes: "Webhook", "IF"',
      });
      const readded = applyOperations(testDoc(), [
        removeSet,
        { type: 'addNode', node: { name: 'Set', type: 'n8n-nodes-base.set', position: [0, 0] } },
        disconnectSet,
      ]);
      expect(onlyError(readded)).toEqual({
        operation: 2,
        code: 'VALIDATION_ERROR',
        message: 'No connection from "IF" (output "main") to "Set"',
      });
    });

    it('a node that never existed fails as before', () => {
      expect(onlyError(applyOperations(testDoc(), [removeSet, disconnect({ source: 'IF', target: 'Ghost' })])).message).toMatch(
        /^Target node not found: "Ghost"/,
      );
    });
  });
});
