import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await buildTestApp();
  headers = { 'x-n8n-api-key': t.ownerKey };
});
afterAll(() => t.close());

describe('an execution in progress', () => {
  it('shows the workflow it runs (stored at start, as n8n does) and empty run data until it ends', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: {
        name: 'Slow one',
        nodes: [
          { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
          { name: 'Pause', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [200, 0], parameters: { amount: 20, unit: 'seconds' } },
        ],
        connections: { Start: { main: [[{ node: 'Pause', type: 'main', index: 0 }]] } },
        settings: { executionOrder: 'v1' },
      },
    });
    const workflowId = created.json().id;
    const started = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${workflowId}/run`, headers, payload: {} });
    expect(started.statusCode).toBe(202);
    const id = started.json().executionId;

    const running = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${id}?includeData=true`, headers });
    expect(running.json()).toMatchObject({
      status: 'running',
      workflowData: { id: workflowId, name: 'Slow one' },
      data: { resultData: { runData: {} } },
    });

    const stopped = await t.app.inject({ method: 'POST', url: `/api/v1/executions/${id}/stop`, headers });
    expect(stopped.json().status).toBe('canceled');
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${id}?includeData=true`, headers });
    expect(after.json().workflowData.name).toBe('Slow one');
    expect(Object.keys(after.json().data.resultData.runData)).toContain('Start');
  });

  it('tells Code nodes a manual run is a "test" run, as expressions are told', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: {
        name: 'Mode check',
        nodes: [
          { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
          {
            name: 'Code',
            type: 'n8n-nodes-base.code',
            typeVersion: 2,
            position: [200, 0],
            parameters: { jsCode: 'return [{ json: { mode: $execution.mode } }];' },
          },
        ],
        connections: { Start: { main: [[{ node: 'Code', type: 'main', index: 0 }]] } },
        settings: { executionOrder: 'v1' },
      },
    });
    const run = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${created.json().id}/run`, headers, payload: { wait: true } });
    expect(run.json().status).toBe('success');
    expect(run.json().data.resultData.runData.Code[0].data.main[0][0].json).toEqual({ mode: 'test' });
  });

  it('does not point retrySuccessId at a retry that was not kept', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: {
        name: 'Retry unsaved',
        nodes: [
          { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
          { name: 'Fail', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, position: [200, 0], parameters: { errorMessage: 'first' } },
        ],
        connections: { Start: { main: [[{ node: 'Fail', type: 'main', index: 0 }]] } },
        settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none' },
      },
    });
    const workflow = created.json();
    const failed = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${workflow.id}/run`, headers, payload: { wait: true } });
    expect(failed.json().status).toBe('error');
    const fixedNodes = workflow.nodes.map((n: { name: string }) =>
      n.name === 'Fail' ? { ...n, type: 'n8n-nodes-base.noOp', parameters: {} } : n,
    );
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workflows/${workflow.id}`,
      headers,
      payload: { name: workflow.name, nodes: fixedNodes, connections: workflow.connections, settings: workflow.settings },
    });
    expect(put.statusCode).toBe(200);
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/v1/executions/${failed.json().id}/retry`,
      headers,
      payload: { loadWorkflow: true },
    });
    expect(retry.json().status).toBe('success');
    const retryRow = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${retry.json().id}`, headers });
    expect(retryRow.statusCode).toBe(404);
    const original = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${failed.json().id}`, headers });
    expect(original.json().retrySuccessId).toBeNull();
  });
});
