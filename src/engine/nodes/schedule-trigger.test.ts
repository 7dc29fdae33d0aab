import { describe, expect, it } from 'vitest';
import { scheduleTriggerNode } from './schedule-trigger.ts';
import { runNode } from './test-support.ts';

// The tick in n8n's shape, as the triggers module builds it.
const tick = {
  timestamp: '2026-03-10T13:00:00.000+01:00',
  'Readable date': 'March 10th 2026, 1:00:00 pm',
  'Readable time': '1:00:00 pm',
  'Day of week': 'Tuesday',
  Year: '2026',
  Month: 'March',
  'Day of month': '10',
  Hour: '13',
  Minute: '00',
  Second: '00',
  Timezone: 'Europe/Berlin (UTC+01:00)',
};

describe('scheduleTrigger', () => {
  it('is a trigger without inputs', () => {
    expect(scheduleTriggerNode.type).toBe('n8n-nodes-base.scheduleTrigger');
    expect(scheduleTriggerNode.trigger).toBe(true);
    expect(scheduleTriggerNode.inputs?.({ name: 'S', type: scheduleTriggerNode.type, typeVersion: 1.2, parameters: {} })).toBe(0);
  });

  it('emits the tick it was started with, paired with its position', async () => {
    const { result } = await runNode(scheduleTriggerNode, {
      parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
      inputs: [[{ json: tick }]],
    });
    expect(result).toEqual([[{ json: tick, pairedItem: { item: 0 } }]]);
  });

  it('re-pairs every start item and emits nothing without start data', async () => {
    const { result } = await runNode(scheduleTriggerNode, { inputs: [[{ json: { a: 1 }, pairedItem: { item: 5 } }, { json: { a: 2 } }]] });
    expect(result).toEqual([
      [
        { json: { a: 1 }, pairedItem: { item: 0 } },
        { json: { a: 2 }, pairedItem: { item: 1 } },
      ],
    ]);
    expect((await runNode(scheduleTriggerNode, { inputs: [] })).result).toEqual([[]]);
  });
});
