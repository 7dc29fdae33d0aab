import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { MAX_CONNECTION_INDEX } from '../limits.ts';
import { OperationError } from '../types.ts';
import { resolveSlot } from './slots.ts';
import { applyOne, onlyError, SWITCH_TYPE, testDoc, testNode } from './test-support.ts';

const connect = (extra: Record<string, unknown>) => ({ type: 'addConnection', ...extra });

function withAi() {
  return testDoc(testNode('Agent', '@n8n/n8n-nodes-langchain.agent'), testNode('Tool', '@n8n/n8n-nodes-langchain.toolCode'));
}

describe('addConnection', () => {
  it('defaults to main output 0 into main input 0', () => {
    const result = applyOne(testDoc(), connect({ source: 'Set', target: 'Webhook' }));
    expect(result.ok).toBe(true);
    expect(result.doc.connections.Set).toEqual({ main: [[{ node: 'Webhook', type: 'main', index: 0 }]] });
  });

  it('resolves nodes by id as well as by name', () => {
    const result = applyOne(testDoc(), connect({ source: 'id-Set', target: 'id-Webhook' }));
    expect(result.doc.connections.Set).toEqual({ main: [[{ node: 'Webhook', type: 'main', index: 0 }]] });
  });

  it('appends to an existing slot and pads missing slots with empty ones', () => {
    const result = applyOperations(testDoc(testNode('Other')), [
      connect({ source: 'Webhook', target: 'Other' }),
      connect({ source: 'Set', target: 'Other', sourceIndex: 2, targetIndex: 1 }),
    ]);
    expect(result.doc.connections.Webhook?.main).toEqual([
      [
        { node: 'IF', type: 'main', index: 0 },
        { node: 'Other', type: 'main', index: 0 },
      ],
    ]);
    expect(result.doc.connections.Set?.main).toEqual([[], [], [{ node: 'Other', type: 'main', index: 1 }]]);
  });

  it('reads a numeric sourceOutput (number or string) as main output of that index', () => {
    for (const sourceOutput of [1, '1']) {
      const result = applyOne(testDoc(), connect({ source: 'IF', target: 'Webhook', sourceOutput }));
      expect(result.ok).toBe(true);
      expect(result.doc.connections.IF?.main?.[1]).toEqual([{ node: 'Webhook', type: 'main', index: 0 }]);
    }
  });

  it('an explicit sourceIndex wins over a numeric sourceOutput', () => {
    const result = applyOne(testDoc(testNode('Other')), connect({ source: 'Set', target: 'Other', sourceOutput: '1', sourceIndex: 0 }));
    expect(result.doc.connections.Set?.main).toEqual([[{ node: 'Other', type: 'main', index: 0 }]]);
  });

  it('maps an IF branch to output 0 (true) or 1 (false)', () => {
    for (const [branch, index] of [
      ['true', 0],
      [true, 0],
      ['false', 1],
      [false, 1],
    ] as const) {
      const result = applyOne(testDoc(testNode('Other')), connect({ source: 'IF', target: 'Other', branch }));
      expect(result.ok).toBe(true);
      expect(result.doc.connections.IF?.main?.[index]).toContainEqual({ node: 'Other', type: 'main', index: 0 });
    }
  });

  it('rejects branch on a node that is not an IF', () => {
    expect(onlyError(applyOne(testDoc(), connect({ source: 'Set', target: 'Webhook', branch: 'true' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'addConnection: "branch" applies to IF nodes only; "Set" is n8n-nodes-base.set. Use sourceIndex or case.',
    });
  });

  it('rejects a branch that contradicts sourceIndex, and accepts one that agrees', () => {
    expect(onlyError(applyOne(testDoc(), connect({ source: 'IF', target: 'Webhook', branch: 'true', sourceIndex: 1 }))).message).toBe(
      'addConnection: branch "true" is output 0, but sourceIndex says 1',
    );
    expect(applyOne(testDoc(), connect({ source: 'IF', target: 'Webhook', branch: 'false', sourceIndex: 1 })).ok).toBe(true);
  });

  it('maps a Switch case to that output, and rejects a case that contradicts sourceIndex', () => {
    const input = testDoc(testNode('Switch', SWITCH_TYPE, { parameters: { rules: { values: [{}, {}, {}] } } }));
    const result = applyOne(input, connect({ source: 'Switch', target: 'Set', case: 2 }));
    expect(result.ok).toBe(true);
    expect(result.doc.connections.Switch?.main).toEqual([[], [], [{ node: 'Set', type: 'main', index: 0 }]]);
    expect(onlyError(applyOne(input, connect({ source: 'Switch', target: 'Set', case: 1, sourceIndex: 0 })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'addConnection: case 1 conflicts with sourceIndex 0',
    });
  });

  it('rejects a connection that already exists in that slot, but allows the same target on another slot', () => {
    expect(onlyError(applyOne(testDoc(), connect({ source: 'Webhook', target: 'IF' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'Connection already exists from "Webhook" (output "main", index 0) to "IF"',
    });
    const result = applyOne(testDoc(), connect({ source: 'IF', target: 'Set', branch: 'false' }));
    expect(result.doc.connections.IF?.main).toEqual([[{ node: 'Set', type: 'main', index: 0 }], [{ node: 'Set', type: 'main', index: 0 }]]);
  });

  it('uses the source output type as the target input type by default (ai_tool)', () => {
    const result = applyOne(withAi(), connect({ source: 'Tool', target: 'Agent', sourceOutput: 'ai_tool' }));
    expect(result.ok).toBe(true);
    expect(result.doc.connections.Tool).toEqual({ ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] });
  });

  it('takes an explicit targetInput and targetIndex; a numeric targetInput means main', () => {
    const named = applyOne(
      withAi(),
      connect({ source: 'Tool', target: 'Agent', sourceOutput: 'ai_tool', targetInput: 'ai_other', targetIndex: 2 }),
    );
    expect(named.doc.connections.Tool?.ai_tool?.[0]).toEqual([{ node: 'Agent', type: 'ai_other', index: 2 }]);
    const numeric = applyOne(withAi(), connect({ source: 'Set', target: 'Agent', targetInput: 0 }));
    expect(numeric.doc.connections.Set?.main?.[0]).toEqual([{ node: 'Agent', type: 'main', index: 0 }]);
  });

  it('reports an unknown source or target node', () => {
    expect(onlyError(applyOne(testDoc(), connect({ source: 'Ghost', target: 'Set' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'Source node not found: "Ghost". Available nodes: "Webhook", "IF", "Set"',
    });
    expect(onlyError(applyOne(testDoc(), connect({ source: 'Set', target: 'Ghost' }))).message).toMatch(/^Target node not found: "Ghost"/);
  });

  it('rejects a missing target before running', () => {
    expect(onlyError(applyOne(testDoc(), connect({ source: 'Set' })))).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^operations\[0\]: .* at target$/),
    });
  });

  it(`bounds every output and input index at MAX_CONNECTION_INDEX (${MAX_CONNECTION_INDEX}), before anything is allocated`, () => {
    const tooHigh = (kind: string) =>
      `must be at most ${MAX_CONNECTION_INDEX}, the highest ${kind} index a connection may use (n8n nodes have a few dozen at most)`;
    const cases: [Record<string, unknown>, string][] = [
      [{ sourceIndex: 1_000_000_000 }, `${tooHigh('output')} at sourceIndex`],
      [{ sourceIndex: MAX_CONNECTION_INDEX + 1 }, `${tooHigh('output')} at sourceIndex`],
      [{ targetIndex: 1_000_000_000 }, `${tooHigh('input')} at targetIndex`],
      [{ case: 1_000_000_000 }, `${tooHigh('output')} at case`],
      [{ sourceOutput: 1_000_000_000 }, `${tooHigh('output')} at sourceOutput`],
      [{ sourceOutput: '1000000000' }, `${tooHigh('output')} at sourceOutput`],
      [{ targetInput: '1000000000' }, `${tooHigh('input')} at targetInput`],
      [{ targetInput: 1_000_000_000 }, `${tooHigh('input')} at targetInput`],
    ];
    for (const [extra, message] of cases) {
      expect(onlyError(applyOne(testDoc(), connect({ source: 'Set', target: 'Webhook', ...extra })))).toEqual({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: `operations[0]: ${message}`,
      });
    }
    // The bound itself is allowed: a thousand empty slots, then the edge (the invariants would stop a real IF).
    const atBound = applyOne(testDoc(), connect({ source: 'Set', target: 'Webhook', sourceOutput: String(MAX_CONNECTION_INDEX) }));
    expect(atBound.errors).toEqual([]);
    expect(atBound.doc.connections.Set?.main).toHaveLength(MAX_CONNECTION_INDEX + 1);
  });

  it('resolveSlot bounds a numeric sourceOutput string and a sourceIndex for callers that skip the schema', () => {
    const set = testNode('Set');
    expect(() => resolveSlot(set, { sourceOutput: '1000000000' }, 'addConnection')).toThrow(
      new OperationError(
        'VALIDATION_ERROR',
        `addConnection: sourceOutput "1000000000" must be at most ${MAX_CONNECTION_INDEX}, the highest output index a connection may use (n8n nodes have a few dozen at most)`,
      ),
    );
    expect(() => resolveSlot(set, { sourceIndex: 1001 }, 'addConnection')).toThrow(/^addConnection: sourceIndex 1001 must be at most 1000/);
    expect(() => resolveSlot(set, { case: 5000 }, 'rewireConnection')).toThrow(/^rewireConnection: case 5000 must be at most 1000/);
    expect(resolveSlot(set, { sourceOutput: '1000' }, 'addConnection')).toEqual({ output: 'main', index: 1000 });
  });

  it('rewireConnection and removeConnection are bounded the same way', () => {
    for (const operation of [
      { type: 'rewireConnection', source: 'IF', from: 'Set', to: 'Webhook', sourceIndex: 5000 },
      { type: 'rewireConnection', source: 'IF', from: 'Set', to: 'Webhook', sourceOutput: '5000' },
      { type: 'removeConnection', source: 'IF', target: 'Set', case: 5000 },
      { type: 'removeConnection', source: 'IF', target: 'Set', targetInput: 5000 },
    ]) {
      expect(onlyError(applyOne(testDoc(), operation)).message).toMatch(
        /^operations\[0\]: must be at most 1000, the highest (output|input) index/,
      );
    }
  });

  it('a node connected to itself fails the batch invariants', () => {
    expect(onlyError(applyOne(testDoc(), connect({ source: 'Set', target: 'Set' })))).toEqual({
      operation: -1,
      code: 'OPERATION_FAILED',
      message: 'Connection loop detected: "Set" is connected to itself',
    });
  });
});
