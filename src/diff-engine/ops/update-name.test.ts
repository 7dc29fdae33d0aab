import { describe, expect, it } from 'vitest';
import { applyOne, onlyError, testDoc } from './test-support.ts';

describe('updateName', () => {
  it('renames the workflow, trimming the name', () => {
    const input = testDoc();
    const result = applyOne(input, { type: 'updateName', name: '  Orders sync  ' });
    expect(result.ok).toBe(true);
    expect(result.doc.name).toBe('Orders sync');
    expect(input.name).toBe('W');
  });

  it('rejects an empty, blank, too long or missing name', () => {
    for (const name of ['', '   ', 'x'.repeat(129), undefined, 5]) {
      expect(onlyError(applyOne(testDoc(), { type: 'updateName', name }))).toMatchObject({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^operations\[0\]: .* at name$/),
      });
    }
    expect(applyOne(testDoc(), { type: 'updateName', name: 'x'.repeat(128) }).ok).toBe(true);
  });
});
