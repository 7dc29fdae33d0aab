import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { applyOne, onlyError, testDoc } from './test-support.ts';

describe('addTag', () => {
  it('adds a tag name, trimmed, without touching the input', () => {
    const input = { ...testDoc(), tags: ['ops'] };
    const result = applyOne(input, { type: 'addTag', tag: ' prod ' });
    expect(result.ok).toBe(true);
    expect(result.doc.tags).toEqual(['ops', 'prod']);
    expect(input.tags).toEqual(['ops']);
  });

  it('ignores a tag the workflow already has, compared case-insensitively, keeping the existing spelling', () => {
    const result = applyOperations({ ...testDoc(), tags: ['Prod'] }, [
      { type: 'addTag', tag: 'prod' },
      { type: 'addTag', tag: 'PROD' },
      { type: 'addTag', tag: 'new' },
      { type: 'addTag', tag: 'New' },
    ]);
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(result.doc.tags).toEqual(['Prod', 'new']);
  });

  it('rejects an empty or too long tag', () => {
    for (const tag of ['', '  ', 'x'.repeat(25)]) {
      expect(onlyError(applyOne(testDoc(), { type: 'addTag', tag }))).toMatchObject({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^operations\[0\]: .* at tag$/),
      });
    }
  });
});
