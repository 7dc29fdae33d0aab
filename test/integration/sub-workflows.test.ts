import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const trigger = (parameters: Json = {}) => ({
  name: 'When called',
  type: 'n8n-nodes-base.executeWorkflowTrigger',
  typeVersion: 1.1,
  position: [0, 0],
  parameters,
});
const code = (name: string, jsCode: string) => ({
  name,
  type: 'n8n-nodes-base.code',
  typeVersion: 2,
  position: [200, 0],
  parameters: { jsCode },
});
const link = (from: string, to: string) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });

async function save(name: string, nodes: Json[], connections: Json, settings: Json = {}) {
  const res = await call(t, 'POST', '/workflows', t.ownerKey, {
    name,
    nodes,
    connections,
    settings: { executionOrder: 'v1', ...settings },
  });
  expect(res.status, res.text).toBe(200);
  return res.body.id as string;
}

/** A child that doubles `n` and says who it is. */
async function doubler(settings: Json = {}) {
  return save(
    'Doubler',
    [trigger(), code('Double', 'return $input.all().map((i) => ({ json: { n: i.json.n * 2, by: "child" } }));')],
    link('When called', 'Double'),
    settings,
  );
}

async function runParent(executeParameters: Json, items: Json[]) {
  const parentId = await save(
    'Parent',
    [
      { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      { name: 'Call', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, position: [200, 0], parameters: executeParameters },
    ],
    link('Start', 'Call'),
  );
  const res = await call(t, 'POST', `/workflows/${parentId}/run`, t.ownerKey, { wait: true, items });
  expect(res.status, res.text).toBe(200);
  const { resultData } = res.body.data;
  return {
    parentId,
    executionId: res.body.id as string,
    status: res.body.status as string,
    error: resultData.error?.message as string | undefined,
    items: ((resultData.runData.Call?.[0]?.data?.main?.[0] ?? []) as Json[]).map((i) => i.json),
    pairing: ((resultData.runData.Call?.[0]?.data?.main?.[0] ?? []) as Json[]).map((i) => i.pairedItem),
  };
}

describe('sub-workflows: Execute Workflow and its trigger', () => {
  it('calls a saved workflow with all items at once and gives back its last node’s output; the child is an execution of its own', async () => {
    const childId = await doubler();
    const run = await runParent({ workflowId: { __rl: true, mode: 'list', value: childId } }, [{ n: 1 }, { n: 5 }]);
    expect(run.status).toBe('success');
    expect(run.items).toEqual([
      { n: 2, by: 'child' },
      { n: 10, by: 'child' },
    ]);
    const children = await call(t, 'GET', `/executions?workflowId=${childId}&includeData=true`, t.ownerKey);
    expect(children.body.data).toHaveLength(1);
    expect(children.body.data[0]).toMatchObject({ mode: 'integrated', status: 'success' });
    expect(children.body.data[0].data.parentExecution).toEqual({ executionId: run.executionId, workflowId: run.parentId });
  });

  it('calls once per item in `each` mode, maps workflowInputs, and only starts it when not waiting', async () => {
    const childId = await doubler();
    const each = await runParent(
      { workflowId: childId, mode: 'each', workflowInputs: { mappingMode: 'defineBelow', value: { n: '={{ 7 }}' } } },
      [{ n: 1 }, { n: 2 }],
    );
    expect(each.items).toEqual([
      { n: 14, by: 'child' },
      { n: 14, by: 'child' },
    ]);
    expect(each.pairing).toEqual([{ item: 0 }, { item: 1 }]);
    const noWait = await runParent({ workflowId: childId, options: { waitForSubWorkflow: false } }, [{ n: 3 }]);
    expect(noWait.items).toEqual([{ n: 3 }]);
  });

  it('shapes inputs by the trigger’s defined fields, and runs a workflow given as JSON', async () => {
    const childId = await save(
      'Typed child',
      [
        trigger({ inputSource: 'workflowInputs', workflowInputs: { values: [{ name: 'email' }, { name: 'plan' }] } }),
        code('Echo', 'return $input.all();'),
      ],
      link('When called', 'Echo'),
    );
    const shaped = await runParent({ workflowId: childId }, [{ email: 'a@x.io', secret: 'dropped' }]);
    expect(shaped.items).toEqual([{ email: 'a@x.io', plan: null }]);
    const inline = await runParent(
      {
        source: 'parameter',
        workflowJson: JSON.stringify({
          nodes: [trigger(), code('Inline', 'return [{ json: { inline: true, count: $input.all().length } }];')],
          connections: link('When called', 'Inline'),
        }),
      },
      [{ a: 1 }, { a: 2 }],
    );
    expect(inline.error).toBeUndefined();
    expect(inline.items).toEqual([{ inline: true, count: 2 }]);
  });

  it('refuses what the child’s callerPolicy refuses, a child without the trigger, and unbounded recursion', async () => {
    const closed = await doubler({ callerPolicy: 'none' });
    const refused = await runParent({ workflowId: closed }, [{ n: 1 }]);
    expect(refused.status).toBe('error');
    expect(refused.error).toMatch(/does not allow being called .*callerPolicy is "none"/);

    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Elsewhere' })).body.id as string;
    const foreign = await doubler();
    await call(t, 'PUT', `/workflows/${foreign}/transfer`, t.ownerKey, { destinationProjectId: team });
    expect((await runParent({ workflowId: foreign }, [{ n: 1 }])).error).toMatch(/callerPolicy is "workflowsFromSameOwner"/);

    const noTrigger = await save(
      'No trigger',
      [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
      {},
    );
    expect((await runParent({ workflowId: noTrigger }, [{}])).error).toMatch(/has no "Execute Workflow Trigger" node/);

    // A workflow that calls itself stops at the depth bound, with every level failed, none left running.
    const selfId = await save(
      'Self',
      [trigger(), { name: 'Again', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, position: [200, 0], parameters: {} }],
      link('When called', 'Again'),
    );
    const patched = await call(t, 'PATCH', `/workflows/${selfId}`, t.ownerKey, {
      nodes: [
        trigger(),
        { name: 'Again', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, position: [200, 0], parameters: { workflowId: selfId } },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    const deep = await runParent({ workflowId: selfId }, [{}]);
    expect(deep.status).toBe('error');
    expect(deep.error).toMatch(/at most 10 deep/);
    const running = await call(t, 'GET', `/executions?workflowId=${selfId}&status=running`, t.ownerKey);
    expect(running.body.data).toEqual([]);
  });

  it('stops the child when the caller times out while waiting for it', async () => {
    const slowChild = await save(
      'Slow child',
      [
        trigger(),
        { name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [200, 0], parameters: { amount: 20, unit: 'seconds' } },
      ],
      link('When called', 'Wait'),
    );
    const parentId = await save(
      'Impatient parent',
      [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          name: 'Call',
          type: 'n8n-nodes-base.executeWorkflow',
          typeVersion: 1.2,
          position: [200, 0],
          parameters: { workflowId: slowChild },
        },
      ],
      link('Start', 'Call'),
      { executionTimeout: 1 },
    );
    const started = Date.now();
    const res = await call(t, 'POST', `/workflows/${parentId}/run`, t.ownerKey, { wait: true });
    expect(res.body.status).not.toBe('success');
    expect(Date.now() - started).toBeLessThan(10_000);
    const child = (await call(t, 'GET', `/executions?workflowId=${slowChild}&status=canceled`, t.ownerKey)).body.data;
    expect(child).toHaveLength(1);
  });
});
