import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function run(nodes: Json[], connections: Json, items?: Json[]) {
  const workflow = await call(t, 'POST', '/workflows', t.ownerKey, {
    name: 'Legacy',
    nodes,
    connections,
    settings: { executionOrder: 'v1' },
  });
  expect(workflow.status, workflow.text).toBe(200);
  const res = await call(t, 'POST', `/workflows/${workflow.body.id}/run`, t.ownerKey, { wait: true, ...(items ? { items } : {}) });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('nodes older workflows still contain', () => {
  it('starts a run at a Start node and runs a Function node’s functionCode over all items', async () => {
    const body = await run(
      [
        { name: 'Start', type: 'n8n-nodes-base.start', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          name: 'Function',
          type: 'n8n-nodes-base.function',
          typeVersion: 1,
          position: [200, 0],
          parameters: { functionCode: 'return items.map((item, i) => ({ json: { ...item.json, n: i + 1, total: items.length } }));' },
        },
      ],
      { Start: { main: [[{ node: 'Function', type: 'main', index: 0 }]] } },
      [{ a: 'x' }, { a: 'y' }],
    );
    expect(body.status).toBe('success');
    expect(body.data.resultData.runData.Function[0].data.main[0].map((i: Json) => i.json)).toEqual([
      { a: 'x', n: 1, total: 2 },
      { a: 'y', n: 2, total: 2 },
    ]);
  });

  it('runs a Function Item node’s code per item, with item as its json', async () => {
    const body = await run(
      [
        { name: 'Start', type: 'n8n-nodes-base.start', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          name: 'Function Item',
          type: 'n8n-nodes-base.functionItem',
          typeVersion: 1,
          position: [200, 0],
          parameters: { functionCode: 'item.total = item.price * item.qty;\nreturn item;' },
        },
      ],
      { Start: { main: [[{ node: 'Function Item', type: 'main', index: 0 }]] } },
      [
        { price: 2, qty: 3 },
        { price: 5, qty: 1 },
      ],
    );
    expect(body.status).toBe('success');
    expect(body.data.resultData.runData['Function Item'][0].data.main[0].map((i: Json) => i.json)).toEqual([
      { price: 2, qty: 3, total: 6 },
      { price: 5, qty: 1, total: 5 },
    ]);
  });

  it('reports a Function node’s error as the Code node does', async () => {
    const body = await run(
      [
        { name: 'Start', type: 'n8n-nodes-base.start', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          name: 'Function',
          type: 'n8n-nodes-base.function',
          typeVersion: 1,
          position: [200, 0],
          parameters: { functionCode: 'throw new Error("boom")' },
        },
      ],
      { Start: { main: [[{ node: 'Function', type: 'main', index: 0 }]] } },
    );
    expect(body.status).toBe('error');
    expect(body.data.resultData.error.message).toContain('boom');
  });
});
