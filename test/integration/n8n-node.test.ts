import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { chain, type Json, node, outputOf } from '../helpers/workflow-builders.ts';

/** The n8n node against this server's own public API, over real HTTP, with an n8nApi credential. */
let t: TestApp;
let credential: { id: string; name: string };
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const key = await t.createKey([
    'workflow:read',
    'workflow:list',
    'workflow:create',
    'workflow:activate',
    'workflow:deactivate',
    'execution:read',
    'execution:list',
  ]);
  const created = await api(t, 'POST', '/credentials', {
    name: 'Self',
    type: 'n8nApi',
    data: { apiKey: key, baseUrl: `http://127.0.0.1:${port}/api/v1` },
  });
  expect(created.statusCode, created.body).toBe(200);
  credential = { id: created.json().id, name: 'Self' };
});
afterAll(() => t.close());

async function runWith(parameters: Json) {
  const nodes = [node('Start', 'manualTrigger'), node('n8n', 'n8n', parameters, 1, { credentials: { n8nApi: credential } })];
  const id = await createWorkflow(t, { name: `n8n node ${Math.random()}`, nodes, connections: chain(nodes), settings: {} });
  const res = await api(t, 'POST', `/workflows/${id}/run`, { wait: true });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Json;
}

describe('n8n node', () => {
  it('lists workflows (all pages, filtered by name) as one item each', async () => {
    for (let i = 0; i < 3; i++) await createWorkflow(t, { name: `Listed ${i}`, nodes: [], connections: {}, settings: {} });
    const execution = await runWith({ filters: { name: 'Listed' } });
    expect(execution.status).toBe('success');
    expect(
      outputOf(execution, 'n8n')
        .map((item) => item.json.name)
        .sort(),
    ).toEqual(['Listed 0', 'Listed 1', 'Listed 2']);
  });

  it('gets, activates and deactivates a workflow by a resource locator, and lists its executions', async () => {
    const hook = {
      name: 'Hook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      parameters: { path: `n8n-node-${Date.now()}` },
    };
    const target = await createWorkflow(t, { name: 'Target', nodes: [hook], connections: {}, settings: {} });
    const got = await runWith({ operation: 'get', workflowId: { __rl: true, mode: 'id', value: target } });
    expect(outputOf(got, 'n8n')[0]?.json).toMatchObject({ id: target, name: 'Target', active: false });
    const activated = await runWith({ operation: 'activate', workflowId: { __rl: true, mode: 'list', value: target } });
    expect(outputOf(activated, 'n8n')[0]?.json).toMatchObject({ id: target, active: true });
    expect((await api(t, 'GET', `/workflows/${target}`)).json().active).toBe(true);
    await runWith({ operation: 'deactivate', workflowId: target });
    expect((await api(t, 'GET', `/workflows/${target}`)).json().active).toBe(false);

    const executions = await runWith({ resource: 'execution', operation: 'getAll', returnAll: false, limit: 2 });
    expect(outputOf(executions, 'n8n')).toHaveLength(2);
  });

  it('creates a workflow from JSON, and fails with the API’s own answer when the key lacks a scope', async () => {
    const execution = await runWith({ operation: 'create', workflowObject: '{"name":"x","nodes":[],"connections":{},"settings":{}}' });
    expect(execution.status).toBe('success');
    const refused = await runWith({ operation: 'delete', workflowId: 'nope' });
    expect(refused.status).toBe('error');
    expect((refused.data as { resultData: { error: Json } }).resultData.error).toMatchObject({
      name: 'NodeApiError',
      message: 'Forbidden',
      httpCode: '403',
      description: expect.stringContaining('"missingScopes":["workflow:delete"]'),
    });
  });
});
