import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedSample } from '../helpers/n8n-samples.ts';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const captured = capturedSample('n8n-2.39-surface-samples.json', 'insights summary') as Json | undefined;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const DAY = 24 * 60 * 60 * 1000;

/** Executions as the engine leaves them, written straight to the table: `mode`, `status`, when they ended, how long they ran. */
async function executions(workflowId: string, runs: { mode?: string; status: string; endedDaysAgo: number; ms: number }[], now: number) {
  await t.app.prisma.execution.createMany({
    data: runs.map((run) => {
      const stoppedAt = new Date(now - run.endedDaysAgo * DAY);
      return {
        workflowId,
        mode: run.mode ?? 'webhook',
        status: run.status,
        finished: run.status === 'success',
        startedAt: new Date(stoppedAt.getTime() - run.ms),
        stoppedAt,
      };
    }),
  });
}

describe('GET /insights/summary', () => {
  it('answers n8n’s shape, all zero and without deviations on a server with no runs', async () => {
    const res = await call(t, 'GET', '/insights/summary', t.ownerKey);
    expect(res.status).toBe(200);
    const expected = {
      averageRunTime: { value: 0, unit: 'millisecond', deviation: null },
      failed: { value: 0, unit: 'count', deviation: null },
      failureRate: { value: 0, unit: 'ratio', deviation: null },
      timeSaved: { value: 0, unit: 'minute', deviation: null },
      total: { value: 0, unit: 'count', deviation: null },
    };
    expect(res.body).toEqual(expected);
    if (captured) expect(res.body).toEqual(captured.response);
  });

  it('counts production runs of the period, with each figure’s change from the period before', async () => {
    const now = Date.now();
    const saver = await call(t, 'POST', '/workflows', t.ownerKey, {
      ...sampleWorkflowBody('Saver'),
      settings: { timeSavedPerExecution: 3 },
    });
    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Insights team' })).body.id as string;
    const other = await call(t, 'POST', '/workflows', t.ownerKey, sampleWorkflowBody('Other'));
    expect((await call(t, 'PUT', `/workflows/${other.body.id}/transfer`, t.ownerKey, { destinationProjectId: team })).status).toBe(204);
    // This week: 3 successes (100, 200, 300 ms), 1 error, 1 crash; a manual run and a canceled one do not count.
    await executions(
      saver.body.id,
      [
        { status: 'success', endedDaysAgo: 1, ms: 100 },
        { status: 'success', endedDaysAgo: 2, ms: 200 },
        { status: 'success', endedDaysAgo: 3, ms: 300 },
        { status: 'error', endedDaysAgo: 1, ms: 400 },
        { status: 'crashed', endedDaysAgo: 2, ms: 500 },
        { status: 'success', endedDaysAgo: 1, ms: 50, mode: 'manual' },
        { status: 'canceled', endedDaysAgo: 1, ms: 50 },
      ],
      now,
    );
    // The week before: 2 successes of 100 ms.
    await executions(
      saver.body.id,
      [
        { status: 'success', endedDaysAgo: 8, ms: 100 },
        { status: 'success', endedDaysAgo: 9, ms: 100 },
      ],
      now,
    );
    await executions(other.body.id, [{ status: 'success', endedDaysAgo: 1, ms: 1000 }], now);

    const end = new Date(now + 1000).toISOString();
    const start = new Date(now + 1000 - 7 * DAY).toISOString();
    const res = await call(t, 'GET', `/insights/summary?startDate=${start}&endDate=${end}`, t.ownerKey);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      averageRunTime: { value: 417, unit: 'millisecond', deviation: 317 },
      failed: { value: 2, unit: 'count', deviation: 2 },
      failureRate: { value: 0.333, unit: 'ratio', deviation: 0.333 },
      timeSaved: { value: 9, unit: 'minute', deviation: 3 },
      total: { value: 6, unit: 'count', deviation: 4 },
    });
    const teamOnly = await call(t, 'GET', `/insights/summary?startDate=${start}&endDate=${end}&projectId=${team}`, t.ownerKey);
    expect(teamOnly.body.total).toEqual({ value: 1, unit: 'count', deviation: null });
    expect(teamOnly.body.averageRunTime.value).toBe(1000);
  });

  it('refuses a backwards or too long period, and keys whose user may not read insights', async () => {
    expect((await call(t, 'GET', '/insights/summary?startDate=2026-02-01T00:00:00Z&endDate=2026-01-01T00:00:00Z', t.ownerKey)).status).toBe(
      400,
    );
    expect((await call(t, 'GET', '/insights/summary?startDate=2020-01-01T00:00:00Z&endDate=2026-01-01T00:00:00Z', t.ownerKey)).status).toBe(
      400,
    );
    expect((await call(t, 'GET', '/insights/summary?startDate=yesterday', t.ownerKey)).status).toBe(400);
    const member = await userWithKey(t, 'insights-member');
    expect((await call(t, 'GET', '/insights/summary', member.key)).status).toBe(403);
  });
});
