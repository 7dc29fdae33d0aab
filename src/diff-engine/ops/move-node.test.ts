import { describe, expect, it } from 'vitest';
import { applyOne, nodeNamed, onlyError, testDoc } from './test-support.ts';

describe('moveNode', () => {
  it('sets the position, by name or id, without touching the input', () => {
    const input = testDoc();
    const result = applyOne(input, { type: 'moveNode', nodeId: 'id-Set', position: [300, -40.5] });
    expect(result.ok).toBe(true);
    expect(nodeNamed(result.doc, 'Set').position).toEqual([300, -40.5]);
    expect(input.nodes[2]?.position).toEqual([0, 0]);
    expect(applyOne(input, { type: 'moveNode', nodeName: 'IF', position: [1, 2] }).doc.nodes[1]?.position).toEqual([1, 2]);
  });

  it('rejects a malformed position before running', () => {
    for (const position of [[1], [1, 2, 3], ['1', 2], undefined]) {
      expect(onlyError(applyOne(testDoc(), { type: 'moveNode', nodeName: 'Set', position }))).toMatchObject({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^operations\[0\]: .* at position/),
      });
    }
  });

  it('bounds the position at 1e9 either way', () => {
    for (const position of [
      [1e9 + 1, 0],
      [0, -1e9 - 1],
      [1e300, 0],
    ]) {
      expect(onlyError(applyOne(testDoc(), { type: 'moveNode', nodeName: 'Set', position }))).toEqual({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^operations\[0\]: a coordinate must be between -1000000000 and 1000000000 at position\.[01]$/),
      });
    }
    expect(nodeNamed(applyOne(testDoc(), { type: 'moveNode', nodeName: 'Set', position: [-1e9, 1e9] }).doc, 'Set').position).toEqual([
      -1e9, 1e9,
    ]);
  });

  it('reports an unknown node', () => {
    expect(onlyError(applyOne(testDoc(), { type: 'moveNode', nodeName: 'Ghost', position: [0, 0] }))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'Node not found: "Ghost". Available nodes: "Webhook", "IF", "Set"',
    });
  });
});
