import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/** No path may leave an execution "running" forever: each one ends in the database, or is reclaimed. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const manual = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

async function statusOf(id: string): Promise<string> {
  const { rows } = await t.app.runtime.sql.query('SELECT status FROM execution WHERE id = $1', [Number(id)]);
  return rows[0]?.status as string;
}

describe('executions always end', () => {
  it('records an error, not "running", when a node returns data too deep to store', async () => {
    let deep = '0';
    for (let i = 0; i < 20_000; i++) deep = `[${deep}]`;
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(`{"deep":${deep}}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/deep`;
      const id = await createWorkflow(t, {
        name: 'deep response',
        nodes: [manual, { name: 'Fetch', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [200, 0], parameters: { url } }],
        connections: { Manual: { main: [[{ node: 'Fetch', type: 'main', index: 0 }]] } },
        settings: {},
      });
      const run = await api(t, 'POST', `/workflows/${id}/run`, {});
      expect(run.statusCode).toBe(202);
      const executionId = run.json().executionId as string;
      await eventually(async () => ((await statusOf(executionId)) !== 'running' ? true : undefined), 'the execution to end');
      const execution = (await api(t, 'GET', `/executions/${executionId}?includeData=true`)).json();
      expect(execution.status).toBe('error');
      expect(JSON.stringify(execution.data.resultData)).toMatch(/Maximum call stack size exceeded/);
      expect((await api(t, 'DELETE', `/executions/${executionId}`)).statusCode).toBe(200);
    } finally {
      server.close();
    }
  });

  it('retries the final write while the database refuses it, and records the result once it answers', async () => {
    const id = await createWorkflow(t, {
      name: 'outlives an outage',
      nodes: [
        manual,
        { name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [200, 0], parameters: { amount: 1, unit: 'seconds' } },
      ],
      connections: { Manual: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
      settings: {},
    });
    const run = await api(t, 'POST', `/workflows/${id}/run`, {});
    const executionId = run.json().executionId as string;
    // The table the result goes to disappears while the run waits, and comes back after it has ended.
    await t.app.runtime.sql.query('ALTER TABLE execution_data RENAME TO execution_data_away');
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await statusOf(executionId)).toBe('running');
    } finally {
      await t.app.runtime.sql.query('ALTER TABLE execution_data_away RENAME TO execution_data');
    }
    await eventually(async () => ((await statusOf(executionId)) === 'success' ? true : undefined), 'the retried write', 20_000);
  });

  it('marks crashed the rows this instance gave up on, and leaves the ones it runs alone', async () => {
    const id = await createWorkflow(t, { name: 'orphans', nodes: [manual], connections: {}, settings: {} });
    const { instanceId } = t.app.runtime.liveness;
    const insert = async (ageSeconds: number) => {
      const { rows } = await t.app.runtime.sql.query(
        `INSERT INTO execution (workflow_id, mode, status, instance_id, started_at)
         VALUES ($1, 'manual', 'running', $2, now() - make_interval(secs => $3)) RETURNING id`,
        [id, instanceId, ageSeconds],
      );
      return String(rows[0]!.id);
    };
    const orphan = await insert(120);
    const fresh = await insert(1);
    expect(await t.app.runtime.runner.reclaimOrphans()).toBe(1);
    expect(await statusOf(orphan)).toBe('crashed');
    expect(await statusOf(fresh)).toBe('running');
    expect((await api(t, 'DELETE', `/executions/${orphan}`)).statusCode).toBe(200);
    await t.app.runtime.sql.query('DELETE FROM execution WHERE id = $1', [Number(fresh)]);
  });
});
