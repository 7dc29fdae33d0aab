import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersTcp, LOCAL_REDIS } from '../helpers/redis.ts';
import { ROOT, type ServerProcess, serverEnv, spawnServer } from '../helpers/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-app.ts';
import { freePort } from '../helpers/throwaway-postgres.ts';

/**
 * Queue mode with the real thing: mains and workers as separate processes (the commands `npm start` and
 * `npm run worker` run) on one PostgreSQL, with the machine's Redis between them. Skipped, saying why, only when no
 * Redis answers on 127.0.0.1:6379.
 */

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read deep in these tests; a wrong shape fails the assertion.
type Json = Record<string, any>;

const REDIS = LOCAL_REDIS;

const haveRedis = await answersTcp(REDIS.host, REDIS.port);
if (!haveRedis) console.warn('queue-mode tests skipped: no Redis answers on 127.0.0.1:6379 (queue mode needs one)');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function webhookWorkflow(path: string, responseMode: string, extraNodes: Json[] = [], name = `Queue ${path}`) {
  const webhook = {
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    webhookId: randomUUID(),
    parameters: { httpMethod: 'POST', path, responseMode, options: {} },
  };
  const nodes = [webhook, ...extraNodes];
  const connections: Json = {};
  for (let i = 0; i < nodes.length - 1; i++)
    connections[nodes[i]!.name] = { main: [[{ node: nodes[i + 1]!.name, type: 'main', index: 0 }]] };
  return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

const setNode = (name: string, fields: Record<string, string>) => ({
  name,
  type: 'n8n-nodes-base.set',
  typeVersion: 3.4,
  position: [200, 0],
  parameters: {
    assignments: {
      assignments: Object.entries(fields).map(([field, value], i) => ({ id: String(i), name: field, value, type: 'string' })),
    },
    options: {},
  },
});

const waitNode = (seconds: number) => ({
  name: 'Wait',
  type: 'n8n-nodes-base.wait',
  typeVersion: 1.1,
  position: [400, 0],
  parameters: { amount: seconds, unit: 'seconds' },
});

function manualWorkflow(extraNodes: Json[], name = 'Queue manual') {
  const nodes = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, ...extraNodes];
  const connections: Json = {};
  for (let i = 0; i < nodes.length - 1; i++)
    connections[nodes[i]!.name] = { main: [[{ node: nodes[i + 1]!.name, type: 'main', index: 0 }]] };
  return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

describe.skipIf(!haveRedis)('queue mode: a main and two workers as separate processes', () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  const prefix = `fgtest${randomBytes(4).toString('hex')}`;
  const key = `flowgate-queue-test-key-${randomBytes(8).toString('hex')}`;
  const processes: ServerProcess[] = [];
  let baseEnv: NodeJS.ProcessEnv;
  let mainPort: number;
  let main: ServerProcess;
  let workers: ServerProcess[] = [];

  const call = async (method: string, path: string, body?: unknown, port = mainPort) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method,
      headers: { 'X-N8N-API-KEY': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };

  const hook = async (path: string, body: unknown, port = mainPort) => {
    const res = await fetch(`http://127.0.0.1:${port}/webhook/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  };

  async function startMain(port: number): Promise<ServerProcess> {
    const server = await spawnServer({ ...baseEnv, N8N_PORT: String(port) });
    processes.push(server);
    await server.waitFor(/flowgate is ready \(queue mode/, 60_000);
    return server;
  }

  async function startWorker(concurrency = 5): Promise<ServerProcess> {
    const healthPort = await freePort();
    const worker = await spawnServer({ ...baseEnv, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) }, [
      'worker',
      `--concurrency=${concurrency}`,
    ]);
    processes.push(worker);
    await worker.waitFor(/flowgate worker is ready/, 60_000);
    (worker as ServerProcess & { healthPort: number }).healthPort = healthPort;
    return worker;
  }

  async function createActive(workflow: unknown): Promise<string> {
    const created = await call('POST', '/workflows', workflow);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const activated = await call('POST', `/workflows/${created.body.id}/activate`);
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    return created.body.id;
  }

  const statusOf = async (id: string | number) =>
    (await sql.query('SELECT status FROM execution WHERE id = $1', [Number(id)])).rows[0]?.status as string | undefined;

  /** Execution ids each worker's log says it finished. */
  const finishedBy = (worker: ServerProcess) =>
    [...worker.output().matchAll(/"executionId":(\d+)[^\n]*"msg":"execution finished"/g)].map((m) => Number(m[1]));

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    mainPort = await freePort();
    baseEnv = serverEnv({
      DATABASE_URL: db.url,
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: REDIS.host,
      QUEUE_BULL_REDIS_PORT: String(REDIS.port),
      QUEUE_BULL_PREFIX: prefix,
      N8N_ENCRYPTION_KEY: 'flowgate-queue-test-encryption-key',
      N8N_API_KEY: key,
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      INSTANCE_LEASE_SECONDS: '3',
      TRIGGER_POLL_INTERVAL_MS: '200',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WEBHOOK_MAX: '1000000',
      N8N_METRICS: 'true',
      LOG_LEVEL: 'info',
    });
    main = await startMain(mainPort);
    workers = [await startWorker(), await startWorker()];
  }, 180_000);

  afterAll(async () => {
    for (const server of processes) server.child.kill('SIGKILL');
    await Promise.all(processes.map((server) => server.exited));
    await sql?.end();
    await db?.drop();
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('workers answer their health checks', async () => {
    for (const worker of workers) {
      const port = (worker as ServerProcess & { healthPort: number }).healthPort;
      const live = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(live.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/healthz/readiness`);
      expect(ready.status).toBe(200);
      // A worker serves no API.
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/workflows`)).status).toBe(404);
      // Its metrics, with the queue's job counts, on the same port.
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^n8n_scaling_mode_queue_jobs\{state="waiting"\} \d+$/m);
      expect(metrics).toContain('# TYPE n8n_executions gauge');
    }
    const mainMetrics = await (await fetch(`http://127.0.0.1:${mainPort}/metrics`)).text();
    expect(mainMetrics).toMatch(/^n8n_scaling_mode_queue_jobs\{state="completed"\} \d+$/m);
  });

  it('200 lastNode webhooks are all answered by the workers with their own result, each recorded exactly once', async () => {
    const path = `lastnode-${randomBytes(3).toString('hex')}`;
    const workflowId = await createActive(webhookWorkflow(path, 'lastNode', [setNode('Set', { n: '={{ $json.body.n }}', via: 'worker' })]));
    const answers: { status: number; body: Json }[] = new Array(200);
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 200) {
          const n = next++;
          answers[n] = (await hook(path, { n })) as { status: number; body: Json };
        }
      }),
    );
    for (let n = 0; n < 200; n++) {
      expect(answers[n]!.status, JSON.stringify(answers[n])).toBe(200);
      expect(answers[n]!.body).toMatchObject({ n: String(n), via: 'worker' });
    }
    const { rows } = await sql.query(
      `SELECT e.id, e.status, e.mode, d.data::jsonb #>> '{resultData,runData,Set,0,data,main,0,0,json,n}' AS n
       FROM execution e JOIN execution_data d ON d.execution_id = e.id WHERE e.workflow_id = $1`,
      [workflowId],
    );
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.status === 'success' && r.mode === 'webhook')).toBe(true);
    expect(new Set(rows.map((r) => r.n)).size).toBe(200);
    // Both workers ran some, and no execution was run twice.
    const ids = new Set(rows.map((r) => r.id as number));
    const byWorker = workers.map((w) => finishedBy(w).filter((id) => ids.has(id)));
    expect(byWorker[0]!.length).toBeGreaterThan(0);
    expect(byWorker[1]!.length).toBeGreaterThan(0);
    expect(byWorker[0]!.length + byWorker[1]!.length).toBe(200);
    expect(new Set([...byWorker[0]!, ...byWorker[1]!]).size).toBe(200);
    // The main ran none itself.
    expect(finishedBy(main).filter((id) => ids.has(id))).toEqual([]);
  }, 120_000);

  it('responseNode answers with the Respond to Webhook node from the worker; onReceived answers at once', async () => {
    const respondPath = `respond-${randomBytes(3).toString('hex')}`;
    const respondWorkflowId = await createActive(
      webhookWorkflow(respondPath, 'responseNode', [
        {
          name: 'Respond',
          type: 'n8n-nodes-base.respondToWebhook',
          typeVersion: 1.1,
          position: [200, 0],
          parameters: { respondWith: 'json', responseBody: '={{ { "got": $json.body.value } }}', options: { responseCode: 201 } },
        },
        waitNode(3),
      ]),
    );
    const answered = await hook(respondPath, { value: 'hello' });
    expect(answered.status, answered.text).toBe(201);
    expect(answered.body).toEqual({ got: 'hello' });
    // Answered while the Wait after the Respond node still runs: the worker sent the response on, not the result.
    const { rows: during } = await sql.query(`SELECT status FROM execution WHERE workflow_id = $1`, [respondWorkflowId]);
    expect(during.map((r) => r.status)).toEqual(['running']);

    const receivedPath = `received-${randomBytes(3).toString('hex')}`;
    const workflowId = await createActive(webhookWorkflow(receivedPath, 'onReceived', [waitNode(1)]));
    const received = await hook(receivedPath, {});
    expect(received.status).toBe(200);
    expect(received.body).toEqual({ message: 'Workflow was started' });
    await until(async () => {
      const { rows } = await sql.query(`SELECT status FROM execution WHERE workflow_id = $1`, [workflowId]);
      return rows[0]?.status === 'success';
    }, 'the onReceived run to end on a worker');
  });

  it('POST /workflows/:id/run with and without wait, and a retry, all run on workers', async () => {
    const created = await call('POST', '/workflows', manualWorkflow([setNode('Set', { x: '={{ $json.x }}' })]));
    const id = created.body.id;
    const waited = await call('POST', `/workflows/${id}/run?wait=true`, { items: [{ x: 'one' }] });
    expect(waited.status, JSON.stringify(waited.body)).toBe(200);
    expect(waited.body).toMatchObject({ status: 'success', finished: true, mode: 'manual' });
    expect(waited.body.data.resultData.runData.Set[0].data.main[0][0].json).toEqual({ x: 'one' });
    expect(workers.some((w) => finishedBy(w).includes(Number(waited.body.id)))).toBe(true);

    const queued = await call('POST', `/workflows/${id}/run`, { items: [{ x: 'two' }] });
    expect(queued.status).toBe(202);
    await until(async () => (await statusOf(queued.body.executionId)) === 'success', 'the run without wait to end');

    // A failing run, retried: the retry runs on a worker and links back.
    const failing = await call(
      'POST',
      '/workflows',
      manualWorkflow([
        { name: 'Fail', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, position: [200, 0], parameters: { errorMessage: 'boom' } },
      ]),
    );
    const failed = await call('POST', `/workflows/${failing.body.id}/run?wait=true`, {});
    expect(failed.body.status).toBe('error');
    const retried = await call('POST', `/executions/${failed.body.id}/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ mode: 'retry', retryOf: String(failed.body.id), status: 'error' });
    expect(workers.some((w) => finishedBy(w).includes(Number(retried.body.id)))).toBe(true);
  });

  it('a job a worker claims but cannot run ends crashed, not running for ever', async () => {
    const created = await call('POST', '/workflows', manualWorkflow([setNode('Set', { x: '1' })], 'Queue unrunnable'));
    // A queued row whose stored workflow is unreadable (JSON null), put on the queue as a main would.
    const { rows } = await sql.query(
      `WITH e AS (INSERT INTO execution (workflow_id, mode, status) VALUES ($1, 'manual', 'new') RETURNING id)
       INSERT INTO execution_data (execution_id, data, workflow_data) SELECT id, '{}'::json, 'null'::json FROM e RETURNING execution_id AS id`,
      [created.body.id],
    );
    const id = rows[0].id as number;
    const queue = new Queue('flowgate-executions', { connection: { ...REDIS, maxRetriesPerRequest: null }, prefix });
    try {
      await queue.add('execution', { executionId: id }, { jobId: `e${id}`, attempts: 1 });
      await until(async () => (await statusOf(id)) === 'crashed', 'the unrunnable execution to be marked crashed', 10_000);
      // The worker marks the row crashed, then fails the job: BullMQ records that a moment later.
      await until(async () => (await queue.getJobState(`e${id}`)) === 'failed', 'the job to be failed', 5_000);
    } finally {
      await queue.close();
    }
  });

  it('a stop from the API cancels a run on a worker within a second; a queued one is taken off the queue and canceled', async () => {
    const created = await call('POST', '/workflows', manualWorkflow([waitNode(30)], 'Queue long wait'));
    // Two workers × 5 slots: the eleventh run waits in the queue.
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await call('POST', `/workflows/${created.body.id}/run`, {})).body.executionId);
    await until(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM execution WHERE id = ANY($1) AND status = 'running'`, [
        ids.map(Number),
      ]);
      return rows[0].n === 10;
    }, 'ten runs to be running on the workers');
    const queuedId = (await sql.query(`SELECT id FROM execution WHERE id = ANY($1) AND status = 'new'`, [ids.map(Number)])).rows[0]?.id;
    expect(queuedId).toBeDefined();

    const stoppedQueued = await call('POST', `/executions/${queuedId}/stop`);
    expect(stoppedQueued.status).toBe(200);
    expect(stoppedQueued.body.status).toBe('canceled');

    const runningId = ids.find((id) => Number(id) !== queuedId)!;
    const started = Date.now();
    const stopped = await call('POST', `/executions/${runningId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('canceled');
    expect(Date.now() - started).toBeLessThan(1000);

    const rest = await call('POST', '/executions/stop', { status: ['running', 'queued'], workflowId: created.body.id });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body.stopped).toBe(9);
    const { rows } = await sql.query(`SELECT status, count(*)::int AS n FROM execution WHERE id = ANY($1) GROUP BY status`, [
      ids.map(Number),
    ]);
    expect(rows).toEqual([{ status: 'canceled', n: 11 }]);
    // The canceled queued run never started anywhere.
    await sleep(500);
    expect(await statusOf(queuedId)).toBe('canceled');
  });

  it('schedules fire once per tick with two mains', async () => {
    const second = await startMain(await freePort());
    const workflowId = await createActive({
      name: 'Queue schedule',
      nodes: [
        {
          name: 'Schedule',
          type: 'n8n-nodes-base.scheduleTrigger',
          typeVersion: 1.2,
          position: [0, 0],
          parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] } },
        },
      ],
      connections: {},
      settings: { executionOrder: 'v1' },
    });
    await sleep(4500);
    expect((await call('POST', `/workflows/${workflowId}/deactivate`)).status).toBe(200);
    await sleep(500);
    const { rows } = await sql.query(
      `SELECT e.status, d.data::jsonb #>> '{resultData,runData,Schedule,0,data,main,0,0,json,timestamp}' AS tick
       FROM execution e JOIN execution_data d ON d.execution_id = e.id WHERE e.workflow_id = $1`,
      [workflowId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.status === 'success')).toBe(true);
    expect(new Set(rows.map((r) => r.tick)).size).toBe(rows.length);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('a worker killed mid-run leaves its runs crashed within the lease, the rest done, and its unstarted jobs run elsewhere', async () => {
    const created = await call('POST', '/workflows', manualWorkflow([waitNode(4), setNode('Set', { done: 'yes' })], 'Queue kill'));
    const ids: number[] = [];
    // Ten slots busy, two more queued.
    for (let i = 0; i < 12; i++) ids.push(Number((await call('POST', `/workflows/${created.body.id}/run`, {})).body.executionId));
    await until(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM execution WHERE id = ANY($1) AND status = 'running'`, [ids]);
      return rows[0].n === 10;
    }, 'ten runs to be running');
    const victim = workers[0]!;
    const victimLease = (
      await sql.query(
        `SELECT instance_id FROM execution WHERE id = ANY($1) AND status = 'running' GROUP BY instance_id ORDER BY instance_id`,
        [ids],
      )
    ).rows.map((r) => r.instance_id as number);
    expect(victimLease).toHaveLength(2);
    // Which instance is the victim: the one whose log shows its lease id is not needed; kill one, see whose runs end.
    const before = (await sql.query(`SELECT id, instance_id FROM execution WHERE id = ANY($1) AND status = 'running'`, [ids])).rows;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();

    const final = await until(
      async () => {
        const { rows } = await sql.query(`SELECT id, status FROM execution WHERE id = ANY($1)`, [ids]);
        return rows.every((r) => !['running', 'new'].includes(r.status)) ? rows : undefined;
      },
      'every run to end',
      30_000,
    );
    const crashed = final.filter((r) => r.status === 'crashed').map((r) => r.id as number);
    const succeeded = final.filter((r) => r.status === 'success').map((r) => r.id as number);
    expect(crashed).toHaveLength(5);
    expect(succeeded).toHaveLength(7);
    // The crashed ones are exactly those the killed worker was running.
    const crashedInstances = new Set(before.filter((r) => crashed.includes(r.id)).map((r) => r.instance_id));
    expect(crashedInstances.size).toBe(1);
    // Within the lease (3 s) plus a recovery pass (as often as the lease), well before the 4 s waits would have ended twice.
    const { rows: stops } = await sql.query(`SELECT max(stopped_at) AS at FROM execution WHERE id = ANY($1)`, [crashed]);
    expect(new Date(stops[0].at).getTime() - killedAt).toBeLessThan(8000);
    workers = [workers[1]!];
  }, 90_000);

  it('a worker on SIGTERM hands a run sleeping in a Wait back (parked, not canceled), and Waits resume through the queue', async () => {
    const created = await call('POST', '/workflows', manualWorkflow([waitNode(3), setNode('Set', { done: 'yes' })], 'Queue handover'));
    const id = Number((await call('POST', `/workflows/${created.body.id}/run`, {})).body.executionId);
    await until(async () => (await statusOf(id)) === 'running', 'the run to sleep in its Wait on the worker');
    const leaving = workers[0]!;
    const signalled = Date.now();
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    // It did not sit out the 3 s wait, nor cancel the run: it parked it for whoever comes next.
    expect(Date.now() - signalled).toBeLessThan(3000);
    const { rows } = await sql.query('SELECT status, wait_till FROM execution WHERE id = $1', [id]);
    expect(rows[0]).toMatchObject({ status: 'waiting' });
    expect(rows[0].wait_till).not.toBeNull();

    // The next worker sleeps only short waits in-process: a longer one is parked and resumed through the queue.
    const next = await spawnServer({ ...baseEnv, EXECUTIONS_WAIT_IN_PROCESS_MS: '500' }, ['worker']);
    processes.push(next);
    await next.waitFor(/flowgate worker is ready/, 60_000);
    workers = [next];
    const parkedWorkflow = await call('POST', '/workflows', manualWorkflow([waitNode(2), setNode('Set', { done: 'yes' })], 'Queue parked'));
    const parked = Number((await call('POST', `/workflows/${parkedWorkflow.body.id}/run`, {})).body.executionId);
    await until(async () => (await statusOf(parked)) === 'waiting', 'the long wait to be parked');

    for (const done of [id, parked]) {
      await until(async () => (await statusOf(done)) === 'success', `execution ${done} to resume and end`);
      const execution = await call('GET', `/executions/${done}?includeData=true`);
      expect(execution.body.data.resultData.runData.Set[0].data.main[0][0].json).toEqual({ done: 'yes' });
    }
    expect(finishedBy(next)).toEqual(expect.arrayContaining([id, parked]));
  }, 60_000);
});

const redisServer = '/usr/bin/redis-server';
const haveRedisServer = await import('node:fs').then((fs) => fs.existsSync(redisServer));

describe.skipIf(!haveRedisServer)('queue mode across a Redis restart (a private redis-server)', () => {
  let db: TestDatabase;
  let redisPort: number;
  let redis: import('node:child_process').ChildProcess | undefined;
  const processes: ServerProcess[] = [];
  let mainPort: number;
  let healthPort: number;

  async function startRedis() {
    const { spawn } = await import('node:child_process');
    redis = spawn(redisServer, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await until(async () => {
      const client = new Redis({
        host: '127.0.0.1',
        port: redisPort,
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    }, 'the private Redis to answer');
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    redisPort = await freePort();
    await startRedis();
    mainPort = await freePort();
    healthPort = await freePort();
    const env = serverEnv({
      DATABASE_URL: db.url,
      EXECUTIONS_MODE: 'queue',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      N8N_ENCRYPTION_KEY: 'flowgate-queue-test-encryption-key',
      N8N_API_KEY: `flowgate-redis-restart-key-${randomBytes(8).toString('hex')}`,
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_PORT: String(mainPort),
      LOG_LEVEL: 'info',
    });
    const main = await spawnServer(env);
    processes.push(main);
    await main.waitFor(/flowgate is ready \(queue mode/, 60_000);
    const worker = await spawnServer({ ...env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) }, [
      'worker',
    ]);
    processes.push(worker);
    await worker.waitFor(/flowgate worker is ready/, 60_000);
    const key = env.N8N_API_KEY!;
    const headers = { 'X-N8N-API-KEY': key, 'content-type': 'application/json' };
    const workflow = webhookWorkflow('restart-hook', 'lastNode', [setNode('Set', { n: '={{ $json.body.n }}' })]);
    const created = await (
      await fetch(`http://127.0.0.1:${mainPort}/api/v1/workflows`, { method: 'POST', headers, body: JSON.stringify(workflow) })
    ).json();
    const activated = await fetch(`http://127.0.0.1:${mainPort}/api/v1/workflows/${(created as Json).id}/activate`, {
      method: 'POST',
      headers,
    });
    expect(activated.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    for (const server of processes) server.child.kill('SIGKILL');
    await Promise.all(processes.map((server) => server.exited));
    redis?.kill('SIGKILL');
    await db?.drop();
  });

  const hook = async (n: number) => {
    const res = await fetch(`http://127.0.0.1:${mainPort}/webhook/restart-hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('while Redis is down a webhook is refused visibly (503, its execution crashed); after the restart mains and workers carry on', async () => {
    expect(await hook(1)).toEqual({ status: 200, body: { n: '1' } });

    redis!.kill('SIGKILL');
    await new Promise((resolve) => redis!.once('exit', resolve));
    const refused = await hook(2);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('QUEUE_UNAVAILABLE');
    expect(refused.body.message).toMatch(/could not be queued .*It is recorded as crashed/);
    const executionId = Number(/Execution (\d+)/.exec(refused.body.message)![1]);
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(
        `SELECT e.status, d.data::jsonb #>> '{resultData,error,message}' AS message FROM execution e JOIN execution_data d ON d.execution_id = e.id WHERE e.id = $1`,
        [executionId],
      );
      expect(rows[0]).toMatchObject({ status: 'crashed', message: expect.stringMatching(/^Could not be queued/) });
    } finally {
      await sql.end();
    }
    // The worker says it is not ready while it cannot reach Redis.
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).status).toBe(503);

    await startRedis();
    const back = await until(
      async () => {
        const answer = await hook(3);
        return answer.status === 200 ? answer : undefined;
      },
      'webhooks to work again after the Redis restart',
      30_000,
    );
    expect(back.body).toEqual({ n: '3' });
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).status).toBe(200);
  }, 90_000);
});

describe('queue mode refuses to start without what it needs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function refusal(env: Record<string, string>, args: string[] = []) {
    const server = await spawnServer(serverEnv({ N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_PORT: String(await freePort()), ...env }), args);
    const code = await server.exited;
    return { code, output: server.output() };
  }

  it('a main in queue mode with no Redis, naming the variable', async () => {
    const closed = await freePort();
    const { code, output } = await refusal({
      DATABASE_URL: db.url,
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: '127.0.0.1',
      QUEUE_BULL_REDIS_PORT: String(closed),
    });
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`EXECUTIONS_MODE=queue needs Redis, and Redis at 127.0.0.1:${closed} cannot be reached`));
    expect(output).toMatch(/set QUEUE_BULL_REDIS_HOST \/ QUEUE_BULL_REDIS_PORT to where it runs/);
  });

  it('a worker outside queue mode', async () => {
    const notQueue = await refusal({ DATABASE_URL: db.url }, ['worker']);
    expect(notQueue.code).toBe(1);
    expect(notQueue.output).toMatch(/A worker takes its executions from the queue: set EXECUTIONS_MODE=queue/);
  });

  it.skipIf(!haveRedis)('a worker whose database does not answer, naming the variable', async () => {
    const closed = await freePort();
    const noDatabase = await refusal(
      { DATABASE_URL: `postgresql://postgres@127.0.0.1:${closed}/none`, EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: REDIS.host },
      ['worker'],
    );
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.output).toMatch(/cannot connect to the PostgreSQL in DATABASE_URL/);
  });

  it('a worker with a bad --concurrency', async () => {
    const { code, output } = await refusal({ DATABASE_URL: db.url, EXECUTIONS_MODE: 'queue' }, ['worker', '--concurrency=none']);
    expect(code).toBe(1);
    expect(output).toMatch(/--concurrency needs a whole number above 0/);
    // The README's command: npm passes what follows `--` on to the worker.
    const { spawnSync } = await import('node:child_process');
    const viaNpm = spawnSync('npm', ['run', '--silent', 'worker', '--', '--concurrency=none'], {
      cwd: ROOT,
      env: serverEnv({ DATABASE_URL: db.url, EXECUTIONS_MODE: 'queue' }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(viaNpm.status).toBe(1);
    expect(viaNpm.stderr).toMatch(/--concurrency needs a whole number above 0/);
  });
});
