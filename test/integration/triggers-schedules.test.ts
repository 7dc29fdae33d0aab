import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../helpers/test-app.ts';

/**
 * Schedule Triggers: registered at activation, fired by the poller (every 100 ms here) with n8n's tick item,
 * stopped by deactivation, fired once per tick however many instances poll, and kept going across a restart.
 */

type Json = Record<string, unknown>;

const POLL = { TRIGGER_POLL_INTERVAL_MS: '100' };
const TRIGGER = 'Schedule Trigger';

const everySecond = { interval: [{ field: 'seconds', secondsInterval: 1 }] };

function scheduleWorkflow(rule: Json, settings: Json = {}) {
  return {
    name: 'Schedule test',
    nodes: [
      { name: TRIGGER, type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule } },
      {
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [200, 0],
        parameters: {
          assignments: { assignments: [{ id: '1', name: 'tick', value: '={{ $json.timestamp }}', type: 'string' }] },
          options: {},
        },
      },
    ],
    connections: { [TRIGGER]: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1', ...settings },
  };
}

async function activate(app: TestApp, id: string) {
  const res = await api(app, 'POST', `/workflows/${id}/activate`);
  expect(res.statusCode, res.body).toBe(200);
}

async function deactivate(app: TestApp, id: string) {
  const res = await api(app, 'POST', `/workflows/${id}/deactivate`);
  expect(res.statusCode, res.body).toBe(200);
}

/** Every execution row of the workflow, whatever its status (straight from the database). */
async function rowCount(app: TestApp, workflowId: string): Promise<number> {
  const { rows } = await app.app.runtime.sql.query('SELECT count(*)::int AS n FROM execution WHERE workflow_id = $1', [workflowId]);
  return rows[0]!.n as number;
}

/** Waits until none of the workflow's executions is still running. */
async function settled(app: TestApp, workflowId: string) {
  await eventually(async () => {
    const { rows } = await app.app.runtime.sql.query(
      `SELECT count(*)::int AS n FROM execution WHERE workflow_id = $1 AND status IN ('running', 'new')`,
      [workflowId],
    );
    return rows[0]!.n === 0 ? true : undefined;
  }, 'running executions to end');
}

interface Tick {
  id: string;
  mode: string;
  status: string;
  trigger: Json;
  set: Json;
}

/** The finished executions of a workflow with the Schedule Trigger's item and the Set node's, oldest first. */
async function ticks(app: TestApp, workflowId: string): Promise<Tick[]> {
  const res = await api(app, 'GET', `/executions?workflowId=${workflowId}&includeData=true&limit=250`);
  expect(res.statusCode, res.body).toBe(200);
  type RunData = Record<string, { data: { main: { json: Json }[][] } }[]>;
  return (res.json().data as (Json & { data: { resultData: { runData: RunData } } })[])
    .map((e) => {
      const runData = e.data.resultData.runData;
      return {
        id: e.id as string,
        mode: e.mode as string,
        status: e.status as string,
        trigger: runData[TRIGGER]?.[0]?.data.main[0]?.[0]?.json ?? {},
        set: runData.Set?.[0]?.data.main[0]?.[0]?.json ?? {},
      };
    })
    .reverse();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** At least `n` finished executions of the workflow. */
function atLeast(app: TestApp, workflowId: string, n: number, timeoutMs = 8000) {
  return eventually(
    async () => {
      const list = await ticks(app, workflowId);
      return list.length >= n ? list : undefined;
    },
    `${n} executions`,
    timeoutMs,
  );
}

function expectDistinctTicks(list: Tick[]) {
  const stamps = list.map((tick) => tick.trigger.timestamp as string);
  expect(stamps.every((s) => typeof s === 'string')).toBe(true);
  expect(new Set(stamps).size, `duplicate ticks in ${stamps.join(', ')}`).toBe(stamps.length);
}

describe('one instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(POLL);
  });
  afterAll(() => t.close());

  it("an every-second schedule fires trigger executions carrying n8n's tick item; deactivation stops it", async () => {
    const id = await createWorkflow(t, scheduleWorkflow(everySecond, { timezone: 'UTC' }));
    await activate(t, id);
    const list = await atLeast(t, id, 2);

    for (const tick of list) {
      expect(tick.mode).toBe('trigger');
      expect(tick.status).toBe('success');
      expect(Object.keys(tick.trigger).sort()).toEqual(
        [
          'Day of month',
          'Day of week',
          'Hour',
          'Minute',
          'Month',
          'Readable date',
          'Readable time',
          'Second',
          'Timezone',
          'Year',
          'timestamp',
        ].sort(),
      );
      const at = DateTime.fromISO(tick.trigger.timestamp as string, { zone: 'UTC' });
      expect(at.isValid).toBe(true);
      expect(at.millisecond).toBe(0);
      expect(tick.trigger).toMatchObject({
        Hour: at.toFormat('HH'),
        Minute: at.toFormat('mm'),
        Second: at.toFormat('ss'),
        Year: at.toFormat('yyyy'),
        'Day of week': at.toFormat('cccc'),
        Timezone: 'UTC (UTC+00:00)',
      });
      // The tick is the scheduled second, not when the poller got round to it.
      expect(Math.abs(at.toMillis() - Date.now())).toBeLessThan(60_000);
      expect(tick.set).toEqual({ tick: tick.trigger.timestamp });
    }
    expectDistinctTicks(list);
    const seconds = list.map((tick) => DateTime.fromISO(tick.trigger.timestamp as string).toMillis());
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!).toBeGreaterThanOrEqual(1000);

    await deactivate(t, id);
    const { rows } = await t.app.runtime.sql.query('SELECT count(*)::int AS n FROM schedule_trigger WHERE workflow_id = $1', [id]);
    expect(rows[0]!.n).toBe(0);
    await settled(t, id);
    const before = await rowCount(t, id);
    await sleep(2500);
    expect(await rowCount(t, id)).toBe(before);
  });

  it('a workflow timezone shapes the tick item', async () => {
    const id = await createWorkflow(t, scheduleWorkflow(everySecond, { timezone: 'Asia/Kolkata' }));
    await activate(t, id);
    const [tick] = await atLeast(t, id, 1);
    await deactivate(t, id);
    expect(tick!.trigger.Timezone).toBe('Asia/Kolkata (UTC+05:30)');
    const local = DateTime.fromISO(tick!.trigger.timestamp as string, { setZone: true });
    expect(local.offset).toBe(330);
    expect(tick!.trigger.Hour).toBe(local.toFormat('HH'));
  });

  it("a workflow without a timezone is scheduled in GENERIC_TIMEZONE, by default n8n's America/New_York", async () => {
    const daily = { interval: [{ field: 'cronExpression', expression: '0 9 * * *' }] };
    for (const settings of [{}, { timezone: 'DEFAULT' }]) {
      const id = await createWorkflow(t, scheduleWorkflow(daily, settings));
      await activate(t, id);
      const { rows } = await t.app.runtime.sql.query('SELECT timezone, next_run_at FROM schedule_trigger WHERE workflow_id = $1', [id]);
      await deactivate(t, id);
      expect(rows[0]!.timezone).toBe('America/New_York');
      expect(DateTime.fromJSDate(rows[0]!.next_run_at as Date, { zone: 'America/New_York' }).toFormat('HH:mm')).toBe('09:00');
    }
  });

  it('a six-field cron expression rule fires every second', async () => {
    const id = await createWorkflow(t, scheduleWorkflow({ interval: [{ field: 'cronExpression', expression: '* * * * * *' }] }));
    await activate(t, id);
    const list = await atLeast(t, id, 2);
    await deactivate(t, id);
    expect(list.every((tick) => tick.mode === 'trigger' && tick.status === 'success')).toBe(true);
    expectDistinctTicks(list);
  });

  it('a five-field cron expression is stored with its next run in the workflow timezone', async () => {
    const id = await createWorkflow(
      t,
      scheduleWorkflow({ interval: [{ field: 'cronExpression', expression: '30 9 * * 1' }] }, { timezone: 'Europe/Berlin' }),
    );
    await activate(t, id);
    const { rows } = await t.app.runtime.sql.query('SELECT timezone, next_run_at FROM schedule_trigger WHERE workflow_id = $1', [id]);
    await deactivate(t, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.timezone).toBe('Europe/Berlin');
    const next = DateTime.fromJSDate(rows[0]!.next_run_at as Date, { zone: 'Europe/Berlin' });
    expect(next.weekday).toBe(1);
    expect(next.toFormat('HH:mm:ss')).toBe('09:30:00');
    expect(next.toMillis()).toBeGreaterThan(Date.now());
    expect(next.toMillis() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it('editing an active schedule (PUT) publishes it: later ticks run the new version; an invalid rule is refused', async () => {
    const body = scheduleWorkflow(everySecond);
    const id = await createWorkflow(t, body);
    await activate(t, id);
    await atLeast(t, id, 1);

    const edited = structuredClone(body);
    const assignment = (edited.nodes[1]!.parameters as { assignments: { assignments: Json[] } }).assignments.assignments;
    assignment.push({ id: '2', name: 'version', value: 'two', type: 'string' });
    const put = await api(t, 'PUT', `/workflows/${id}`, edited);
    expect(put.statusCode, put.body).toBe(200);
    const publishedAt = Date.now();
    const newer = await eventually(async () => {
      const list = await ticks(t, id);
      return list.find((tick) => tick.set.version === 'two');
    }, 'a tick of the new version');
    expect(newer.trigger.timestamp).toBeTypeOf('string');

    const broken = structuredClone(body);
    (broken.nodes[0]!.parameters as { rule: Json }).rule = { interval: [{ field: 'cronExpression', expression: 'every day please' }] };
    const refused = await api(t, 'PUT', `/workflows/${id}`, broken);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain(`Schedule Trigger "${TRIGGER}"`);
    // Still active, still the published version, still firing.
    const current = (await api(t, 'GET', `/workflows/${id}`)).json();
    expect(current.active).toBe(true);
    const count = (await ticks(t, id)).length;
    await atLeast(t, id, count + 1);
    await deactivate(t, id);
    await settled(t, id);
    const list = await ticks(t, id);
    expectDistinctTicks(list);
    // Once published, no tick ran the old version.
    const late = list.filter((tick) => DateTime.fromISO(tick.trigger.timestamp as string).toMillis() > publishedAt + 1000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((tick) => tick.set.version === 'two')).toBe(true);
  });

  it('an edit that leaves the trigger as it was keeps its registration and next run; changing the rule moves it', async () => {
    const body = scheduleWorkflow({ interval: [{ field: 'cronExpression', expression: '0 9 * * *' }] });
    const id = await createWorkflow(t, body);
    await activate(t, id);
    const registration = async () =>
      (await t.app.runtime.sql.query('SELECT xmin::text AS xmin, next_run_at, rule FROM schedule_trigger WHERE workflow_id = $1', [id]))
        .rows as { xmin: string; next_run_at: Date; rule: Json }[];
    const before = await registration();
    expect(before).toHaveLength(1);

    const edited = structuredClone(body);
    (edited.nodes[1]!.parameters as { options: Json }).options = { dotNotation: true };
    const put = await api(t, 'PUT', `/workflows/${id}`, edited);
    expect(put.statusCode, put.body).toBe(200);
    // The same row version: not deleted and inserted again.
    expect(await registration()).toEqual(before);
    // Compared with what is stored, not with the previous nodes: a row registered under another timezone (as after
    // the server's default changed) is registered again by the next publishing save.
    await t.app.runtime.sql.query(`UPDATE schedule_trigger SET timezone = 'Pacific/Auckland' WHERE workflow_id = $1`, [id]);
    expect((await api(t, 'PUT', `/workflows/${id}`, edited)).statusCode).toBe(200);
    const reregistered = await registration();
    expect(reregistered[0]!.xmin).not.toBe(before[0]!.xmin);
    const { rows: tz } = await t.app.runtime.sql.query('SELECT timezone FROM schedule_trigger WHERE workflow_id = $1', [id]);
    expect(tz[0]!.timezone).not.toBe('Pacific/Auckland');

    const moved = structuredClone(edited);
    (moved.nodes[0]!.parameters as { rule: Json }).rule = { interval: [{ field: 'cronExpression', expression: '0 9 1 1 *' }] };
    expect((await api(t, 'PUT', `/workflows/${id}`, moved)).statusCode).toBe(200);
    const after = await registration();
    expect(after).toHaveLength(1);
    expect(after[0]!.rule).not.toEqual(before[0]!.rule);
    expect(after[0]!.next_run_at.getTime()).not.toBe(before[0]!.next_run_at.getTime());
    await deactivate(t, id);
  });

  it('a tick missed by more than a minute (the server was down) is skipped, not fired late', async () => {
    // Yearly, so only the due time set below could fire.
    const id = await createWorkflow(t, scheduleWorkflow({ interval: [{ field: 'cronExpression', expression: '0 0 0 1 1 *' }] }));
    await activate(t, id);
    await t.app.runtime.sql.query(`UPDATE schedule_trigger SET next_run_at = now() - interval '5 minutes' WHERE workflow_id = $1`, [id]);
    await t.app.runtime.poller.tick();
    const { rows } = await t.app.runtime.sql.query('SELECT next_run_at FROM schedule_trigger WHERE workflow_id = $1', [id]);
    expect((rows[0]!.next_run_at as Date).getTime()).toBeGreaterThan(Date.now());
    expect(await rowCount(t, id)).toBe(0);

    // Within the grace period it still fires (late, with the scheduled time in the item).
    await t.app.runtime.sql.query(
      `UPDATE schedule_trigger SET next_run_at = date_trunc('second', now()) - interval '20 seconds' WHERE workflow_id = $1`,
      [id],
    );
    const due = new Date(Math.floor(Date.now() / 1000) * 1000 - 20_000);
    await t.app.runtime.poller.tick();
    const [late] = await atLeast(t, id, 1);
    await deactivate(t, id);
    const firedFor = Date.parse(late!.trigger.timestamp as string);
    expect(firedFor).toBeGreaterThanOrEqual(due.getTime() - 2000);
    expect(firedFor).toBeLessThanOrEqual(due.getTime() + 1000);
  });

  for (const expression of ['not a cron', '61 * * * *']) {
    it(`an invalid cron expression ("${expression}") is a 400 at activation and registers nothing`, async () => {
      const id = await createWorkflow(t, scheduleWorkflow({ interval: [{ field: 'cronExpression', expression }] }));
      const res = await api(t, 'POST', `/workflows/${id}/activate`);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_ERROR');
      expect(res.json().message).toContain(`Schedule Trigger "${TRIGGER}"`);
      expect((await api(t, 'GET', `/workflows/${id}`)).json().active).toBe(false);
      const { rows } = await t.app.runtime.sql.query('SELECT count(*)::int AS n FROM schedule_trigger WHERE workflow_id = $1', [id]);
      expect(rows[0]!.n).toBe(0);
    });
  }
});

describe('two instances on one database', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await buildTestApp(POLL, db);
    b = await buildTestApp(POLL, db);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  it('fire each tick once', async () => {
    const id = await createWorkflow(a, scheduleWorkflow(everySecond));
    const started = Date.now();
    await activate(a, id);
    // Counting ticks needs a window of wall-clock time.
    await sleep(4000);
    await deactivate(b, id);
    const windowMs = Date.now() - started;
    await settled(a, id);

    const list = await ticks(a, id);
    expectDistinctTicks(list);
    expect(list.every((tick) => tick.mode === 'trigger' && tick.status === 'success')).toBe(true);
    // One per whole second of the window at most; a loaded machine may skip some, but not most.
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.length).toBeLessThanOrEqual(Math.ceil(windowMs / 1000) + 1);
    expect(await rowCount(a, id)).toBe(list.length);
  });

  it('polls racing each other on both instances claim a due tick once', async () => {
    // Yearly, so only the due times set below fire.
    const id = await createWorkflow(a, scheduleWorkflow({ interval: [{ field: 'cronExpression', expression: '0 0 0 1 1 *' }] }));
    await activate(a, id);
    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      await a.app.runtime.sql.query(
        `UPDATE schedule_trigger SET next_run_at = date_trunc('second', now()) - make_interval(secs => $2) WHERE workflow_id = $1`,
        [id, rounds - i],
      );
      await Promise.all([
        a.app.runtime.poller.tick(),
        b.app.runtime.poller.tick(),
        a.app.runtime.poller.tick(),
        b.app.runtime.poller.tick(),
      ]);
      // Each app's own background poll may have claimed the tick and not committed yet when ours returned (it
      // skipped the locked row): wait for the claim, then make sure no second one followed.
      await eventually(async () => ((await rowCount(a, id)) > i ? true : undefined), `tick ${i + 1} to be claimed`);
      await Promise.all([a.app.runtime.poller.tick(), b.app.runtime.poller.tick()]);
      expect(await rowCount(a, id)).toBe(i + 1);
    }
    await deactivate(a, id);
    await settled(a, id);
    const list = await ticks(a, id);
    expect(list).toHaveLength(rounds);
    expectDistinctTicks(list);
  });
});

describe('restart', () => {
  it('a new app on the same database keeps firing, without repeating a tick', async () => {
    const db = await createTestDatabase();
    try {
      const first = await buildTestApp(POLL, db);
      const id = await createWorkflow(first, scheduleWorkflow(everySecond));
      await activate(first, id);
      const beforeRestart = await atLeast(first, id, 2);
      await first.close();
      const closedAt = Date.now();

      const second = await buildTestApp(POLL, db);
      try {
        const all = await atLeast(second, id, beforeRestart.length + 2);
        await deactivate(second, id);
        await settled(second, id);
        const final = await ticks(second, id);
        expect(final.length).toBeGreaterThanOrEqual(all.length);
        expectDistinctTicks(final);
        expect(final.every((tick) => tick.mode === 'trigger' && tick.status === 'success')).toBe(true);
        // Fired by the new app: ticks after the first one closed.
        const after = final.filter((tick) => DateTime.fromISO(tick.trigger.timestamp as string).toMillis() >= closedAt - 1000);
        expect(after.length).toBeGreaterThanOrEqual(2);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});
