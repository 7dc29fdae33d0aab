import { describe, expect, it } from 'vitest';
import { connect, node, order, outputJson, run, workflow } from './engine-test-support.ts';
import { waitingFromSaved } from './scheduling.ts';
import type { JsonObject, WorkflowNode } from './types.ts';

const at = (x: number, y: number): Partial<WorkflowNode> => ({ position: [x, y] });
const noOp = (name: string, extra: Partial<WorkflowNode> = {}) => node(name, 'noOp', {}, extra);
const start = () => node('Start', 'manualTrigger');

/** IF v2.2 as n8n's editor saves it: `$json.n > limit`. */
const ifAbove = (name: string, limit: number, extra: Partial<WorkflowNode> = {}) =>
  node(
    name,
    'if',
    {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
        conditions: [{ id: 'c1', leftValue: '={{ $json.n }}', rightValue: limit, operator: { type: 'number', operation: 'gt' } }],
        combinator: 'and',
      },
      options: {},
    },
    { typeVersion: 2.2, ...extra },
  );

const setField = (name: string, field: string, value: string, extra: Partial<WorkflowNode> = {}) =>
  node(
    name,
    'set',
    { assignments: { assignments: [{ id: field, name: field, value, type: 'string' }] }, includeOtherFields: true, options: {} },
    { typeVersion: 3.4, ...extra },
  );

const merge = (name: string, parameters: JsonObject, extra: Partial<WorkflowNode> = {}) =>
  node(name, 'merge', parameters, { typeVersion: 3, ...extra });

const items = (...values: number[]) => values.map((n) => ({ json: { n } }));

describe('v1 order: the children of all outputs, top first', () => {
  it('runs the false branch first when it is higher on the canvas (n8n answers with the true branch, run last)', async () => {
    const wf = workflow(
      [start(), ifAbove('If', 1), noOp('True A', at(400, 300)), noOp('False B', at(400, -300))],
      connect(['Start', 'If'], ['If', 'True A', 0], ['If', 'False B', 1]),
    );
    const result = await run(wf, { items: items(1, 2) });
    expect(order(result)).toEqual(['Start', 'If', 'False B', 'True A']);
    expect(result.data.resultData.lastNodeExecuted).toBe('True A');
    expect(outputJson(result, 'True A')).toEqual([{ n: 2 }]);
  });

  it('at equal height runs the left one first; at the same position the one connected last', async () => {
    const sameHeight = workflow(
      [start(), noOp('Right', at(600, 0)), noOp('Left', at(300, 0))],
      connect(['Start', 'Right'], ['Start', 'Left']),
    );
    expect(order(await run(sameHeight))).toEqual(['Start', 'Left', 'Right']);

    const samePlace = workflow(
      [start(), noOp('First', at(300, 0)), noOp('Second', at(300, 0))],
      connect(['Start', 'First'], ['Start', 'Second']),
    );
    expect(order(await run(samePlace))).toEqual(['Start', 'Second', 'First']);
  });

  it('finishes one branch before the next (depth first)', async () => {
    const wf = workflow(
      [start(), noOp('Top', at(300, -100)), noOp('Top child', at(600, 200)), noOp('Bottom', at(300, 100))],
      connect(['Start', 'Top'], ['Start', 'Bottom'], ['Top', 'Top child']),
    );
    expect(order(await run(wf))).toEqual(['Start', 'Top', 'Top child', 'Bottom']);
  });
});

describe('nodes with several inputs', () => {
  it('chooseBranch never runs when one input gets no data (n8n waits for both), and the run still succeeds', async () => {
    const wf = workflow(
      [
        start(),
        setField('A', 'from', 'a', at(300, -100)),
        ifAbove('Never', 100, at(300, 100)),
        merge('Merge', { mode: 'chooseBranch', useDataOfInput: 1 }, at(600, 0)),
      ],
      connect(['Start', 'A'], ['Start', 'Never'], ['A', 'Merge', 0, 0], ['Never', 'Merge', 0, 1]),
    );
    const result = await run(wf, { items: items(1) });
    expect(result.status).toBe('success');
    expect(result.data.resultData.runData.Merge).toBeUndefined();
    expect(result.data.resultData.lastNodeExecuted).toBe('Never');
  });

  it('append runs with what arrived when the other input never does', async () => {
    const wf = workflow(
      [
        start(),
        setField('A', 'from', 'a', at(300, -100)),
        ifAbove('Never', 100, at(300, 100)),
        merge('Merge', { mode: 'append' }, at(600, 0)),
      ],
      connect(['Start', 'A'], ['Start', 'Never'], ['A', 'Merge', 0, 0], ['Never', 'Merge', 0, 1]),
    );
    const result = await run(wf, { items: items(1) });
    expect(outputJson(result, 'Merge')).toEqual([{ n: 1, from: 'a' }]);
    expect(order(result)).toEqual(['Start', 'A', 'Never', 'Merge']);
  });

  it('runs once per arrival when one parent runs twice and the other input never arrives', async () => {
    const wf = workflow(
      [
        start(),
        setField('Left', 'from', 'left', at(300, -200)),
        setField('Right', 'from', 'right', at(300, 0)),
        noOp('Twice', at(600, -100)),
        ifAbove('Never', 100, at(300, 200)),
        merge('Merge', { mode: 'append' }, at(900, 0)),
      ],
      connect(
        ['Start', 'Left'],
        ['Start', 'Right'],
        ['Start', 'Never'],
        ['Left', 'Twice'],
        ['Right', 'Twice'],
        ['Twice', 'Merge', 0, 0],
        ['Never', 'Merge', 0, 1],
      ),
    );
    const result = await run(wf, { items: items(1) });
    const runs = result.data.resultData.runData.Merge ?? [];
    expect(runs.map((r) => r.data?.main[0]?.map((item) => item.json))).toEqual([[{ n: 1, from: 'left' }], [{ n: 1, from: 'right' }]]);
  });

  it('a Merge with only its first input connected runs as soon as that input arrives', async () => {
    const wf = workflow(
      [start(), setField('A', 'from', 'a', at(300, -100)), noOp('B', at(300, 100)), merge('Merge', { mode: 'append' }, at(600, -100))],
      connect(['Start', 'A'], ['Start', 'B'], ['A', 'Merge', 0, 0]),
    );
    expect(order(await run(wf, { items: items(1) }))).toEqual(['Start', 'A', 'Merge', 'B']);
  });

  it('releases a waiting node only once no node before it is still waiting', async () => {
    // M2 starts waiting first (B is higher and runs first), but its other input comes from M1, which waits too:
    // M1 must run first, and M2 then runs once with both inputs.
    const wf = workflow(
      [
        start(),
        setField('B', 'from', 'b', at(300, -300)),
        setField('A', 'from', 'a', at(300, 0)),
        ifAbove('Never', 100, at(300, 300)),
        merge('M1', { mode: 'append' }, at(600, 100)),
        merge('M2', { mode: 'append' }, at(900, 0)),
      ],
      connect(
        ['Start', 'B'],
        ['Start', 'A'],
        ['Start', 'Never'],
        ['A', 'M1', 0, 0],
        ['Never', 'M1', 0, 1],
        ['M1', 'M2', 0, 0],
        ['B', 'M2', 0, 1],
      ),
    );
    const result = await run(wf, { items: items(1) });
    expect(result.data.resultData.runData.M2).toHaveLength(1);
    expect(outputJson(result, 'M2')).toEqual([
      { n: 1, from: 'a' },
      { n: 1, from: 'b' },
    ]);
  });

  it('reads waiting runs saved in the one-slot shape of earlier versions', () => {
    const slot = { inputs: [[{ json: { n: 1 } }], null], source: [null, null] };
    expect(waitingFromSaved({ Merge: slot })).toEqual({ Merge: [slot] });
    expect(waitingFromSaved({ Merge: [slot, slot] }).Merge).toHaveLength(2);
  });
});

describe('alwaysOutputData', () => {
  it('puts one empty item on output 0 of an IF whose items all went to false, and runs the true branch with it', async () => {
    const wf = workflow(
      [start(), ifAbove('If', 100, { alwaysOutputData: true }), noOp('On true', at(400, -100)), noOp('On false', at(400, 100))],
      connect(['Start', 'If'], ['If', 'On true', 0], ['If', 'On false', 1]),
    );
    const result = await run(wf, { items: items(1, 2) });
    const ifRun = result.data.resultData.runData.If?.[0];
    expect(ifRun?.data?.main).toEqual([
      [
        {
          json: {},
          pairedItem: [
            { item: 0, input: 0 },
            { item: 1, input: 0 },
          ],
        },
      ],
      [
        { json: { n: 1 }, pairedItem: { item: 0 } },
        { json: { n: 2 }, pairedItem: { item: 1 } },
      ],
    ]);
    expect(order(result)).toEqual(['Start', 'If', 'On true', 'On false']);
    expect(outputJson(result, 'On true')).toEqual([{}]);
  });

  it('leaves a node alone whose first output has items', async () => {
    const wf = workflow([start(), ifAbove('If', 0, { alwaysOutputData: true })], connect(['Start', 'If']));
    const result = await run(wf, { items: items(1) });
    expect(result.data.resultData.runData.If?.[0]?.data?.main).toEqual([[{ json: { n: 1 }, pairedItem: { item: 0 } }], []]);
  });
});

describe('executeOnce', () => {
  it('runs the node for the first item while its expressions see the whole input', async () => {
    const wf = workflow(
      [
        start(),
        node(
          'Count',
          'set',
          {
            assignments: { assignments: [{ id: 'c', name: 'seen', value: '={{ $input.all().length }}', type: 'number' }] },
            includeOtherFields: true,
            options: {},
          },
          { typeVersion: 3.4, executeOnce: true },
        ),
      ],
      connect(['Start', 'Count']),
    );
    expect(outputJson(await run(wf, { items: items(1, 2) }), 'Count')).toEqual([{ n: 1, seen: 2 }]);
  });

  it('gives a Code node running once for all items every input item', async () => {
    const wf = workflow(
      [
        start(),
        node(
          'Code',
          'code',
          { jsCode: 'return [{ json: { all: $input.all().length, items: items.length } }];', mode: 'runOnceForAllItems' },
          { typeVersion: 2, executeOnce: true },
        ),
      ],
      connect(['Start', 'Code']),
    );
    expect(outputJson(await run(wf, { items: items(1, 2) }), 'Code')).toEqual([{ all: 2, items: 2 }]);
  });
});
