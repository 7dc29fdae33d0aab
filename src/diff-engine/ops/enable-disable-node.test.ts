import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { applyOne, nodeNamed, onlyError, testDoc } from './test-support.ts';

describe('enableNode / disableNode', () => {
  it('disableNode sets disabled: true without touching the input', () => {
    const input = testDoc();
    const result = applyOne(input, { type: 'disableNode', nodeName: 'Set' });
    expect(result.ok).toBe(true);
    expect(nodeNamed(result.doc, 'Set').disabled).toBe(true);
    expect(input.nodes[2]?.disabled).toBeUndefined();
  });

  it('enableNode sets disabled: false', () => {
    const result = applyOperations(testDoc(), [
      { type: 'disableNode', nodeId: 'id-Set' },
      { type: 'enableNode', name: 'Set' },
    ]);
    expect(nodeNamed(result.doc, 'Set').disabled).toBe(false);
  });

  it('reports an unknown or missing node', () => {
    expect(onlyError(applyOne(testDoc(), { type: 'enableNode', nodeName: 'Ghost' })).message).toMatch(/^Node not found: "Ghost"/);
    expect(onlyError(applyOne(testDoc(), { type: 'disableNode' })).message).toBe(
      'Node is required: give its name (nodeName) or id (nodeId)',
    );
  });
});
