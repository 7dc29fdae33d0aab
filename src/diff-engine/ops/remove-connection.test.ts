import { describe, expect, it } from 'vitest';
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
});
