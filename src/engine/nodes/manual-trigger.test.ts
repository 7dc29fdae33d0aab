import { describe, expect, it } from 'vitest';
import { manualTriggerNode } from './manual-trigger.ts';
import { runNode } from './test-support.ts';

describe('manualTrigger', () => {
  it('is a trigger without inputs', () => {
    expect(manualTriggerNode.trigger).toBe(true);
    expect(manualTriggerNode.inputs?.({ name: 'T', type: manualTriggerNode.type, typeVersion: 1, parameters: {} })).toBe(0);
  });

  it('emits one empty item when the run has no start data', async () => {
    expect((await runNode(manualTriggerNode, { inputs: [] })).result).toEqual([[{ json: {}, pairedItem: { item: 0 } }]]);
    expect((await runNode(manualTriggerNode, { inputs: [[]] })).result).toEqual([[{ json: {}, pairedItem: { item: 0 } }]]);
  });

  it('emits the start items it is given', async () => {
    const { result } = await runNode(manualTriggerNode, { inputs: [[{ json: { id: 1 } }, { json: { id: 2 } }]] });
    expect(result).toEqual([
      [
        { json: { id: 1 }, pairedItem: { item: 0 } },
        { json: { id: 2 }, pairedItem: { item: 1 } },
      ],
    ]);
  });
});
