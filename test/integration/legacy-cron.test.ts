import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

type Json = Record<string, unknown>;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ TRIGGER_POLL_INTERVAL_MS: '100' });
});
afterAll(() => t.close());

const cronWorkflow = (triggerTimes: Json) => ({
  name: 'Cron test',
  nodes: [
    { name: 'Cron', type: 'n8n-nodes-base.cron', typeVersion: 1, position: [0, 0], parameters: { triggerTimes } },
    { name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
  ],
  connections: { Cron: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] } },
  settings: { executionOrder: 'v1', timezone: 'Europe/Berlin' },
});

describe('the legacy Cron trigger', () => {
  it('registers its trigger times as schedules, in the workflow’s timezone', async () => {
    const id = await createWorkflow(
      t,
      cronWorkflow({
        item: [
          { mode: 'everyHour', minute: 30 },
          { mode: 'everyWeek', hour: 9, minute: 15, weekday: '3' },
        ],
      }),
    );
    expect((await api(t, 'POST', `/workflows/${id}/activate`)).statusCode).toBe(200);
    const { rows } = await t.app.runtime.sql.query(
      'SELECT rule_index, next_run_at FROM schedule_trigger WHERE workflow_id = $1 ORDER BY rule_index',
      [id],
    );
    const times = rows.map((r) => DateTime.fromJSDate(r.next_run_at as Date, { zone: 'Europe/Berlin' }));
    expect(times[0]!.minute).toBe(30);
    expect([times[1]!.weekday, times[1]!.hour, times[1]!.minute]).toEqual([3, 9, 15]);
  });

  it('fires on a custom cron expression, starting the run with one empty item as the Cron node did', async () => {
    const id = await createWorkflow(t, cronWorkflow({ item: [{ mode: 'custom', cronExpression: '* * * * * *' }] }));
    expect((await api(t, 'POST', `/workflows/${id}/activate`)).statusCode).toBe(200);
    const run = await eventually(async () => {
      const list = (await api(t, 'GET', `/executions?workflowId=${id}&includeData=true`)).json() as { data: Json[] };
      return list.data.find((e) => e.status === 'success');
    }, 'a cron run');
    expect(run.mode).toBe('trigger');
    const data = run.data as { resultData: { runData: Record<string, { data: { main: { json: Json }[][] } }[]> } };
    expect(data.resultData.runData.Pass![0]!.data.main[0]!.map((i) => i.json)).toEqual([{}]);
    await api(t, 'POST', `/workflows/${id}/deactivate`);
  });

  it('refuses an invalid cron expression at activation, and registers nothing without trigger times', async () => {
    const bad = await createWorkflow(t, cronWorkflow({ item: [{ mode: 'custom', cronExpression: 'every tuesday' }] }));
    const refused = await api(t, 'POST', `/workflows/${bad}/activate`);
    expect(refused.statusCode).toBe(400);
    const empty = await createWorkflow(t, cronWorkflow({}));
    expect((await api(t, 'POST', `/workflows/${empty}/activate`)).statusCode).toBe(200);
    const { rows } = await t.app.runtime.sql.query('SELECT count(*)::int AS n FROM schedule_trigger WHERE workflow_id = $1', [empty]);
    expect(rows[0].n).toBe(0);
  });

  it('fires a legacy Interval node every N seconds with one empty item', async () => {
    const id = await createWorkflow(t, {
      name: 'Interval test',
      nodes: [
        {
          name: 'Every second',
          type: 'n8n-nodes-base.interval',
          typeVersion: 1,
          position: [0, 0],
          parameters: { interval: 1, unit: 'seconds' },
        },
        { name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
      ],
      connections: { 'Every second': { main: [[{ node: 'Pass', type: 'main', index: 0 }]] } },
      settings: {},
    });
    expect((await api(t, 'POST', `/workflows/${id}/activate`)).statusCode).toBe(200);
    const runs = await eventually(async () => {
      const list = (await api(t, 'GET', `/executions?workflowId=${id}`)).json() as { data: Json[] };
      const done = list.data.filter((e) => e.status === 'success');
      return done.length >= 2 ? done : undefined;
    }, 'two interval runs');
    expect(runs.every((run) => run.mode === 'trigger')).toBe(true);
    await api(t, 'POST', `/workflows/${id}/deactivate`);
  });
});
