import { describe, expect, it } from 'vitest';
import { applyOne, onlyError, testDoc } from './test-support.ts';

describe('removeTag', () => {
  it('removes a tag name, compared case-insensitively, without touching the input', () => {
    const input = { ...testDoc(), tags: ['Prod', 'ops'] };
    const result = applyOne(input, { type: 'removeTag', tag: 'PROD' });
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(result.doc.tags).toEqual(['ops']);
    expect(input.tags).toEqual(['Prod', 'ops']);
  });

  it('removing a tag the workflow does not have is a warning, not an error', () => {
    const result = applyOne({ ...testDoc(), tags: ['ops'] }, { type: 'removeTag', tag: 'prod' });
    expect(result).toMatchObject({ ok: true, errors: [], warnings: ['removeTag: the workflow has no tag "prod"'] });
    expect(result.doc.tags).toEqual(['ops']);
  });

  it('rejects an empty tag', () => {
    expect(onlyError(applyOne(testDoc(), { type: 'removeTag', tag: ' ' })).message).toMatch(/^operations\[0\]: .* at tag$/);
  });
});
