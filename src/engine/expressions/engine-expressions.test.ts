import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { connect, node, order, outputJson, run, workflow } from '../engine-test-support.ts';
import type { JsonObject } from '../types.ts';

type FieldType = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** A Set 3.4 node that outputs only `fields` (name → [value, type]). */
const setFields = (name: string, fields: Record<string, [unknown, FieldType]>, extra = {}) =>
  node(
    name,
    'set',
    {
      assignments: {
        assignments: Object.entries(fields).map(([field, [value, type]]) => ({ id: field, name: field, value, type })),
      },
    },
    { typeVersion: 3.4, ...extra },
  );

/** A Set 3.4 node that adds one string field and keeps the others. */
const addField = (name: string, field: string, value: string) =>
  node(
    name,
    'set',
    { assignments: { assignments: [{ id: field, name: field, value, type: 'string' }] }, includeOtherFields: true },
    { typeVersion: 3.4 },
  );

const ifAbove = (name: string, field: string, limit: number) =>
  node(
    name,
    'if',
    {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
        conditions: [{ id: 'c1', leftValue: `={{ $json.${field} }}`, rightValue: limit, operator: { type: 'number', operation: 'gt' } }],
        combinator: 'and',
      },
    },
    { typeVersion: 2 },
  );

const sortBy = (name: string, field: string) =>
  node(name, 'sort', { type: 'simple', sortFieldsUi: { sortField: [{ fieldName: field, order: 'ascending' }] } });

const items = (...rows: JsonObject[]) => rows.map((json) => ({ json }));

describe('expressions in a run', () => {
  it("$('Name').item follows pairedItem back through IF (dropping items) and Sort (reordering them)", async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        addField('Tag', 'tag', '={{ "t" + $json.n }}'),
        ifAbove('Big?', 'n', 2),
        sortBy('Sort', 'n'),
        setFields('Use', {
          n: ['={{ $json.n }}', 'number'],
          tag: ["={{ $('Tag').item.json.tag }}", 'string'],
          name: ["={{ $('Start').item.json.name }}", 'string'],
          matched: ["={{ $('Tag').itemMatching($itemIndex).json.tag }}", 'string'],
          sameInput: ['={{ $input.item.json.n === $json.n }}', 'boolean'],
          itemIndex: ['={{ $itemIndex }}', 'number'],
        }),
      ],
      connect(['Start', 'Tag'], ['Tag', 'Big?'], ['Big?', 'Sort', 0], ['Sort', 'Use']),
    );
    const result = await run(wf, {
      items: items({ n: 5, name: 'e' }, { n: 1, name: 'a' }, { n: 4, name: 'd' }, { n: 2, name: 'b' }, { n: 3, name: 'c' }),
    });
    expect(result.status).toBe('success');
    expect(outputJson(result, 'Big?')).toEqual([
      { n: 5, name: 'e', tag: 't5' },
      { n: 4, name: 'd', tag: 't4' },
      { n: 3, name: 'c', tag: 't3' },
    ]);
    // Use item 0 (n=3) is Sort item 0 ← IF true item 2 ← Tag item 4: the index shifted twice on the way.
    expect(outputJson(result, 'Use')).toEqual([
      { n: 3, tag: 't3', name: 'c', matched: 't3', sameInput: true, itemIndex: 0 },
      { n: 4, tag: 't4', name: 'd', matched: 't4', sameInput: true, itemIndex: 1 },
      { n: 5, tag: 't5', name: 'e', matched: 't5', sameInput: true, itemIndex: 2 },
    ]);
  });

  it("$('Name').first(), .last(), .all() read the node's whole output; $node reads the item in a straight line", async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        addField('Tag', 'tag', '={{ "t" + $json.n }}'),
        setFields('Use', {
          first: ["={{ $('Tag').first().json.tag }}", 'string'],
          last: ["={{ $('Start').last().json.n }}", 'number'],
          all: ["={{ $('Tag').all().map(item => item.json.tag).join(',') }}", 'string'],
          count: ['={{ $input.all().length }}', 'number'],
          viaNode: ['={{ $node["Start"].json.n }}|{{ $node["Tag"].json.tag }}', 'string'],
          executed: ['={{ $("Tag").isExecuted }}', 'boolean'],
        }),
      ],
      connect(['Start', 'Tag'], ['Tag', 'Use']),
    );
    const result = await run(wf, { items: items({ n: 1 }, { n: 2 }, { n: 3 }) });
    expect(result.status).toBe('success');
    expect(outputJson(result, 'Use')).toEqual([
      { first: 't1', last: 3, all: 't1,t2,t3', count: 3, viaNode: '1|t1', executed: true },
      { first: 't1', last: 3, all: 't1,t2,t3', count: 3, viaNode: '2|t2', executed: true },
      { first: 't1', last: 3, all: 't1,t2,t3', count: 3, viaNode: '3|t3', executed: true },
    ]);
  });

  it('$now and $today use services.now in the workflow timezone', async () => {
    const fixed = new Date('2024-07-01T10:00:00.000Z');
    const wf = (settings = {}) =>
      workflow(
        [
          node('Start', 'manualTrigger'),
          setFields('Time', {
            now: ['={{ $now }}', 'string'],
            today: ['={{ $today }}', 'string'],
            zone: ['={{ $now.zoneName }}', 'string'],
            text: ['=at {{ $now.toFormat("HH:mm") }}', 'string'],
          }),
        ],
        connect(['Start', 'Time']),
        settings,
      );
    const tokyo = await run(wf({ timezone: 'Asia/Tokyo' }), { services: { now: () => fixed } });
    expect(outputJson(tokyo, 'Time')).toEqual([
      { now: '2024-07-01T19:00:00.000+09:00', today: '2024-07-01T00:00:00.000+09:00', zone: 'Asia/Tokyo', text: 'at 19:00' },
    ]);
    const fallback = await run(wf({ timezone: 'DEFAULT' }), { services: { now: () => fixed, defaultTimezone: 'America/New_York' } });
    expect(outputJson(fallback, 'Time')).toEqual([
      { now: '2024-07-01T06:00:00.000-04:00', today: '2024-07-01T00:00:00.000-04:00', zone: 'America/New_York', text: 'at 06:00' },
    ]);
  });

  it("Luxon in expressions and Code works in the workflow's zone, as in n8n", async () => {
    const wf = (settings = {}) =>
      workflow(
        [
          node('Start', 'manualTrigger'),
          setFields('Luxon', {
            parsed: ["={{ DateTime.fromISO('2025-07-04T10:00').toISO() }}", 'string'],
            zone: ['={{ DateTime.local().zoneName }}/{{ DateTime.now().zoneName }}', 'string'],
            utc: ["={{ DateTime.fromISO('2025-07-04T10:00Z').toISO() }}", 'string'],
          }),
          node(
            'Code',
            'code',
            { jsCode: "return [{ json: { parsed: DateTime.fromISO('2025-07-04T10:00').toISO(), zone: DateTime.local().zoneName } }];" },
            { typeVersion: 2 },
          ),
        ],
        connect(['Start', 'Luxon'], ['Luxon', 'Code']),
        settings,
      );
    const berlin = await run(wf({ timezone: 'Europe/Berlin' }));
    expect(outputJson(berlin, 'Luxon')).toEqual([
      { parsed: '2025-07-04T10:00:00.000+02:00', zone: 'Europe/Berlin/Europe/Berlin', utc: '2025-07-04T12:00:00.000+02:00' },
    ]);
    expect(outputJson(berlin, 'Code')).toEqual([{ parsed: '2025-07-04T10:00:00.000+02:00', zone: 'Europe/Berlin' }]);
    // No zone on the workflow: the server's GENERIC_TIMEZONE, whose default is n8n's America/New_York.
    const byDefault = await run(wf(), { services: { defaultTimezone: loadConfig({}).timezone } });
    expect(outputJson(byDefault, 'Luxon')).toEqual([
      {
        parsed: '2025-07-04T10:00:00.000-04:00',
        zone: 'America/New_York/America/New_York',
        utc: '2025-07-04T06:00:00.000-04:00',
      },
    ]);
    expect(outputJson(byDefault, 'Code')).toEqual([{ parsed: '2025-07-04T10:00:00.000-04:00', zone: 'America/New_York' }]);
    // A zone the runtime does not know is not used: the run takes GENERIC_TIMEZONE instead.
    const unknown = await run(wf({ timezone: 'Mars/Olympus' }), { services: { defaultTimezone: 'Asia/Tokyo' } });
    expect(outputJson(unknown, 'Luxon')[0]).toMatchObject({ parsed: '2025-07-04T10:00:00.000+09:00', zone: 'Asia/Tokyo/Asia/Tokyo' });
  });

  it('$workflow and $execution describe the run', async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        setFields('Meta', { info: ['={{ $workflow.id }}/{{ $workflow.name }}/{{ $execution.id }}/{{ $execution.mode }}', 'string'] }),
      ],
      connect(['Start', 'Meta']),
    );
    const result = await run(wf);
    expect(outputJson(result, 'Meta')).toEqual([{ info: 'wf1/Test/1/test' }]);
  });

  it("an error the expression's code throws gives an empty value, as in n8n", async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        setFields('Lenient', {
          whole: ['={{ $json.nope.x }}', 'string'],
          text: ['=a {{ $json.nope.x }} b', 'string'],
          nan: ['={{ undefinedVar + 1 }}', 'string'],
        }),
      ],
      connect(['Start', 'Lenient']),
    );
    const result = await run(wf);
    expect(result.status).toBe('success');
    expect(outputJson(result, 'Lenient')).toEqual([{ whole: null, text: 'a  b', nan: 'NaN' }]);
  });

  it('an expression with invalid syntax fails the run, and nothing after the node runs', async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        setFields('Broken', { x: ['={{ $json.value + }}', 'string'] }),
        setFields('After', { y: [1, 'number'] }),
      ],
      connect(['Start', 'Broken'], ['Broken', 'After']),
    );
    const result = await run(wf);
    expect(result.status).toBe('error');
    expect(result.data.resultData.error).toMatchObject({
      name: 'ExpressionError',
      message: 'invalid syntax',
      node: { name: 'Broken' },
    });
    expect(result.data.resultData.lastNodeExecuted).toBe('Broken');
    expect(result.data.resultData.runData.Broken?.[0]?.executionStatus).toBe('error');
    expect(order(result)).toEqual(['Start', 'Broken']);
  });

  it('fails the run when an expression references a node that does not exist', async () => {
    const wf = workflow(
      [node('Start', 'manualTrigger'), setFields('Use', { x: ["={{ $('Ghost').item.json.x }}", 'string'] })],
      connect(['Start', 'Use']),
    );
    const result = await run(wf);
    expect(result.status).toBe('error');
    expect(result.data.resultData.error?.message).toBe('Referenced node doesn\'t exist: "Ghost"');
    const viaNode = await run(
      workflow(
        [node('Start', 'manualTrigger'), setFields('Use', { x: ['={{ $node["Ghost"].json.x }}', 'string'] })],
        connect(['Start', 'Use']),
      ),
    );
    expect(viaNode.data.resultData.error?.message).toBe('Referenced node doesn\'t exist: "Ghost"');
  });

  it("fails the run when an expression reads a node that hasn't run yet; .isExecuted tells without failing", async () => {
    const nodes = (expression: string, type: FieldType) => [
      node('Start', 'manualTrigger'),
      setFields('Use', { x: [expression, type] }),
      setFields('Later', { y: [1, 'number'] }),
    ];
    const edges = connect(['Start', 'Use'], ['Use', 'Later']);
    const failed = await run(workflow(nodes("={{ $('Later').first().json.y }}", 'number'), edges));
    expect(failed.status).toBe('error');
    expect(failed.data.resultData.error?.message).toBe("Node 'Later' hasn't been executed");
    const checked = await run(workflow(nodes("={{ $('Later').isExecuted ? 'yes' : 'no' }}", 'string'), edges));
    expect(checked.status).toBe('success');
    expect(outputJson(checked, 'Use')).toEqual([{ x: 'no' }]);
  });
});

describe('expressions and Code read the run through one data context', () => {
  it("give the same answers to the same $('X'), $node, $input and $items calls", async () => {
    const calls = {
      ifFirst: '$("Check").first().json.n',
      ifAll: '$("Check").all().map((i) => i.json.n).join(",")',
      startItem: '$("Start").item.json.name',
      legacy: '$node["Check"].json.n',
      inputItem: '$input.item.json.n',
      items: '$items("Start").length',
      executed: '$("Start").isExecuted',
      prev: '$prevNode.name',
    };
    const set = node(
      'Expressions',
      'set',
      {
        assignments: {
          assignments: Object.entries(calls).map(([name, code]) => ({ id: name, name, value: `={{ ${code} }}`, type: 'string' })),
        },
      },
      { typeVersion: 3.4, position: [400, 0] },
    );
    const code = node(
      'Code',
      'code',
      {
        mode: 'runOnceForEachItem',
        jsCode: `return { json: { ${Object.entries(calls)
          .map(([name, c]) => `${name}: String(${c})`)
          .join(', ')} } };`,
      },
      { typeVersion: 2, position: [400, 200] },
    );
    const wf = workflow(
      [node('Start', 'manualTrigger'), ifAbove('Check', 'n', 1), set, code],
      connect(['Start', 'Check'], ['Check', 'Expressions', 0], ['Check', 'Code', 0]),
    );
    const result = await run(wf, { items: items({ n: 1, name: 'one' }, { n: 2, name: 'two' }, { n: 3, name: 'three' }) });
    expect(result.status, JSON.stringify(result.data.resultData.error)).toBe('success');
    const fromExpressions = outputJson(result, 'Expressions');
    expect(fromExpressions).toEqual(outputJson(result, 'Code'));
    expect(fromExpressions[0]).toEqual({
      ifFirst: '2',
      ifAll: '2,3',
      startItem: 'two',
      legacy: '2',
      inputItem: '2',
      items: '3',
      executed: 'true',
      prev: 'Check',
    });
  });
});
