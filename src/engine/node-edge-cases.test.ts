import { describe, expect, it } from 'vitest';
import { connect, node, outputJson, run, workflow } from './engine-test-support.ts';
import type { RunResult } from './run-workflow.ts';
import type { Item, JsonObject, WorkflowNode } from './types.ts';

/**
 * Node edge cases where n8n 2.39 gives a particular answer (issue 14), as whole workflows: Webhook (POST,
 * lastNode, allEntries) → Code that turns `body.items` into items → the node under test, execution order v1.
 */

const webhook = node('Webhook', 'webhook', {
  httpMethod: 'POST',
  path: 'edge',
  responseMode: 'lastNode',
  responseData: 'allEntries',
  options: {},
});
const split = node('Split', 'code', { jsCode: 'return $input.first().json.body.items.map(item => ({ json: item }));' }, { typeVersion: 2 });

function request(items: JsonObject[]): Item[] {
  return [{ json: { headers: {}, params: {}, query: {}, body: { items }, webhookUrl: 'http://localhost/webhook/edge' } }];
}

function runFrom(nodes: WorkflowNode[], edges: [string, string, number?, number?][], items: JsonObject[]): Promise<RunResult> {
  return run(workflow([webhook, split, ...nodes], connect(['Webhook', 'Split'], ['Split', nodes[0]?.name ?? ''], ...edges)), {
    items: request(items),
  });
}

function mainOf(result: RunResult, name: string) {
  return result.data.resultData.runData[name]?.[0]?.data?.main;
}

/** Set v3.4 with one string field, as the editor saves it. */
function setNode(name: string, value: string): WorkflowNode {
  return node(
    name,
    'set',
    {
      mode: 'manual',
      assignments: { assignments: [{ id: 'a', name: 'picked', value, type: 'string' }] },
      includeOtherFields: true,
      options: {},
    },
    { typeVersion: 3.4 },
  );
}

function filterV2(name: string, typeVersion: number, extra: JsonObject = {}): WorkflowNode {
  return node(
    name,
    'filter',
    {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: typeVersion >= 2.3 ? 3 : 2 },
        conditions: [{ id: 'c1', leftValue: '={{ $json.n }}', rightValue: 2, operator: { type: 'number', operation: 'gt' } }],
        combinator: 'and',
      },
      options: {},
      ...extra,
    },
    { typeVersion },
  );
}

const numbers = [{ n: 1 }, { n: 3 }, { n: 2 }, { n: 5 }];

describe('Filter records its discarded items as a second output', () => {
  it.each([2, 2.1, 2.2, 2.3])(
    'Filter v%s: main is [kept, discarded]; the answer and the children of output 0 are unchanged',
    async (version) => {
      const result = await runFrom([filterV2('Filter', version), setNode('After', '={{ $json.n * 10 }}')], [['Filter', 'After']], numbers);
      expect(result.status).toBe('success');
      const main = mainOf(result, 'Filter');
      expect(main?.map((items) => (items ?? []).map((item) => item.json))).toEqual([
        [{ n: 3 }, { n: 5 }],
        [{ n: 1 }, { n: 2 }],
      ]);
      expect(main?.[1]?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
      expect(outputJson(result, 'After')).toEqual([
        { n: 3, picked: '30' },
        { n: 5, picked: '50' },
      ]);
      expect(result.data.resultData.lastNodeExecuted).toBe('After');
      expect(Object.keys(result.data.resultData.runData)).toEqual(['Webhook', 'Split', 'Filter', 'After']);
    },
  );

  it('Filter v1 (conditions lists, combineConditions AND | OR) does the same', async () => {
    const v1 = (combineConditions: string) =>
      node(
        'Filter',
        'filter',
        {
          conditions: {
            number: [
              { value1: '={{ $json.n }}', operation: 'larger', value2: 2 },
              { value1: '={{ $json.n }}', operation: 'equal', value2: 1 },
            ],
          },
          combineConditions,
        },
        { typeVersion: 1 },
      );
    const and = mainOf(await runFrom([v1('AND')], [], numbers), 'Filter');
    expect(and?.map((items) => (items ?? []).map((item) => item.json.n))).toEqual([[], [1, 3, 2, 5]]);
    const or = mainOf(await runFrom([v1('OR')], [], numbers), 'Filter');
    expect(or?.map((items) => (items ?? []).map((item) => item.json.n))).toEqual([[1, 3, 5], [2]]);
  });

  it('the webhook answer (last node, all entries) is output 0 only', async () => {
    const result = await runFrom([filterV2('Filter', 2.2)], [], numbers);
    expect(result.data.resultData.lastNodeExecuted).toBe('Filter');
    expect(outputJson(result, 'Filter', 0)).toEqual([{ n: 3 }, { n: 5 }]);
  });

  it('with onError continueErrorOutput the second slot is the error output: discarded items do not go there', async () => {
    const filter = { ...filterV2('Filter', 2.2), onError: 'continueErrorOutput' as const };
    const result = await runFrom([filter, setNode('OnError', 'error branch')], [['Filter', 'OnError', 1]], numbers);
    expect(mainOf(result, 'Filter')?.map((items) => items?.length)).toEqual([2, 0]);
    expect(result.data.resultData.runData.OnError).toBeUndefined();
  });
});

describe('Merge node edge cases', () => {
  const left = node(
    'Left',
    'code',
    { jsCode: "return $input.all().map(i => ({ json: { a: i.json.n, k: 'left' } }));" },
    { typeVersion: 2 },
  );
  const right = node(
    'Right',
    'code',
    { jsCode: "return $input.all().map(i => ({ json: { b: i.json.n, k: 'right' } }));" },
    { typeVersion: 2 },
  );

  it('combineByPosition with addSuffix keeps input 2 also without the suffix: { a_1, k_1, b_2, k_2, b, k }', async () => {
    const merge = node(
      'Merge',
      'merge',
      { mode: 'combine', combineBy: 'combineByPosition', options: { clashHandling: { values: { resolveClash: 'addSuffix' } } } },
      { typeVersion: 3.2 },
    );
    const result = await run(
      workflow(
        [webhook, split, left, right, merge],
        connect(['Webhook', 'Split'], ['Split', 'Left'], ['Split', 'Right'], ['Left', 'Merge', 0, 0], ['Right', 'Merge', 0, 1]),
      ),
      { items: request([{ n: 1 }]) },
    );
    expect(result.status).toBe('success');
    expect(outputJson(result, 'Merge')).toEqual([{ a_1: 1, k_1: 'left', b_2: 1, k_2: 'right', b: 1, k: 'right' }]);
  });

  it('keepMatches with an empty input records main: [] (v3) and main: [[]] (v2)', async () => {
    const empty = node('Empty', 'code', { jsCode: 'return [];' }, { typeVersion: 2, alwaysOutputData: false });
    const byFields = (typeVersion: number) =>
      node(
        'Merge',
        'merge',
        typeVersion >= 3
          ? { mode: 'combine', combineBy: 'combineByFields', fieldsToMatchString: 'a', joinMode: 'keepMatches', options: {} }
          : { mode: 'combine', mergeByFields: { values: [{ field1: 'a', field2: 'a' }] }, joinMode: 'keepMatches', options: {} },
        { typeVersion },
      );
    for (const [typeVersion, expected] of [
      [3.2, []],
      [2.1, [[]]],
    ] as const) {
      const result = await run(
        workflow(
          [webhook, split, left, byFields(typeVersion), empty],
          connect(['Webhook', 'Split'], ['Split', 'Left'], ['Split', 'Empty'], ['Left', 'Merge', 0, 0], ['Empty', 'Merge', 0, 1]),
        ),
        { items: request([{ n: 1 }]) },
      );
      expect(result.status).toBe('success');
      expect(mainOf(result, 'Merge')).toEqual(expected);
    }
  });
});

describe('paired items after a Code node that returns its input items', () => {
  // Split pairs all its items with the one webhook item; a stale pairing would send every later `$('Split').item`
  // to Split's first item.
  const people = [
    { name: 'Cy', rank: 3 },
    { name: 'Ann', rank: 1 },
    { name: 'Bob', rank: 2 },
  ];
  const shapes: [string, string][] = [
    ['$input.all()', 'return $input.all();'],
    ['a sorted copy', 'return [...$input.all()].sort((a, b) => a.json.rank - b.json.rank);'],
    ['items changed in place', 'for (const item of $input.all()) item.json.seen = true;\nreturn $input.all();'],
    ['items.map returning each item', 'return items.map(i => { i.json.seen = true; return i; });'],
  ];

  it.each(shapes)('after %s, $("Split").item is the item it came from', async (_shape, jsCode) => {
    const code = node('Code', 'code', { jsCode }, { typeVersion: 2 });
    const after = node(
      'After',
      'set',
      {
        mode: 'manual',
        assignments: {
          assignments: [
            { id: 'a', name: 'fromSplit', value: "={{ $('Split').item.json.name }}", type: 'string' },
            { id: 'b', name: 'fromCode', value: "={{ $('Code').item.json.name }}", type: 'string' },
            { id: 'c', name: 'fromWebhook', value: "={{ $('Webhook').item.json.webhookUrl }}", type: 'string' },
          ],
        },
        options: {},
      },
      { typeVersion: 3.4 },
    );
    const result = await run(workflow([webhook, split, code, after], connect(['Webhook', 'Split'], ['Split', 'Code'], ['Code', 'After'])), {
      items: request(people),
    });
    expect(result.status).toBe('success');
    const codeOutput = mainOf(result, 'Code')?.[0] ?? [];
    const names = codeOutput.map((item) => item.json.name);
    expect(outputJson(result, 'After')).toEqual(
      names.map((name) => ({ fromSplit: name, fromCode: name, fromWebhook: 'http://localhost/webhook/edge' })),
    );
    // each returned item is paired with the position it had in the Code node's input
    expect(codeOutput.map((item) => item.pairedItem)).toEqual(names.map((name) => ({ item: people.findIndex((p) => p.name === name) })));
  });

  it('new objects keep n8n’s defaults (one to one when the counts match); once per item pairs with the item run', async () => {
    const fresh = node(
      'Code',
      'code',
      { jsCode: 'return $input.all().reverse().map(i => ({ json: { ...i.json } }));' },
      { typeVersion: 2 },
    );
    const result = await runFrom([fresh], [], people);
    expect(mainOf(result, 'Code')?.[0]?.map((item) => [item.json.name, item.pairedItem])).toEqual([
      ['Bob', { item: 0 }],
      ['Ann', { item: 1 }],
      ['Cy', { item: 2 }],
    ]);

    const eachItem = node('Code', 'code', { mode: 'runOnceForEachItem', jsCode: 'return $input.item;' }, { typeVersion: 2 });
    const each = await runFrom([eachItem], [], people);
    expect(mainOf(each, 'Code')?.[0]?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
  });
});

describe('Code node error messages', () => {
  const failing = (mode: string, jsCode: string) => node('Code', 'code', { mode, jsCode }, { typeVersion: 2 });

  it.each(['runOnceForAllItems', 'runOnceForEachItem'])('%s: the code’s error ends in " [line N]", without the item', async (mode) => {
    const result = await runFrom([failing(mode, 'const a = 1;\nthrow new Error("bad input");')], [], [{ n: 1 }, { n: 2 }]);
    expect(result.status).toBe('error');
    expect(result.data.resultData.error?.message).toBe('bad input [line 2]');
  });

  it('once per item, $input.all() is refused before the code runs: item 0 and the line that names it', async () => {
    const result = await runFrom([failing('runOnceForEachItem', 'const a = 1;\nreturn $input.all()[0];')], [], [{ n: 1 }, { n: 2 }]);
    expect(result.data.resultData.error?.message).toBe("Can't use .all() here [line 2, for item 0]");
  });

  it('a check of the returned data names the item as " [item N]"', async () => {
    const result = await runFrom([failing('runOnceForAllItems', 'return [{ json: {} }, { json: 5 }];')], [], [{ n: 1 }]);
    expect(result.data.resultData.error?.message).toBe("A 'json' property isn't an object [item 1]");
  });
});
