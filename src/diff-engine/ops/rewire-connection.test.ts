import { describe, expect, it } from 'vitest';
import { applyOne, onlyError, testDoc, testNode } from './test-support.ts';

const rewire = (extra: Record<string, unknown>) => ({ type: 'rewireConnection', ...extra });

function withOther() {
  return testDoc(testNode('Other'));
}

describe('rewireConnection', () => {
  it('moves the edge to the new target, keeping its slot, input type and input index', () => {
    const input = withOther();
    input.connections.IF = { main: [[{ node: 'Webhook', type: 'main', index: 0 }], [{ node: 'Set', type: 'main', index: 1 }]] };
    const result = applyOne(input, rewire({ source: 'IF', from: 'Set', to: 'Other' }));
    expect(result.ok).toBe(true);
    expect(result.doc.connections.IF?.main).toEqual([
      [{ node: 'Webhook', type: 'main', index: 0 }],
      [{ node: 'Other', type: 'main', index: 1 }],
    ]);
  });

  it('keeps a non-main output type such as ai_tool', () => {
    const input = testDoc(testNode('Agent', '@n8n/n8n-nodes-langchain.agent'), testNode('Agent 2', '@n8n/n8n-nodes-langchain.agent'));
    input.connections.Set = { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] };
    const result = applyOne(input, rewire({ source: 'Set', from: 'Agent', to: 'Agent 2', sourceOutput: 'ai_tool' }));
    expect(result.doc.connections.Set).toEqual({ ai_tool: [[{ node: 'Agent 2', type: 'ai_tool', index: 0 }]] });
  });

  it('without a slot rewires every slot; with one, only that slot', () => {
    const input = withOther();
    input.connections.IF = { main: [[{ node: 'Set', type: 'main', index: 0 }], [{ node: 'Set', type: 'main', index: 0 }]] };
    expect(applyOne(input, rewire({ source: 'IF', from: 'Set', to: 'Other' })).doc.connections.IF?.main).toEqual([
      [{ node: 'Other', type: 'main', index: 0 }],
      [{ node: 'Other', type: 'main', index: 0 }],
    ]);
    expect(applyOne(input, rewire({ source: 'IF', from: 'Set', to: 'Other', branch: 'false' })).doc.connections.IF?.main).toEqual([
      [{ node: 'Set', type: 'main', index: 0 }],
      [{ node: 'Other', type: 'main', index: 0 }],
    ]);
  });

  it('when the new target is already in the slot, drops the old edge instead of duplicating', () => {
    const input = withOther();
    input.connections.IF = {
      main: [
        [
          { node: 'Set', type: 'main', index: 0 },
          { node: 'Other', type: 'main', index: 0 },
        ],
      ],
    };
    const result = applyOne(input, rewire({ source: 'IF', from: 'Set', to: 'Other' }));
    expect(result.doc.connections.IF?.main).toEqual([[{ node: 'Other', type: 'main', index: 0 }]]);
  });

  it('rejects "from" and "to" naming the same node, by name or id', () => {
    expect(onlyError(applyOne(withOther(), rewire({ source: 'IF', from: 'Set', to: 'id-Set' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'rewireConnection: "from" and "to" are the same node "Set"',
    });
  });

  it('reports when there is no connection to rewire', () => {
    expect(onlyError(applyOne(withOther(), rewire({ source: 'Webhook', from: 'Set', to: 'Other' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'No connection from "Webhook" (output "main") to "Set" to rewire',
    });
    expect(onlyError(applyOne(withOther(), rewire({ source: 'IF', from: 'Set', to: 'Other', branch: 'false' }))).message).toBe(
      'No connection from "IF" (output "main") to "Set" to rewire',
    );
  });

  it('reports unknown nodes by role', () => {
    expect(onlyError(applyOne(withOther(), rewire({ source: 'Ghost', from: 'Set', to: 'Other' }))).message).toMatch(
      /^Source node not found: "Ghost"/,
    );
    expect(onlyError(applyOne(withOther(), rewire({ source: 'IF', from: 'Ghost', to: 'Other' }))).message).toMatch(
      /^"from" node not found: "Ghost"/,
    );
    expect(onlyError(applyOne(withOther(), rewire({ source: 'IF', from: 'Set', to: 'Ghost' }))).message).toMatch(
      /^"to" node not found: "Ghost"/,
    );
  });
});
