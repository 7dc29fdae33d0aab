import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/api.ts';
import { call, type Json } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function save(body: Json) {
  const res = await call(t, 'POST', '/workflows', t.ownerKey, { settings: { executionOrder: 'v1' }, ...body });
  expect(res.status, res.text).toBe(200);
  return res.body.id as string;
}

const until = <T>(what: () => Promise<T | undefined>) => eventually(what, 'the runs to be recorded', 10_000);

describe('error workflows', () => {
  it('runs settings.errorWorkflow from its Error Trigger with n8n’s payload when a production run fails', async () => {
    const handler = await save({
      name: 'On error',
      nodes: [
        { name: 'Error Trigger', type: 'n8n-nodes-base.errorTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          name: 'Note',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          position: [200, 0],
          parameters: { jsCode: 'return [{ json: { seen: $json.execution.error.message } }];' },
        },
      ],
      connections: { 'Error Trigger': { main: [[{ node: 'Note', type: 'main', index: 0 }]] } },
    });
    const path = `fails-${Date.now()}`;
    const failing = await save({
      name: 'Fails',
      nodes: [
        { name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path, httpMethod: 'GET' } },
        {
          name: 'Boom',
          type: 'n8n-nodes-base.stopAndError',
          typeVersion: 1,
          position: [200, 0],
          parameters: { errorMessage: 'the order has no customer' },
        },
      ],
      connections: { Hook: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1', errorWorkflow: handler },
    });
    expect((await call(t, 'POST', `/workflows/${failing}/activate`, t.ownerKey)).status).toBe(200);
    await t.app.inject({ method: 'GET', url: `/webhook/${path}` });

    const run = await until(async () => {
      const list = await call(t, 'GET', `/executions?workflowId=${handler}&includeData=true`, t.ownerKey);
      return (list.body.data as Json[]).find((e) => e.status === 'success');
    });
    expect(run.mode).toBe('error');
    const payload = run.data.resultData.runData['Error Trigger'][0].data.main[0][0].json;
    const failed = (await call(t, 'GET', `/executions?workflowId=${failing}`, t.ownerKey)).body.data[0];
    expect(payload).toEqual({
      execution: {
        id: failed.id,
        url: expect.stringContaining(`/workflow/${failing}/executions/${failed.id}`),
        error: expect.objectContaining({ message: 'the order has no customer' }),
        lastNodeExecuted: 'Boom',
        mode: 'webhook',
      },
      workflow: { id: failing, name: 'Fails' },
    });
    expect(run.data.resultData.runData.Note[0].data.main[0][0].json).toEqual({ seen: 'the order has no customer' });
  });

  it('does not run an error workflow of another project', async () => {
    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Other team' })).body.id as string;
    const handler = await save({
      name: 'Foreign handler',
      nodes: [{ name: 'Error Trigger', type: 'n8n-nodes-base.errorTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
      connections: {},
    });
    expect((await call(t, 'PUT', `/workflows/${handler}/transfer`, t.ownerKey, { destinationProjectId: team })).status).toBe(204);
    const path = `foreign-${Date.now()}`;
    const failing = await save({
      name: 'Fails elsewhere',
      nodes: [
        { name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path, httpMethod: 'GET' } },
        { name: 'Boom', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, position: [200, 0], parameters: { errorMessage: 'x' } },
      ],
      connections: { Hook: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1', errorWorkflow: handler },
    });
    expect((await call(t, 'POST', `/workflows/${failing}/activate`, t.ownerKey)).status).toBe(200);
    await t.app.inject({ method: 'GET', url: `/webhook/${path}` });
    await until(async () => ((await call(t, 'GET', `/executions?workflowId=${failing}`, t.ownerKey)).body.data.length ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call(t, 'GET', `/executions?workflowId=${handler}`, t.ownerKey)).body.data).toEqual([]);
  });

  it('does not run it for a manual run, as n8n does not', async () => {
    const handler = await save({
      name: 'Quiet handler',
      nodes: [{ name: 'Error Trigger', type: 'n8n-nodes-base.errorTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
      connections: {},
    });
    const failing = await save({
      name: 'Fails by hand',
      nodes: [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { name: 'Boom', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, position: [200, 0], parameters: { errorMessage: 'x' } },
      ],
      connections: { Start: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1', errorWorkflow: handler },
    });
    expect((await call(t, 'POST', `/workflows/${failing}/run`, t.ownerKey, { wait: true })).body.status).toBe('error');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call(t, 'GET', `/executions?workflowId=${handler}`, t.ownerKey)).body.data).toEqual([]);
  });
});
