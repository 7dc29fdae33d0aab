import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { postgresProcessesFor, type ServerProcess, serverEnv, spawnServer } from '../helpers/server-process.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../helpers/test-app.ts';
import { freePort } from '../helpers/throwaway-postgres.ts';

/**
 * What survives a stopped or dead server: running executions of dead instances become "crashed", waiting ones
 * resume on whichever instance polls first (exactly once), and a stop request reaches the instance running it.
 */

type Json = Record<string, unknown>;

/** Every claim of a due waiting execution, by any instance in this process (ids, in order; tests reset it). */
const claimed = vi.hoisted(() => [] as number[]);
vi.mock('../../src/modules/executions/executions.store.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/modules/executions/executions.store.ts')>();
  const claimDueWaiting = async (...args: Parameters<typeof original.claimDueWaiting>) => {
    const rows = await original.claimDueWaiting(...args);
    claimed.push(...rows.map((row) => row.id));
    return rows;
  };
  // The poller receives the store object (services.ts injects it): count the claims made through it.
  return { ...original, claimDueWaiting, executionsStore: { ...original.executionsStore, claimDueWaiting } };
});
const claimsOf = (id: string) => claimed.filter((c) => String(c) === id).length;

/** The poller's first pass comes after a minute: nothing runs in the background during a test. */
const QUIET_POLLER = { TRIGGER_POLL_INTERVAL_MS: '60000' };

/** Manual Trigger → Wait (`seconds`) → Set { done: "yes" }. */
function waitingWorkflow(seconds: number) {
  return {
    name: `Wait ${seconds}s`,
    nodes: [
      { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      { name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [200, 0], parameters: { amount: seconds, unit: 'seconds' } },
      {
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [400, 0],
        parameters: {
          assignments: { assignments: [{ id: '1', name: 'done', value: 'yes', type: 'string' }] },
          options: {},
        },
      },
    ],
    connections: {
      Start: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
      Wait: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
  };
}

async function getExecution(app: TestApp, id: string, includeData = false) {
  const res = await api(app, 'GET', `/executions/${id}${includeData ? '?includeData=true' : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Starts a manual run without waiting for it; resolves once this instance runs it. */
async function startRun(app: TestApp, workflowId: string): Promise<string> {
  const res = await api(app, 'POST', `/workflows/${workflowId}/run`, {});
  expect(res.statusCode, res.body).toBe(202);
  const id: string = res.json().executionId;
  await eventually(async () => (app.app.runtime.runner.isRunningHere(Number(id)) ? true : undefined), 'the run to start');
  return id;
}

async function insertExecution(app: TestApp, workflowId: string, status: string, instanceId: number | null): Promise<number> {
  const { rows } = await app.app.runtime.sql.query(
    `INSERT INTO execution (workflow_id, mode, status, instance_id, started_at) VALUES ($1, 'manual', $2, $3, now()) RETURNING id`,
    [workflowId, status, instanceId],
  );
  return rows[0]!.id as number;
}

async function statusOf(app: TestApp, id: number): Promise<string> {
  const { rows } = await app.app.runtime.sql.query('SELECT status FROM execution WHERE id = $1', [id]);
  return rows[0]!.status as string;
}

describe('crash recovery across instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let workflowId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    // No background polls (their crash recovery would race the explicit calls below).
    a = await buildTestApp(QUIET_POLLER, db);
    b = await buildTestApp(QUIET_POLLER, db);
    workflowId = await createWorkflow(a, waitingWorkflow(1));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  it("recoverCrashed marks running executions of dead instances crashed and leaves live instances' alone", async () => {
    const live = new Set([a.app.runtime.liveness.instanceId, b.app.runtime.liveness.instanceId]);
    let deadInstance = 424_242;
    while (live.has(deadInstance)) deadInstance++;

    const orphan = await insertExecution(a, workflowId, 'running', deadInstance);
    const unowned = await insertExecution(a, workflowId, 'running', null);
    // Queued (queue mode): no instance owns it yet, and the queue's reconcile, not liveness, looks after it.
    const queued = await insertExecution(a, workflowId, 'new', null);
    const onB = await insertExecution(a, workflowId, 'running', b.app.runtime.liveness.instanceId);
    const onA = await insertExecution(a, workflowId, 'running', a.app.runtime.liveness.instanceId);
    const waiting = await insertExecution(a, workflowId, 'waiting', null);
    const done = await insertExecution(a, workflowId, 'success', null);

    // Any instance may run the recovery: B recovers for everyone.
    expect(await b.app.runtime.liveness.recoverCrashed(b.app.runtime.sql)).toBe(2);
    expect(await statusOf(a, orphan)).toBe('crashed');
    expect(await statusOf(a, unowned)).toBe('crashed');
    expect(await statusOf(a, onB)).toBe('running');
    expect(await statusOf(a, onA)).toBe('running');
    expect(await statusOf(a, waiting)).toBe('waiting');
    expect(await statusOf(a, done)).toBe('success');
    expect(await statusOf(a, queued)).toBe('new');

    const crashed = await getExecution(a, String(orphan));
    expect(crashed.status).toBe('crashed');
    expect(crashed.stoppedAt).not.toBeNull();
    expect(crashed.finished).toBe(false);
    // n8n lists crashed runs under status=error.
    const errors = await api(a, 'GET', `/executions?status=error&workflowId=${workflowId}`);
    expect(errors.json().data.map((e: Json) => e.id)).toEqual(expect.arrayContaining([String(orphan), String(unowned)]));

    // Nothing more to do on a second pass.
    expect(await a.app.runtime.liveness.recoverCrashed(a.app.runtime.sql)).toBe(0);
    await a.app.runtime.sql.query('DELETE FROM execution WHERE id = ANY($1)', [[onA, onB, queued]]);
  });

  it('a closed instance gives up its lease: what it left running is crashed by the next app that starts', async () => {
    const c = await buildTestApp(QUIET_POLLER, db);
    const leftBehind = await insertExecution(a, workflowId, 'running', c.app.runtime.liveness.instanceId);
    const onB = await insertExecution(a, workflowId, 'running', b.app.runtime.liveness.instanceId);
    expect(await a.app.runtime.liveness.recoverCrashed(a.app.runtime.sql)).toBe(0);
    await c.close();
    expect(await statusOf(a, leftBehind)).toBe('running');

    // Recovery runs when an app becomes ready.
    const d = await buildTestApp(QUIET_POLLER, db);
    try {
      expect(await statusOf(a, leftBehind)).toBe('crashed');
      expect(await statusOf(a, onB)).toBe('running');
    } finally {
      await d.close();
      await a.app.runtime.sql.query('DELETE FROM execution WHERE id = $1', [onB]);
    }
  });

  it('a real run in progress on an instance that gave up its lease is found crashed', async () => {
    const id = await startRun(b, await createWorkflow(b, waitingWorkflow(30)));
    const row = await getExecution(a, id);
    expect(row.status).toBe('running');
    expect(await a.app.runtime.liveness.recoverCrashed(a.app.runtime.sql)).toBe(0);
    // As a process that stops cleanly does (one that dies stops renewing, and its lease runs out: see below).
    await b.app.runtime.liveness.close();
    expect(await a.app.runtime.liveness.recoverCrashed(a.app.runtime.sql)).toBe(1);
    expect((await getExecution(a, id)).status).toBe('crashed');
    b.app.runtime.runner.cancel(Number(id));
    await b.app.runtime.runner.settled(Number(id))?.catch(() => undefined);
  });
});

describe('instance leases across connection drops', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A 3 s lease renewed every second: a 2 s outage fits in it.
    const env = { ...QUIET_POLLER, INSTANCE_LEASE_SECONDS: '3' };
    a = await buildTestApp(env, db);
    b = await buildTestApp(env, db);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  /** Terminates every connection of the instances to the test database, again and again for `ms` (a failover). */
  async function dropConnectionsFor(ms: number) {
    const admin = await a.app.runtime.sql.connect();
    try {
      const { rows } = await admin.query('SELECT pg_backend_pid() AS pid');
      const own = rows[0].pid as number;
      for (const end = Date.now() + ms; Date.now() < end; ) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1', [own]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      admin.release(true);
    }
  }

  it('a 2 s drop of every database connection marks nothing crashed, and the run then ends as it should', async () => {
    const id = await startRun(b, await createWorkflow(b, waitingWorkflow(4)));
    await dropConnectionsFor(2000);
    // The lease is renewed again within a second of the database answering.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await a.app.runtime.liveness.recoverCrashed(a.app.runtime.sql)).toBe(0);
    expect((await getExecution(a, id)).status).toBe('running');
    await b.app.runtime.runner.settled(Number(id));
    const done = await getExecution(a, id);
    expect(done).toMatchObject({ status: 'success', finished: true });
  });

  it('an instance that stops renewing (a host gone with its connections half-open) has its runs crashed once its lease expires, and they stay crashed', async () => {
    const id = await startRun(b, await createWorkflow(b, waitingWorkflow(3)));
    // What a vanished host looks like from here: its lease is no longer renewed and runs out.
    await a.app.runtime.sql.query(`UPDATE instance_lease SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      b.app.runtime.liveness.instanceId,
    ]);
    expect(await a.app.runtime.liveness.recoverCrashed(a.app.runtime.sql)).toBe(1);
    expect((await getExecution(a, id)).status).toBe('crashed');
    // The run itself goes on on B and tries to save its success: the verdict stands.
    await b.app.runtime.runner.settled(Number(id));
    expect((await getExecution(a, id)).status).toBe('crashed');
    // B renews again and is alive for everyone (a new lease): its later runs are not touched.
    await eventually(async () => {
      const { rows } = await a.app.runtime.sql.query('SELECT 1 FROM instance_lease WHERE id = $1 AND expires_at > now()', [
        b.app.runtime.liveness.instanceId,
      ]);
      return rows.length ? true : undefined;
    }, 'B to take a new lease');
  });
});

describe('waiting executions resume after a restart', () => {
  it('a parked wait finishes on a new app, resumed once with two instances polling', async () => {
    claimed.length = 0;
    const db = await createTestDatabase();
    try {
      // This app never polls during the test: the wait can only be resumed by the apps built after it.
      const first = await buildTestApp({ EXECUTIONS_WAIT_IN_PROCESS_MS: '0', TRIGGER_POLL_INTERVAL_MS: '60000' }, db);
      const workflowId = await createWorkflow(first, waitingWorkflow(1));
      const started = Date.now();
      const run = await api(first, 'POST', `/workflows/${workflowId}/run`, { wait: true });
      expect(run.statusCode, run.body).toBe(200);
      const parked = run.json();
      expect(parked.status).toBe('waiting');
      expect(parked.finished).toBe(false);
      const waitTill = Date.parse(parked.waitTill);
      expect(waitTill).toBeGreaterThanOrEqual(started + 900);
      expect(waitTill).toBeLessThan(Date.now() + 1500);
      expect(parked.data.resultData.runData.Set).toBeUndefined();
      await first.close();
      expect(claimsOf(parked.id)).toBe(0);

      const env = { EXECUTIONS_WAIT_IN_PROCESS_MS: '0', TRIGGER_POLL_INTERVAL_MS: '100' };
      const second = await buildTestApp(env, db);
      const third = await buildTestApp(env, db);
      try {
        const finished = await eventually(async () => {
          const execution = await getExecution(second, parked.id, true);
          return execution.status === 'success' ? execution : undefined;
        }, 'the resumed execution to succeed');
        expect(finished.finished).toBe(true);
        expect(finished.waitTill).toBeNull();
        expect(finished.stoppedAt).not.toBeNull();
        const runData = finished.data.resultData.runData;
        expect(runData.Set[0].data.main[0][0].json).toEqual({ done: 'yes' });
        expect(runData.Start).toHaveLength(1);
        expect(runData.Wait).toHaveLength(1);
        expect(runData.Set).toHaveLength(1);
        // Both instances keep polling for a while: still exactly one resume.
        await Promise.all([second.app.runtime.poller.tick(), third.app.runtime.poller.tick()]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(claimsOf(parked.id)).toBe(1);
        const { rows } = await second.app.runtime.sql.query('SELECT count(*)::int AS n FROM execution WHERE workflow_id = $1', [
          workflowId,
        ]);
        expect(rows[0]!.n).toBe(1);
      } finally {
        await third.close();
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('waiting executions claimed by racing polls', () => {
  it('each due wait is resumed by exactly one of two instances polling at the same moment', async () => {
    claimed.length = 0;
    const db = await createTestDatabase();
    // Slow timers: only the explicit polls below resume anything.
    const env = { EXECUTIONS_WAIT_IN_PROCESS_MS: '0', TRIGGER_POLL_INTERVAL_MS: '60000' };
    const x = await buildTestApp(env, db);
    const y = await buildTestApp(env, db);
    try {
      const workflowId = await createWorkflow(x, waitingWorkflow(3600));
      const ids: string[] = [];
      for (let round = 0; round < 10; round++) {
        const parked: string[] = [];
        for (let i = 0; i < 4; i++) {
          const run = await api(i % 2 ? x : y, 'POST', `/workflows/${workflowId}/run`, { wait: true });
          expect(run.json().status).toBe('waiting');
          parked.push(run.json().id);
        }
        // Due now, for every poller at once.
        await x.app.runtime.sql.query(`UPDATE execution SET wait_till = now() - interval '1 second' WHERE id = ANY($1::int[])`, [
          parked.map(Number),
        ]);
        await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? x : y).app.runtime.poller.tick()));
        ids.push(...parked);
      }
      for (const id of ids) {
        const finished = await eventually(async () => {
          const execution = await getExecution(x, id, true);
          return execution.status === 'success' ? execution : undefined;
        }, `execution ${id} to succeed`);
        expect(finished.data.resultData.runData.Set).toHaveLength(1);
      }
      expect(Object.fromEntries(ids.map((id) => [id, claimsOf(id)]))).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    } finally {
      await y.close();
      await x.close();
      await db.drop();
    }
  });
});

describe('stop across instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await buildTestApp({}, db);
    b = await buildTestApp({}, db);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  it('a stop sent to instance B cancels the run on instance A at once (relayed by NOTIFY)', async () => {
    const workflowId = await createWorkflow(a, waitingWorkflow(30));
    const id = await startRun(a, workflowId);
    expect(b.app.runtime.runner.isRunningHere(Number(id))).toBe(false);

    const before = Date.now();
    const res = await api(b, 'POST', `/executions/${id}/stop`);
    const elapsed = Date.now() - before;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('canceled');
    expect(elapsed).toBeLessThan(1500);
    expect(a.app.runtime.runner.isRunningHere(Number(id))).toBe(false);

    const execution = await getExecution(a, id, true);
    expect(execution.status).toBe('canceled');
    expect(execution.stoppedAt).not.toBeNull();
    expect(execution.data.resultData.runData.Set).toBeUndefined();

    const again = await api(b, 'POST', `/executions/${id}/stop`);
    expect(again.statusCode).toBe(409);
  });
});

describe('a real server process killed mid-run', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  const key = `flowgate-recovery-test-key-${Date.now()}`;
  const running: ServerProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'flowgate-recovery-'));
    await chmod(dataDir, 0o755);
    const port = await freePort();
    env = serverEnv({
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_API_KEY: key,
      LOG_LEVEL: 'info',
      // The killed server's lease must run out before its runs count as crashed: short here, 30 s by default.
      INSTANCE_LEASE_SECONDS: '2',
    });
    baseUrl = `http://127.0.0.1:${port}/api/v1`;
  });

  afterAll(async () => {
    for (const server of running) server.child.kill('SIGKILL');
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const server = await spawnServer(env);
    running.push(server);
    await server.waitFor(/flowgate is ready/, 60_000);
    return server;
  }

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { 'X-N8N-API-KEY': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('SIGKILL during an in-process wait; the restarted server reports the execution crashed', async () => {
    const server = await start();
    const created = await call('POST', '/workflows', waitingWorkflow(30));
    expect(created.status).toBe(200);
    const run = await call('POST', `/workflows/${created.body.id}/run`, {});
    expect(run.status).toBe(202);
    const id = run.body.executionId as string;
    const during = await call('GET', `/executions/${id}`);
    expect(during.body.status).toBe('running');

    server.child.kill('SIGKILL');
    await server.exited;

    const restarted = await start();
    // Within the lease (2 s) plus one recovery pass (as often as the lease).
    let after = await call('GET', `/executions/${id}?includeData=true`);
    for (const deadline = Date.now() + 10_000; after.body.status === 'running' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await call('GET', `/executions/${id}?includeData=true`);
    }
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id, status: 'crashed', finished: false });
    expect(after.body.stoppedAt).not.toBeNull();
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  }, 150_000);
});
