import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { chain, node } from '../helpers/workflow-builders.ts';

/** The Execution Data node's custom data, as both read paths of the executions API answer it. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('Execution Data node', () => {
  it('saves key/value pairs on the execution, shown as customData by GET /executions/:id and the list', async () => {
    const nodes = [
      node('Start', 'manualTrigger'),
      node('Save', 'executionData', {
        dataToSave: {
          values: [
            { key: 'orderId', value: '=A-{{ $json.n }}' },
            { key: 'source', value: 'shop' },
          ],
        },
      }),
    ];
    const id = await createWorkflow(t, { name: 'Custom data', nodes, connections: chain(nodes), settings: {} });
    const run = await api(t, 'POST', `/workflows/${id}/run`, { wait: true, items: [{ n: 7 }] });
    expect(run.statusCode, run.body).toBe(200);
    const executionId = run.json().id;
    const one = (await api(t, 'GET', `/executions/${executionId}?includeData=true`)).json();
    expect(one.customData).toEqual({ orderId: 'A-7', source: 'shop' });
    expect(one.data).not.toHaveProperty('customData');
    const listed = (await api(t, 'GET', `/executions?workflowId=${id}&includeData=true`)).json().data[0];
    expect(listed.customData).toEqual({ orderId: 'A-7', source: 'shop' });
    expect((await api(t, 'GET', `/executions/${executionId}`)).json()).not.toHaveProperty('customData');
  });
});
