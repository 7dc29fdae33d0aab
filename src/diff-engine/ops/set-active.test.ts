import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { applyOne, onlyError, testDoc } from './test-support.ts';

describe('activateWorkflow / deactivateWorkflow', () => {
  it('activateWorkflow sets active: true, deactivateWorkflow sets it back', () => {
    const input = testDoc();
    const active = applyOne(input, { type: 'activateWorkflow' });
    expect(active.doc.active).toBe(true);
    expect(input.active).toBe(false);
    expect(applyOne(active.doc, { type: 'deactivateWorkflow' }).doc.active).toBe(false);
  });

  it('is idempotent, and the last one in a batch wins', () => {
    expect(applyOne({ ...testDoc(), active: true }, { type: 'activateWorkflow' }).doc.active).toBe(true);
    const result = applyOperations(testDoc(), [{ type: 'activateWorkflow' }, { type: 'deactivateWorkflow' }, { type: 'activateWorkflow' }]);
    expect(result.doc.active).toBe(true);
  });

  it('rejects unknown fields', () => {
    expect(onlyError(applyOne(testDoc(), { type: 'activateWorkflow', force: true }))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'operations[0]: unknown field(s) "force" for activateWorkflow',
    });
  });
});
