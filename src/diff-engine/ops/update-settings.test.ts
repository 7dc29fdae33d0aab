import { describe, expect, it } from 'vitest';
import { applyOne, onlyError, testDoc } from './test-support.ts';

describe('updateSettings', () => {
  it('merges shallowly: new keys added, given keys replaced, others kept', () => {
    const input = { ...testDoc(), settings: { executionOrder: 'v1', callerPolicy: 'any', errorWorkflow: { id: 'a', extra: 1 } } };
    const result = applyOne(input, { type: 'updateSettings', settings: { timezone: 'Europe/Berlin', errorWorkflow: { id: 'b' } } });
    expect(result.ok).toBe(true);
    expect(result.doc.settings).toEqual({
      executionOrder: 'v1',
      callerPolicy: 'any',
      timezone: 'Europe/Berlin',
      errorWorkflow: { id: 'b' },
    });
    expect(input.settings).toEqual({ executionOrder: 'v1', callerPolicy: 'any', errorWorkflow: { id: 'a', extra: 1 } });
  });

  it('a null value removes the key; removing an absent key is harmless', () => {
    const result = applyOne(testDoc(), { type: 'updateSettings', settings: { executionOrder: null, missing: null } });
    expect(result.ok).toBe(true);
    expect(result.doc.settings).toEqual({});
  });

  it('requires a settings object', () => {
    for (const operation of [{ type: 'updateSettings' }, { type: 'updateSettings', settings: 'v1' }]) {
      expect(onlyError(applyOne(testDoc(), operation))).toMatchObject({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^operations\[0\]: .* at settings$/),
      });
    }
  });
});
