import { describe, expect, it } from 'vitest';
import { connect, node, order, outputJson, run, workflow } from './engine-test-support.ts';
import { NodeOperationError, type NodeType } from './node-types.ts';
import { createNodeTypeRegistry, withoutTypes } from './nodes/registry.ts';
import { setNode } from './nodes/set.ts';

const set = (name: string, field: string, value: unknown, extra = {}) =>
  node(
    name,
    'set',
    {
      assignments: { assignments: [{ id: field, name: field, value, type: typeof value === 'number' ? 'number' : 'string' }] },
      includeOtherFields: true,
    },
    { typeVersion: 3.4, ...extra },
  );

const ifNumberAbove = (name: string, field: string, limit: number, extra = {}) =>
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
    { typeVersion: 2, ...extra },
  );

describe('runWorkflow', () => {
  it('runs the n8n sample: webhook → Set (expression) → Stop and Error ends in error with n8n run data', async () => {
    const wf = workflow(
      [
        node('Webhook', 'webhook'),
        node(
          'Set',
          'set',
          { assignments: { assignments: [{ id: 'a1', name: 'doubled', value: '={{ $json.body.n * 2 }}', type: 'number' }] }, options: {} },
          { typeVersion: 3.4 },
        ),
        node('Fail', 'stopAndError', { errorMessage: 'boom' }),
      ],
      connect(['Webhook', 'Set'], ['Set', 'Fail']),
    );
    const result = await run(wf, { items: [{ json: { body: { n: 21 } } }] });
    expect(result.status).toBe('error');
    expect(outputJson(result, 'Set')).toEqual([{ doubled: 42 }]);
    const runData = result.data.resultData.runData;
    expect(runData.Set?.[0]).toMatchObject({
      executionIndex: 1,
      executionStatus: 'success',
      source: [{ previousNode: 'Webhook', previousNodeOutput: 0, previousNodeRun: 0 }],
      hints: [],
    });
    expect(runData.Fail?.[0]?.executionStatus).toBe('error');
    expect(result.data.resultData.lastNodeExecuted).toBe('Fail');
    expect(result.data.resultData.error).toMatchObject({ name: 'NodeOperationError', message: 'boom', node: { name: 'Fail' } });
    expect(result.data.resultData.error?.stack).not.toMatch(/\/|\\/);
  });

  it('routes IF items to the true and false branches, running the true branch to its end first', async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        ifNumberAbove('Big?', 'n', 10),
        set('Yes', 'size', 'big', { position: [400, 0] }),
        set('No', 'size', 'small', { position: [400, 200] }),
        set('After yes', 'done', 1),
      ],
      connect(['Start', 'Big?'], ['Big?', 'Yes', 0], ['Big?', 'No', 1], ['Yes', 'After yes']),
    );
    const result = await run(wf, { items: [{ json: { n: 5 } }, { json: { n: 50 } }] });
    expect(result.status).toBe('success');
    expect(outputJson(result, 'Yes')).toEqual([{ n: 50, size: 'big' }]);
    expect(outputJson(result, 'No')).toEqual([{ n: 5, size: 'small' }]);
    expect(order(result)).toEqual(['Start', 'Big?', 'Yes', 'After yes', 'No']);
  });

  it('takes branches of one output top to bottom by canvas position', async () => {
    const wf = workflow(
      [node('Start', 'manualTrigger'), set('Lower', 'x', 1, { position: [200, 300] }), set('Upper', 'x', 2, { position: [200, -100] })],
      connect(['Start', 'Lower'], ['Start', 'Upper']),
    );
    expect(order(await run(wf))).toEqual(['Start', 'Upper', 'Lower']);
  });

  it('does not run a node whose input got no items', async () => {
    const wf = workflow(
      [node('Start', 'manualTrigger'), ifNumberAbove('Big?', 'n', 10), set('Yes', 'x', 1)],
      connect(['Start', 'Big?'], ['Big?', 'Yes', 0]),
    );
    const result = await run(wf, { items: [{ json: { n: 1 } }] });
    expect(order(result)).toEqual(['Start', 'Big?']);
  });

  it('waits for both Merge inputs, and runs Merge with what it has when one branch produced nothing', async () => {
    const merge = node('Merge', 'merge', { mode: 'append' }, { typeVersion: 3 });
    const both = workflow(
      [node('Start', 'manualTrigger'), set('A', 'from', 'a'), set('B', 'from', 'b', { position: [0, 100] }), merge],
      connect(['Start', 'A'], ['Start', 'B'], ['A', 'Merge', 0, 0], ['B', 'Merge', 0, 1]),
    );
    const result = await run(both);
    expect(outputJson(result, 'Merge')).toEqual([{ from: 'a' }, { from: 'b' }]);
    expect(result.data.resultData.runData.Merge).toHaveLength(1);

    const oneSided = workflow(
      [node('Start', 'manualTrigger'), set('A', 'from', 'a'), ifNumberAbove('Never', 'n', 100, { position: [0, 100] }), merge],
      connect(['Start', 'A'], ['Start', 'Never'], ['A', 'Merge', 0, 0], ['Never', 'Merge', 0, 1]),
    );
    const partial = await run(oneSided, { items: [{ json: { n: 1 } }] });
    expect(outputJson(partial, 'Merge')).toEqual([{ n: 1, from: 'a' }]);
  });

  it('passes input through a disabled node', async () => {
    const wf = workflow(
      [node('Start', 'manualTrigger'), set('Off', 'x', 1, { disabled: true }), set('Next', 'y', 2)],
      connect(['Start', 'Off'], ['Off', 'Next']),
    );
    const result = await run(wf, { items: [{ json: { a: 1 } }] });
    expect(outputJson(result, 'Off')).toEqual([{ a: 1 }]);
    expect(outputJson(result, 'Next')).toEqual([{ a: 1, y: 2 }]);
  });

  it('continues after a failure with continueOnFail / onError, and routes to the error output', async () => {
    const regular = workflow(
      [
        node('Start', 'manualTrigger'),
        node('Fail', 'stopAndError', { errorMessage: 'nope' }, { continueOnFail: true }),
        set('Next', 'y', 2),
      ],
      connect(['Start', 'Fail'], ['Fail', 'Next']),
    );
    const r1 = await run(regular, { items: [{ json: { a: 1 } }] });
    expect(r1.status).toBe('success');
    expect(outputJson(r1, 'Next')).toEqual([{ a: 1, error: 'nope', y: 2 }]);

    const failing = node('Fail', 'stopAndError', { errorMessage: 'nope' }, { onError: 'continueErrorOutput' });
    const errorOutput = workflow(
      [node('Start', 'manualTrigger'), failing, set('Handler', 'handled', 'yes')],
      connect(['Start', 'Fail'], ['Fail', 'Handler', 0]),
    );
    const r2 = await run(errorOutput);
    // Stop and Error has no regular outputs, so output 0 is its error output.
    expect(r2.status).toBe('success');
    expect(outputJson(r2, 'Handler')).toEqual([{ error: 'nope', handled: 'yes' }]);
  });

  it('retries a failing node maxTries times with waitBetweenTries, then succeeds or fails', async () => {
    let calls = 0;
    const flaky: NodeType = {
      type: 'test.flaky',
      async execute(ctx) {
        calls++;
        if (calls < 3) throw new NodeOperationError(`attempt ${calls} failed`);
        return [ctx.items];
      },
    };
    const nodeTypes = createNodeTypeRegistry([
      flaky,
      setNode,
      ...['manualTrigger'].map(
        () => ({ type: 'n8n-nodes-base.manualTrigger', trigger: true, execute: async (ctx) => [ctx.items] }) as NodeType,
      ),
    ]);
    const wf = workflow(
      [node('Start', 'manualTrigger'), node('Flaky', 'test.flaky', {}, { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 })],
      connect(['Start', 'Flaky']),
    );
    const ok = await run(wf, { services: { nodeTypes } });
    expect(ok.status).toBe('success');
    expect(calls).toBe(3);
    calls = -10;
    const failed = await run(wf, { services: { nodeTypes } });
    expect(failed.status).toBe('error');
    expect(failed.data.resultData.error?.message).toBe('attempt -7 failed');
  });

  it('executeOnce runs the node for the first item only; alwaysOutputData emits an empty item', async () => {
    const wf = workflow([node('Start', 'manualTrigger'), set('Once', 'x', 1, { executeOnce: true })], connect(['Start', 'Once']));
    const once = await run(wf, { items: [{ json: { i: 0 } }, { json: { i: 1 } }] });
    expect(outputJson(once, 'Once')).toEqual([{ i: 0, x: 1 }]);

    const empty = workflow(
      [
        node('Start', 'manualTrigger'),
        node(
          'Filter',
          'filter',
          {
            conditions: {
              conditions: [{ id: 'c', leftValue: 1, rightValue: 2, operator: { type: 'number', operation: 'equals' } }],
              combinator: 'and',
              options: {},
            },
          },
          { typeVersion: 2, alwaysOutputData: true },
        ),
        set('Next', 'ran', 'yes'),
      ],
      connect(['Start', 'Filter'], ['Filter', 'Next']),
    );
    const result = await run(empty);
    expect(outputJson(result, 'Filter')).toEqual([{}]);
    expect(outputJson(result, 'Next')).toEqual([{ ran: 'yes' }]);
  });

  it("resolves $('Node').item through paired items, $node, $input and $workflow in expressions", async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        set('First', 'tag', '={{ "t" + $json.i }}'),
        node('Keep', 'limit', { maxItems: 5, keep: 'lastItems' }),
        set(
          'Use',
          'summary',
          '={{ $("First").item.json.tag }}|{{ $node["Start"].json.i }}|{{ $input.all().length }}|{{ $workflow.name }}|{{ $execution.id }}',
        ),
      ],
      connect(['Start', 'First'], ['First', 'Keep'], ['Keep', 'Use']),
    );
    const result = await run(wf, { items: [{ json: { i: 1 } }, { json: { i: 2 } }] });
    expect(outputJson(result, 'Use').map((j) => j.summary)).toEqual(['t1|1|2|Test|1', 't2|2|2|Test|1']);
  });

  it('loops with Split in Batches until every item is done', async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        node('Loop', 'splitInBatches', { batchSize: 2 }, { typeVersion: 3 }),
        set('Work', 'seen', '={{ $json.i * 10 }}', {
          parameters: {
            assignments: { assignments: [{ id: 's', name: 'seen', value: '={{ $json.i * 10 }}', type: 'number' }] },
            includeOtherFields: true,
          },
        }),
        node('Done', 'noOp'),
      ],
      connect(['Start', 'Loop'], ['Loop', 'Done', 0], ['Loop', 'Work', 1], ['Work', 'Loop']),
    );
    const result = await run(wf, { items: [0, 1, 2, 3, 4].map((i) => ({ json: { i } })) });
    expect(result.status).toBe('success');
    expect(result.data.resultData.runData.Work).toHaveLength(3);
    expect(outputJson(result, 'Done').map((j) => j.seen)).toEqual([0, 10, 20, 30, 40]);
  });

  it('fails a run at a node type the configuration turns off, naming NODES_EXCLUDE', async () => {
    const wf = workflow([node('Start', 'manualTrigger'), node('Shell', 'executeCommand', { command: 'id' })], connect(['Start', 'Shell']));
    const nodeTypes = withoutTypes(createNodeTypeRegistry(), ['n8n-nodes-base.executeCommand']);
    const result = await run(wf, { services: { nodeTypes } });
    expect(result.status).toBe('error');
    expect(result.data.resultData.error).toMatchObject({
      message: 'The node type "n8n-nodes-base.executeCommand" is disabled on this server',
      description: expect.stringContaining("server's NODES_EXCLUDE setting excludes it"),
    });
  });

  it('fails a run on an unknown node type with a message naming it', async () => {
    const wf = workflow([node('Start', 'manualTrigger'), node('Slack', 'n8n-nodes-base.slack')], connect(['Start', 'Slack']));
    const result = await run(wf);
    expect(result.status).toBe('error');
    expect(result.data.resultData.error).toMatchObject({ message: 'Unrecognized node type: n8n-nodes-base.slack' });
    expect(result.data.resultData.error?.description).toContain('n8n-nodes-base.set');
  });

  it('parks a long Wait as "waiting" and resumes from the saved state without running Wait again', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        set('Before', 'b', 1),
        node('Wait', 'wait', { resume: 'timeInterval', amount: 2, unit: 'hours' }, { typeVersion: 1.1 }),
        set('After', 'a', 2),
      ],
      connect(['Start', 'Before'], ['Before', 'Wait'], ['Wait', 'After']),
    );
    const parked = await run(wf, { services: { now: () => now } });
    expect(parked.status).toBe('waiting');
    expect(parked.waitTill?.toISOString()).toBe('2026-01-01T02:00:00.000Z');
    expect(parked.data.resultData.runData.After).toBeUndefined();
    const saved = JSON.parse(JSON.stringify(parked.data));
    const resumed = await run(wf, { resume: saved });
    expect(resumed.status).toBe('success');
    expect(outputJson(resumed, 'After')).toEqual([{ b: 1, a: 2 }]);
    expect(order(resumed)).toEqual(['Start', 'Before', 'Wait', 'After']);
  });

  it('sleeps through a short Wait in process', async () => {
    const wf = workflow(
      [node('Start', 'manualTrigger'), node('Wait', 'wait', { amount: 0.05, unit: 'seconds' }), set('After', 'a', 1)],
      connect(['Start', 'Wait'], ['Wait', 'After']),
    );
    const started = Date.now();
    const result = await run(wf);
    expect(result.status).toBe('success');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('is canceled by its signal, even in the middle of a Wait', async () => {
    const controller = new AbortController();
    const wf = workflow(
      [node('Start', 'manualTrigger'), node('Wait', 'wait', { amount: 30, unit: 'seconds' }), set('After', 'a', 1)],
      connect(['Start', 'Wait'], ['Wait', 'After']),
    );
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await run(wf, { signal: controller.signal });
    expect(result.status).toBe('canceled');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.data.resultData.error?.message).toBe('The execution was cancelled manually');
  });

  it('hands a Respond to Webhook answer to the caller', async () => {
    const responses: unknown[] = [];
    const wf = workflow(
      [
        node('Webhook', 'webhook'),
        node('Respond', 'respondToWebhook', {
          respondWith: 'json',
          responseBody: '={{ JSON.stringify({ got: $json.body.n }) }}',
          options: { responseCode: 201 },
        }),
      ],
      connect(['Webhook', 'Respond']),
    );
    await run(wf, { items: [{ json: { body: { n: 7 } } }], onResponse: (r) => responses.push(r) });
    expect(responses).toEqual([{ statusCode: 201, headers: {}, body: { got: 7 } }]);
  });
});

describe('node references as n8n resolves them', () => {
  it('$node["X"] reads the same index, and $("X").all() the output of X that leads to this node', async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        ifNumberAbove('Big?', 'n', 10),
        set('Use', 'seen', '={{ $node["Start"].json.n }}|{{ $("Big?").all().length }}|{{ $("Big?").first().json.n }}'),
      ],
      connect(['Start', 'Big?'], ['Big?', 'Use', 1]),
    );
    const result = await run(wf, { items: [{ json: { n: 50 } }, { json: { n: 1 } }, { json: { n: 2 } }] });
    // The false branch got n=1 and n=2 (items 0 and 1 here); $node["Start"] reads Start's items 0 and 1 (50, 1).
    expect(outputJson(result, 'Use').map((j) => j.seen)).toEqual(['50|2|1', '1|2|1']);
  });
});

describe('node names that are also Object.prototype keys', () => {
  it('runs nodes named __proto__, constructor and hasOwnProperty like any other, without touching prototypes', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const wf = workflow(
      [
        node('__proto__', 'manualTrigger'),
        set('constructor', 'a', 1),
        node('hasOwnProperty', 'splitInBatches', { batchSize: 1 }, { typeVersion: 3 }),
        set('toString', 'b', '={{ $("constructor").item.json.a + 1 }}'),
      ],
      connect(
        ['__proto__', 'constructor'],
        ['constructor', 'hasOwnProperty'],
        ['hasOwnProperty', 'toString', 1],
        ['toString', 'hasOwnProperty'],
      ),
    );
    const result = await run(wf, { items: [{ json: { n: 1 } }, { json: { n: 2 } }] });
    expect(result.status, JSON.stringify(result.data.resultData.error)).toBe('success');
    expect(order(result)).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      'hasOwnProperty',
      'toString',
      'hasOwnProperty',
    ]);
    expect(outputJson(result, 'toString')).toEqual([{ n: 2, a: 1, b: '2' }]);
    expect(Object.keys(result.data.resultData.runData)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    const stored = JSON.parse(JSON.stringify(result.data)).resultData.runData;
    expect(Object.getOwnPropertyDescriptor(stored, '__proto__')?.value).toHaveLength(1);
  });
});
