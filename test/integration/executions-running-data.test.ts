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
});
