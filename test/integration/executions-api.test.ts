/**
 * The executions API end to end, through the real app: list filters, field sets and keyset paging, get/delete,
 * retry (from the failed node, with the saved or the current workflow), stop (a run sleeping in-process and a
 * parked "waiting" one), annotation tags, POST /workflows/:id/run, the workflow settings that decide what is kept,
 * and pruning.
 *
 * Timing: nothing sleeps for a fixed time. State changes are polled with generous deadlines; the one bound that is
 * asserted (stop ≤ 1.5 s) is measured around the stop request alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { api, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Json = Record<string, unknown>;

function call(method: Method, url: string, payload?: unknown, app: TestApp = t) {
  return api(app, method, url, payload);
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow building blocks (parameter formats as the engine's nodes read them)
// ---------------------------------------------------------------------------------------------------------------

interface NodeSpec {
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Json;
}

let nextX = 0;
function node(name: string, type: string, typeVersion: number, parameters: Json = {}): NodeSpec {
  nextX += 200;
  return { name, type: `n8n-nodes-base.${type}`, typeVersion, position: [nextX, 0], parameters };
}
const manualTrigger = (name = 'Start') => node(name, 'manualTrigger', 1);
const noOp = (name = 'Done') => node(name, 'noOp', 1);
const stopAndError = (name = 'Fail', errorMessage = 'planned failure') => node(name, 'stopAndError', 1, { errorMessage });
const wait = (amount: number, unit: 'seconds' | 'hours', name = 'Wait') => node(name, 'wait', 1.1, { amount, unit });
const setFields = (name: string, fields: { name: string; value: unknown; type: string }[]) =>
  node(name, 'set', 3.4, {
    assignments: { assignments: fields.map((f, i) => ({ id: `a${i}`, ...f })) },
    options: {},
  });

/** A linear workflow: each node feeds the next. */
function chain(name: string, nodes: NodeSpec[], settings: Json = {}) {
  const connections: Record<string, { main: { node: string; type: string; index: number }[][] }> = {};
  for (let i = 0; i < nodes.length - 1; i++) {
    connections[nodes[i]?.name as string] = { main: [[{ node: nodes[i + 1]?.name as string, type: 'main', index: 0 }]] };
  }
  return { name, nodes, connections, settings: { executionOrder: 'v1', ...settings } };
}

async function createWorkflow(body: ReturnType<typeof chain>, app: TestApp = t): Promise<string> {
  const res = await call('POST', '/workflows', body, app);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id;
}

/** POST /workflows/:id/run with wait: the finished execution (with data). */
async function runToEnd(workflowId: string, body: Json = {}, app: TestApp = t): Promise<Json> {
  const res = await call('POST', `/workflows/${workflowId}/run`, { ...body, wait: true }, app);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** POST /workflows/:id/run without wait: the new execution's id. */
async function startRun(workflowId: string, body: Json = {}): Promise<string> {
  const res = await call('POST', `/workflows/${workflowId}/run`, body);
  expect(res.statusCode, res.body).toBe(202);
  expect(Object.keys(res.json())).toEqual(['executionId']);
  return res.json().executionId;
}

async function getExecution(id: string, includeData = false, app: TestApp = t) {
  return call('GET', `/executions/${id}${includeData ? '?includeData=true' : ''}`, undefined, app);
}

async function listIds(query: string, app: TestApp = t): Promise<string[]> {
  const res = await call('GET', `/executions?${query}`, undefined, app);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as Json[]).map((e) => e.id as string);
}

/** Polls until the execution has this status; returns it. */
function untilStatus(id: string, status: string, ms = 5000) {
  return eventually(
    async () => {
      const res = await getExecution(id);
      return res.statusCode === 200 && res.json().status === status ? (res.json() as Json) : undefined;
    },
    `execution ${id} to be ${status}`,
    ms,
  );
}

type RunData = Record<
  string,
  { startTime: number; executionTime: number; executionStatus: string; source: unknown; data?: { main: { json: Json }[][] } }[]
>;
const runDataOf = (execution: Json) => (execution.data as { resultData: { runData: RunData } }).resultData.runData;
const outputJson = (execution: Json, nodeName: string, run = 0, output = 0) =>
  (runDataOf(execution)[nodeName]?.[run]?.data?.main[output] ?? []).map((item) => item.json);

const LIST_ITEM_KEYS = [
  'id',
  'finished',
  'mode',
  'retryOf',
  'retrySuccessId',
  'status',
  'startedAt',
  'stoppedAt',
  'workflowId',
  'waitTill',
];
const LIST_ITEM_DATA_KEYS = [...LIST_ITEM_KEYS, 'storedAt', 'jsonSizeBytes', 'workflowVersionId', 'data', 'workflowData', 'customData'];
const EXECUTION_KEYS = [
  'id',
  'finished',
  'mode',
  'retryOf',
  'retrySuccessId',
  'status',
  'createdAt',
  'startedAt',
  'stoppedAt',
  'deletedAt',
  'workflowId',
  'waitTill',
  'storedAt',
  'tracingContext',
  'deduplicationKey',
  'jsonSizeBytes',
  'binaryDataSizeBytes',
  'workflowVersionId',
  'usedPrivateCredentials',
];
const sorted = (keys: string[]) => [...keys].sort();
const keysOf = (value: unknown) => Object.keys(value as object).sort();

// ---------------------------------------------------------------------------------------------------------------

describe('GET /executions', () => {
  let okWorkflow: string;
  let failWorkflow: string;
  const okRuns: string[] = [];
  let failRun: string;

  beforeAll(async () => {
    okWorkflow = await createWorkflow(chain('List ok', [manualTrigger(), noOp()]));
    failWorkflow = await createWorkflow(chain('List fail', [manualTrigger(), stopAndError()]));
    for (let i = 0; i < 2; i++) okRuns.push((await runToEnd(okWorkflow)).id as string);
    failRun = (await runToEnd(failWorkflow)).id as string;
  });

  it('lists newest first with exactly n8n’s list fields (no data unless asked)', async () => {
    const res = await call('GET', `/executions?workflowId=${okWorkflow}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(keysOf(body)).toEqual(['data', 'nextCursor']);
    expect(body.nextCursor).toBeNull();
    expect(body.data.map((e: Json) => e.id)).toEqual([...okRuns].reverse());
    for (const item of body.data) {
      expect(keysOf(item)).toEqual(sorted(LIST_ITEM_KEYS));
      expect(item).toMatchObject({
        finished: true,
        mode: 'manual',
        status: 'success',
        retryOf: null,
        retrySuccessId: null,
        waitTill: null,
      });
      expect(item.workflowId).toBe(okWorkflow);
      expect(new Date(item.stoppedAt).getTime()).toBeGreaterThanOrEqual(new Date(item.startedAt).getTime());
    }
  });

  it('includeData=true adds storedAt, jsonSizeBytes, workflowVersionId, data, workflowData, customData', async () => {
    const res = await call('GET', `/executions?workflowId=${failWorkflow}&includeData=true`);
    expect(res.statusCode).toBe(200);
    const [item] = res.json().data;
    expect(keysOf(item)).toEqual(sorted(LIST_ITEM_DATA_KEYS));
    expect(item).toMatchObject({ id: failRun, storedAt: 'db', customData: {}, workflowData: { id: failWorkflow, name: 'List fail' } });
    expect(item.jsonSizeBytes).toBeGreaterThan(0);
    expect(Object.keys(item.data.resultData.runData).sort()).toEqual(['Fail', 'Start']);
  });

  it('filters by status; status=error also covers crashed executions', async () => {
    expect(await listIds(`workflowId=${failWorkflow}&status=error`)).toEqual([failRun]);
    expect(await listIds(`workflowId=${failWorkflow}&status=success`)).toEqual([]);
    expect(await listIds(`workflowId=${okWorkflow}&status=error`)).toEqual([]);
    expect(await listIds(`workflowId=${okWorkflow}&status=success`)).toEqual([...okRuns].reverse());

    const crashed = (await runToEnd(failWorkflow)).id as string;
    await t.app.runtime.sql.query(`UPDATE execution SET status = 'crashed' WHERE id = $1`, [Number(crashed)]);
    expect(await listIds(`workflowId=${failWorkflow}&status=error`)).toEqual([crashed, failRun]);
    expect(await listIds(`workflowId=${failWorkflow}&status=crashed`)).toEqual([crashed]);
  });

  it('filters by workflowId and projectId', async () => {
    const all = await listIds('limit=250');
    expect(all).toEqual(expect.arrayContaining([...okRuns, failRun]));
    expect(await listIds(`workflowId=${okWorkflow}`)).not.toContain(failRun);
    expect(await listIds('workflowId=noSuchWorkflow01')).toEqual([]);

    const { rows } = await t.app.runtime.sql.query('SELECT project_id FROM workflow WHERE id = $1', [okWorkflow]);
    const projectId = rows[0]?.project_id as string;
    expect(projectId).toBeTruthy();
    expect(await listIds(`projectId=${projectId}&limit=250`)).toEqual(expect.arrayContaining([...okRuns, failRun]));
    expect(await listIds('projectId=noSuchProject0001')).toEqual([]);
  });

  it('rejects an unknown status filter with 400', async () => {
    const res = await call('GET', '/executions?status=finished');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^request\/query\/status /);
  });
});

describe('paging with nextCursor', () => {
  let workflowId: string;
  const created: string[] = [];

  beforeAll(async () => {
    workflowId = await createWorkflow(chain('Paging', [manualTrigger(), noOp()]));
    for (let i = 0; i < 7; i++) created.push((await runToEnd(workflowId)).id as string);
  });

  it('walks every execution in id DESC order, without duplicates, until nextCursor is null', async () => {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let url = `/executions?workflowId=${workflowId}&limit=3`;
    for (let page = 0; page < 10; page++) {
      const res = await call('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      pageSizes.push(body.data.length);
      seen.push(...body.data.map((e: Json) => e.id as string));
      if (body.nextCursor === null) break;
      // n8n's cursor: base64 of {"lastId","limit"}, lastId the last id of this page.
      expect(JSON.parse(Buffer.from(body.nextCursor, 'base64').toString('utf8'))).toEqual({ lastId: seen[seen.length - 1], limit: 3 });
      url = `/executions?workflowId=${workflowId}&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...created].sort((a, b) => Number(b) - Number(a)));
    expect(seen).toEqual([...created].reverse());
  });

  it('a page that ends exactly at the last execution has no cursor', async () => {
    const res = await call('GET', `/executions?workflowId=${workflowId}&limit=7`);
    expect(res.json().data).toHaveLength(7);
    expect(res.json().nextCursor).toBeNull();
  });

  it('an invalid cursor is 400 "An invalid cursor was provided"', async () => {
    for (const cursor of ['not-a-cursor!!', Buffer.from('{"lastId":"abc"}').toString('base64'), Buffer.from('[]').toString('base64')]) {
      const res = await call('GET', `/executions?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toMatchObject({ message: 'An invalid cursor was provided' });
    }
  });
});

describe('GET and DELETE /executions/:id', () => {
  let workflowId: string;
  let failed: Json;

  beforeAll(async () => {
    workflowId = await createWorkflow(
      chain('Get and delete', [
        manualTrigger(),
        setFields('Set', [{ name: 'greeting', value: 'hello', type: 'string' }]),
        stopAndError('Fail', 'it broke'),
      ]),
    );
    failed = await runToEnd(workflowId);
  });

  it('answers the full record, without data unless includeData', async () => {
    const res = await getExecution(failed.id as string);
    expect(res.statusCode).toBe(200);
    expect(keysOf(res.json())).toEqual(sorted(EXECUTION_KEYS));
    expect(res.json()).toMatchObject({
      id: failed.id,
      finished: false,
      mode: 'manual',
      status: 'error',
      workflowId,
      deletedAt: null,
      storedAt: 'db',
      tracingContext: null,
      deduplicationKey: null,
      binaryDataSizeBytes: 0,
      usedPrivateCredentials: false,
    });
  });

  it('includeData: run data per node, lastNodeExecuted, the error and the workflow as it ran', async () => {
    const res = await getExecution(failed.id as string, true);
    expect(res.statusCode).toBe(200);
    const execution = res.json();
    expect(keysOf(execution)).toEqual(sorted([...EXECUTION_KEYS, 'data', 'customData', 'workflowData']));
    const { resultData } = execution.data;
    expect(Object.keys(resultData.runData).sort()).toEqual(['Fail', 'Set', 'Start']);
    for (const [name, runs] of Object.entries(resultData.runData as RunData)) {
      expect(runs, name).toHaveLength(1);
      const run = runs[0] as RunData[string][number];
      expect(typeof run.startTime, name).toBe('number');
      expect(typeof run.executionTime, name).toBe('number');
      expect(Array.isArray(run.source), name).toBe(true);
    }
    const { Start: start, Set: set, Fail: fail } = resultData.runData as RunData;
    expect(start?.[0]).toMatchObject({ executionStatus: 'success', source: [] });
    expect(set?.[0]).toMatchObject({ executionStatus: 'success', source: [{ previousNode: 'Start' }] });
    expect(outputJson(execution, 'Set')).toEqual([{ greeting: 'hello' }]);
    expect(fail?.[0]).toMatchObject({ executionStatus: 'error', source: [{ previousNode: 'Set' }] });
    expect(fail?.[0]?.data).toBeUndefined();
    expect(resultData.lastNodeExecuted).toBe('Fail');
    expect(resultData.error).toMatchObject({ message: 'it broke', node: { name: 'Fail' } });
    expect(execution.workflowData).toMatchObject({ id: workflowId, name: 'Get and delete' });
    expect(execution.workflowData.nodes.map((n: Json) => n.name)).toEqual(['Start', 'Set', 'Fail']);
    expect(execution.customData).toEqual({});
  });

  it('a non-numeric id is 400, an unknown id 404 "Not Found"', async () => {
    const bad = await getExecution('abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: 'request/params/id must be number' });
    const missing = await getExecution('987654321');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: 'Not Found' });
    for (const [method, url] of [
      ['DELETE', '/executions/987654321'],
      ['POST', '/executions/987654321/stop'],
      ['GET', '/executions/987654321/tags'],
    ] as const) {
      const res = await call(method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('deletes: 200 with the record, then 404 for get and a second delete', async () => {
    const id = failed.id as string;
    const res = await call('DELETE', `/executions/${id}`);
    expect(res.statusCode).toBe(200);
    expect(keysOf(res.json())).toEqual(sorted(EXECUTION_KEYS));
    expect(res.json()).toMatchObject({ id, status: 'error' });
    expect((await getExecution(id)).statusCode).toBe(404);
    expect((await call('DELETE', `/executions/${id}`)).statusCode).toBe(404);
    expect(await listIds(`workflowId=${workflowId}`)).toEqual([]);
    const { rows } = await t.app.runtime.sql.query('SELECT count(*)::int AS n FROM execution_data WHERE execution_id = $1', [Number(id)]);
    expect(rows[0]?.n).toBe(0);
  });
});

describe('POST /executions/:id/retry', () => {
  /** Start → Set (count as a string) → IF count > 3 (strict types: fails on the string) → Done. */
  const failingBody = (loose: boolean) => {
    const check = node('Check', 'if', 2, {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
        conditions: [{ id: 'c1', leftValue: '={{ $json.count }}', rightValue: 3, operator: { type: 'number', operation: 'gt' } }],
        combinator: 'and',
      },
      ...(loose ? { looseTypeValidation: true } : {}),
      options: {},
    });
    return chain('Retry me', [manualTrigger(), setFields('Set', [{ name: 'count', value: '5', type: 'string' }]), check, noOp()]);
  };

  it('resumes from the failed node: with the saved workflow it fails again, with the fixed one it succeeds', async () => {
    const workflowId = await createWorkflow(failingBody(false));
    const original = await runToEnd(workflowId);
    expect(original.status).toBe('error');
    const originalId = original.id as string;
    expect((original.data as { resultData: { error: { message: string } } }).resultData.error.message).toMatch(
      /^Wrong type: '5' is a string/,
    );

    // Fix the condition in the saved workflow.
    const fix = await call('PUT', `/workflows/${workflowId}`, failingBody(true));
    expect(fix.statusCode, fix.body).toBe(200);

    // (b) loadWorkflow false (the default): the workflow as it ran, so the same failure.
    const again = await call('POST', `/executions/${originalId}/retry`, { loadWorkflow: false });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ mode: 'retry', retryOf: originalId, status: 'error', finished: false, retrySuccessId: null });
    expect(again.json().data.resultData.error.message).toMatch(/^Wrong type/);
    expect((await getExecution(originalId)).json().retrySuccessId).toBeNull();
    const emptyBody = await call('POST', `/executions/${originalId}/retry`, {});
    expect(emptyBody.json()).toMatchObject({ mode: 'retry', retryOf: originalId, status: 'error' });

    // (a) loadWorkflow true: the fixed workflow, from the failed node on.
    const fixed = await call('POST', `/executions/${originalId}/retry`, { loadWorkflow: true });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const retry = fixed.json();
    expect(retry).toMatchObject({ mode: 'retry', retryOf: originalId, status: 'success', finished: true });
    expect(retry.id).not.toBe(originalId);
    expect(Object.keys(runDataOf(retry)).sort()).toEqual(['Check', 'Done', 'Set', 'Start']);
    // Nodes before the failed one are not run again: their run data is the original's.
    for (const name of ['Start', 'Set']) {
      expect(runDataOf(retry)[name], name).toHaveLength(1);
      expect(runDataOf(retry)[name]?.[0]?.startTime, name).toBe(runDataOf(original)[name]?.[0]?.startTime);
    }
    expect(runDataOf(retry).Check).toHaveLength(1);
    expect(runDataOf(retry).Check?.[0]?.executionStatus).toBe('success');
    expect(outputJson(retry, 'Done')).toEqual([{ count: '5' }]);

    const originalNow = (await getExecution(originalId)).json();
    expect(originalNow).toMatchObject({ retrySuccessId: retry.id, status: 'error' });
    const stored = (await getExecution(retry.id, true)).json();
    expect(stored).toMatchObject({ mode: 'retry', retryOf: originalId, status: 'success' });
    expect(stored.workflowData.nodes.find((n: Json) => n.name === 'Check').parameters.looseTypeValidation).toBe(true);

    const listed = (await call('GET', `/executions?workflowId=${workflowId}`)).json().data as Json[];
    expect(listed.map((e) => [e.mode, e.status, e.retryOf])).toEqual([
      ['retry', 'success', originalId],
      ['retry', 'error', originalId],
      ['retry', 'error', originalId],
      ['manual', 'error', null],
    ]);
    expect(listed[3]?.retrySuccessId).toBe(retry.id);
  });

  it('a successful execution cannot be retried: 409', async () => {
    const workflowId = await createWorkflow(chain('Retry success', [manualTrigger(), noOp()]));
    const done = await runToEnd(workflowId);
    const res = await call('POST', `/executions/${done.id}/retry`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ message: 'The execution succeeded, so it cannot be retried.' });
    expect(await listIds(`workflowId=${workflowId}`)).toEqual([done.id]);
  });

  it('rejects unknown body fields and unknown ids', async () => {
    const workflowId = await createWorkflow(chain('Retry body', [manualTrigger(), stopAndError()]));
    const failed = await runToEnd(workflowId);
    expect((await call('POST', `/executions/${failed.id}/retry`, { loadWorkflow: 'yes' })).statusCode).toBe(400);
    expect((await call('POST', `/executions/${failed.id}/retry`, { other: true })).statusCode).toBe(400);
    expect((await call('POST', '/executions/987654321/retry', {})).statusCode).toBe(404);
  });
});

describe('stopping executions', () => {
  it('stops a run sleeping in-process within the bound: canceled, stoppedAt set, and the run really ended', async () => {
    const workflowId = await createWorkflow(chain('Stop running', [manualTrigger(), wait(20, 'seconds'), noOp()]));
    const id = await startRun(workflowId);
    const running = await untilStatus(id, 'running');
    expect(running.stoppedAt).toBeNull();
    // Runs in progress are listed only when asked for by status, and cannot be deleted.
    expect(await listIds(`workflowId=${workflowId}`)).toEqual([]);
    expect(await listIds(`workflowId=${workflowId}&status=running`)).toEqual([id]);
    const del = await call('DELETE', `/executions/${id}`);
    expect(del.statusCode).toBe(400);
    expect(del.json()).toMatchObject({ message: 'Cannot delete a running execution' });

    const before = performance.now();
    const res = await call('POST', `/executions/${id}/stop`);
    const elapsed = performance.now() - before;
    expect(res.statusCode, res.body).toBe(200);
    expect(elapsed).toBeLessThanOrEqual(1500);
    expect(res.json()).toMatchObject({ id, status: 'canceled', finished: false });
    expect(res.json().stoppedAt).toEqual(expect.any(String));

    expect(t.app.runtime.runner.isRunningHere(Number(id))).toBe(false);
    const after = (await getExecution(id, true)).json();
    expect(after.status).toBe('canceled');
    expect(after.data.resultData.runData.Done).toBeUndefined();
    expect(after.data.resultData.error.message).toBe('The execution was cancelled manually');
    expect(await listIds(`workflowId=${workflowId}&status=running`)).toEqual([]);
    expect(await listIds(`workflowId=${workflowId}&status=canceled`)).toEqual([id]);
  });

  it('stops a waiting execution (a 2-hour wait): canceled, no longer waiting', async () => {
    const workflowId = await createWorkflow(chain('Stop waiting', [manualTrigger(), wait(2, 'hours'), noOp()]));
    const parked = await runToEnd(workflowId);
    expect(parked.status).toBe('waiting');
    expect(new Date(parked.waitTill as string).getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(await listIds(`workflowId=${workflowId}&status=waiting`)).toEqual([parked.id]);

    const res = await call('POST', `/executions/${parked.id}/stop`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: parked.id, status: 'canceled', waitTill: null });
    expect(res.json().stoppedAt).toEqual(expect.any(String));
    expect((await getExecution(parked.id as string)).json().status).toBe('canceled');
    expect(await listIds(`workflowId=${workflowId}&status=waiting`)).toEqual([]);
  });

  it('a finished execution cannot be stopped: 409 with n8n’s message', async () => {
    const workflowId = await createWorkflow(chain('Stop finished', [manualTrigger(), noOp()]));
    const done = await runToEnd(workflowId);
    const res = await call('POST', `/executions/${done.id}/stop`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ message: `Only running or waiting executions can be stopped and ${done.id} is currently success` });
    expect((await getExecution(done.id as string)).json().status).toBe('success');
  });

  it('POST /executions/stop: an empty status list is 400; waiting ones of a workflow are stopped and counted', async () => {
    const empty = await call('POST', '/executions/stop', { status: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ message: 'Status filter is required. Please provide at least one status to stop executions.' });
    expect((await call('POST', '/executions/stop', { status: ['finished'] })).statusCode).toBe(400);

    const workflowId = await createWorkflow(chain('Stop many', [manualTrigger(), wait(2, 'hours'), noOp()]));
    const otherId = await createWorkflow(chain('Stop many (other)', [manualTrigger(), wait(2, 'hours'), noOp()]));
    const parked = [await runToEnd(workflowId), await runToEnd(workflowId)];
    const other = await runToEnd(otherId);
    for (const e of [...parked, other]) expect(e.status).toBe('waiting');

    const res = await call('POST', '/executions/stop', { status: ['waiting'], workflowId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stopped: 2 });
    for (const e of parked) expect((await getExecution(e.id as string)).json().status).toBe('canceled');
    expect((await getExecution(other.id as string)).json().status).toBe('waiting');
    expect((await call('POST', '/executions/stop', { status: ['waiting'], workflowId })).json()).toEqual({ stopped: 0 });

    // startedBefore in the past matches nothing; then the other workflow's execution is stopped by status alone.
    const none = await call('POST', '/executions/stop', {
      status: ['waiting'],
      workflowId: otherId,
      startedBefore: '2000-01-01T00:00:00.000Z',
    });
    expect(none.json()).toEqual({ stopped: 0 });
    expect((await call('POST', '/executions/stop', { status: ['waiting'], workflowId: otherId })).json()).toEqual({ stopped: 1 });
    expect((await getExecution(other.id as string)).json().status).toBe('canceled');
  });

  it('POST /executions/stop with status running stops a run sleeping in-process', async () => {
    const workflowId = await createWorkflow(chain('Stop many running', [manualTrigger(), wait(20, 'seconds'), noOp()]));
    const id = await startRun(workflowId);
    await untilStatus(id, 'running');
    const res = await call('POST', '/executions/stop', { status: ['running'], workflowId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stopped: 1 });
    expect((await getExecution(id)).json().status).toBe('canceled');
    expect(t.app.runtime.runner.isRunningHere(Number(id))).toBe(false);
  });
});

describe('execution tags (annotation tags)', () => {
  it('GET is [] at first; PUT replaces with known tags; an unknown tag is 404 and changes nothing', async () => {
    const workflowId = await createWorkflow(chain('Tags', [manualTrigger(), noOp()]));
    const { id } = await runToEnd(workflowId);

    const initial = await call('GET', `/executions/${id}/tags`);
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual([]);

    const tagRes = await call('POST', '/annotation-tags', { name: `exec-${newId(8)}` });
    expect(tagRes.statusCode, tagRes.body).toBe(201);
    const tag = tagRes.json();

    const put = await call('PUT', `/executions/${id}/tags`, [{ id: tag.id }]);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual([{ id: tag.id, name: tag.name, createdAt: tag.createdAt, updatedAt: tag.updatedAt }]);
    expect((await call('GET', `/executions/${id}/tags`)).json()).toEqual(put.json());

    const unknown = await call('PUT', `/executions/${id}/tags`, [{ id: tag.id }, { id: 'noSuchTag0000001' }]);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ message: 'Some tags not found' });
    expect((await call('GET', `/executions/${id}/tags`)).json()).toEqual(put.json());

    const cleared = await call('PUT', `/executions/${id}/tags`, []);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toEqual([]);
    expect((await call('GET', `/executions/${id}/tags`)).json()).toEqual([]);
    expect((await call('PUT', `/executions/${id}/tags`, { id: tag.id })).statusCode).toBe(400);
  });

  it('are their own namespace: a workflow tag id is 404 "Some tags not found", and the names may repeat', async () => {
    const workflowId = await createWorkflow(chain('Tag namespaces', [manualTrigger(), noOp()]));
    const { id } = await runToEnd(workflowId);
    const name = `same-${newId(8)}`;
    const workflowTag = await call('POST', '/tags', { name });
    expect(workflowTag.statusCode, workflowTag.body).toBe(201);

    const refused = await call('PUT', `/executions/${id}/tags`, [{ id: workflowTag.json().id }]);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ message: 'Some tags not found', code: 'NOT_FOUND' });
    expect(await t.app.prisma.executionTag.count({ where: { executionId: Number(id) } })).toBe(0);

    // The same name as a workflow tag is fine; a second annotation tag of that name is not.
    const annotation = await call('POST', '/annotation-tags', { name });
    expect(annotation.statusCode, annotation.body).toBe(201);
    expect(annotation.json().id).not.toBe(workflowTag.json().id);
    const duplicate = await call('POST', '/annotation-tags', { name });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ message: 'Tag already exists', code: 'CONFLICT' });

    const put = await call('PUT', `/executions/${id}/tags`, [{ id: annotation.json().id }]);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual([annotation.json()]);
    // Neither list shows the other's tags.
    const workflowTags = (await call('GET', '/tags?limit=250')).json().data.map((tg: Json) => tg.id);
    const annotationTags = (await call('GET', '/annotation-tags?limit=250')).json().data.map((tg: Json) => tg.id);
    expect(workflowTags).toContain(workflowTag.json().id);
    expect(workflowTags).not.toContain(annotation.json().id);
    expect(annotationTags).toContain(annotation.json().id);
    expect(annotationTags).not.toContain(workflowTag.json().id);
    // Deleting the workflow tag leaves the execution's annotation tag alone.
    expect((await call('DELETE', `/tags/${workflowTag.json().id}`)).statusCode).toBe(200);
    expect((await call('GET', `/executions/${id}/tags`)).json()).toEqual([annotation.json()]);
  });
});

describe('POST /workflows/:id/run', () => {
  let workflowId: string;
  beforeAll(async () => {
    workflowId = await createWorkflow(chain('Run me', [manualTrigger(), noOp()]));
  });

  it('without wait: 202 with the execution id; the run then finishes on its own', async () => {
    const id = await startRun(workflowId);
    expect(id).toMatch(/^\d+$/);
    const done = await untilStatus(id, 'success');
    expect(done).toMatchObject({ mode: 'manual', finished: true, workflowId });
  });

  it('wait in the body or in the query: 200 with the finished execution and its data', async () => {
    const viaBody = await call('POST', `/workflows/${workflowId}/run`, { wait: true });
    const viaQuery = await call('POST', `/workflows/${workflowId}/run?wait=true`, {});
    for (const res of [viaBody, viaQuery]) {
      expect(res.statusCode, res.body).toBe(200);
      const execution = res.json();
      expect(keysOf(execution)).toEqual(sorted([...EXECUTION_KEYS, 'data', 'customData', 'workflowData']));
      expect(execution).toMatchObject({ status: 'success', finished: true, mode: 'manual', workflowId });
      expect(Object.keys(runDataOf(execution)).sort()).toEqual(['Done', 'Start']);
      expect((await getExecution(execution.id)).json().status).toBe('success');
    }
  });

  it('items reach the trigger’s output (plain objects and {json} items)', async () => {
    const execution = await runToEnd(workflowId, { items: [{ a: 1 }, { json: { b: 2 } }] });
    expect(outputJson(execution, 'Start')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(outputJson(execution, 'Done')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('startNode picks the trigger; an unknown one is 400', async () => {
    // Two separate chains in one workflow: First → After first, Second → After second.
    const first = chain('Two triggers', [manualTrigger('First'), noOp('After first')]);
    const secondChain = chain('', [manualTrigger('Second'), noOp('After second')]);
    const twoTriggers = await createWorkflow({
      ...first,
      nodes: [...first.nodes, ...secondChain.nodes],
      connections: { ...first.connections, ...secondChain.connections },
    });
    // Without startNode the first manual trigger runs.
    expect(Object.keys(runDataOf(await runToEnd(twoTriggers))).sort()).toEqual(['After first', 'First']);
    const second = await runToEnd(twoTriggers, { startNode: 'Second' });
    expect(Object.keys(runDataOf(second)).sort()).toEqual(['After second', 'Second']);

    const unknown = await call('POST', `/workflows/${twoTriggers}/run`, { startNode: 'Nope', wait: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toEqual(expect.stringContaining('Nope'));
  });

  it('a workflow without a trigger is 400; an unknown workflow 404; an unknown body field 400', async () => {
    const noTrigger = await createWorkflow(chain('No trigger', [noOp('Only'), noOp('Second')]));
    const res = await call('POST', `/workflows/${noTrigger}/run`, { wait: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toEqual(expect.stringContaining('trigger'));
    expect(await listIds(`workflowId=${noTrigger}&status=running`)).toEqual([]);

    const missing = await call('POST', '/workflows/noSuchWorkflow01/run', {});
    expect(missing.statusCode).toBe(404);
    expect((await call('POST', `/workflows/${workflowId}/run`, { item: [] })).statusCode).toBe(400);
  });
});

describe('workflow settings', () => {
  it('saveDataSuccessExecution none: nothing is kept, but a waited run still answers with the result', async () => {
    const workflowId = await createWorkflow(
      chain('No success data', [manualTrigger(), setFields('Set', [{ name: 'x', value: 1, type: 'number' }])], {
        saveDataSuccessExecution: 'none',
      }),
    );
    const execution = await runToEnd(workflowId);
    expect(execution).toMatchObject({ status: 'success', finished: true });
    expect(outputJson(execution, 'Set')).toEqual([{ x: 1 }]);
    expect((await getExecution(execution.id as string)).statusCode).toBe(404);
    expect(await listIds(`workflowId=${workflowId}`)).toEqual([]);

    // Without wait too: the row exists while it runs and is gone once it has finished.
    const id = await startRun(workflowId);
    await eventually(async () => ((await getExecution(id)).statusCode === 404 ? true : undefined), `execution ${id} to be deleted`, 5000);
    expect(await listIds(`workflowId=${workflowId}`)).toEqual([]);
  });

  it('saveDataErrorExecution none: failed runs are not kept, successful ones are', async () => {
    const failing = await createWorkflow(chain('No error data', [manualTrigger(), stopAndError()], { saveDataErrorExecution: 'none' }));
    const failed = await runToEnd(failing);
    expect(failed).toMatchObject({ status: 'error' });
    expect((failed.data as { resultData: { error: { message: string } } }).resultData.error.message).toBe('planned failure');
    expect(await listIds(`workflowId=${failing}`)).toEqual([]);

    const passing = await createWorkflow(chain('Error none, success kept', [manualTrigger(), noOp()], { saveDataErrorExecution: 'none' }));
    const ok = await runToEnd(passing);
    expect(await listIds(`workflowId=${passing}`)).toEqual([ok.id]);
  });

  it('saveManualExecutions false: manual runs are not kept', async () => {
    const workflowId = await createWorkflow(chain('No manual', [manualTrigger(), noOp()], { saveManualExecutions: false }));
    const execution = await runToEnd(workflowId);
    expect(execution.status).toBe('success');
    expect(await listIds(`workflowId=${workflowId}`)).toEqual([]);
    expect((await getExecution(execution.id as string)).statusCode).toBe(404);
  });

  it('executionTimeout 1 cancels a 20-second in-process wait after about a second', async () => {
    const workflowId = await createWorkflow(chain('Timeout', [manualTrigger(), wait(20, 'seconds'), noOp()], { executionTimeout: 1 }));
    const id = await startRun(workflowId);
    const canceled = await untilStatus(id, 'canceled', 5000);
    // Measured on the execution's own timestamps, so a slow test machine does not skew it.
    const ranFor = new Date(canceled.stoppedAt as string).getTime() - new Date(canceled.startedAt as string).getTime();
    expect(ranFor).toBeGreaterThanOrEqual(900);
    // Far below the 20-second wait; the slack above one second is for a loaded machine.
    expect(ranFor).toBeLessThan(3000);
    const withData = (await getExecution(id, true)).json();
    expect(withData.data.resultData.error.message).toBe('The execution was cancelled because it timed out');
    expect(withData.data.resultData.runData.Done).toBeUndefined();
    expect(t.app.runtime.runner.isRunningHere(Number(id))).toBe(false);
  });

  it('a run declared crashed while it still ran (its instance looked dead) stays crashed when it ends after all', async () => {
    const workflowId = await createWorkflow(chain('Late result', [manualTrigger(), wait(1, 'seconds'), noOp()]));
    const id = await startRun(workflowId);
    expect(t.app.runtime.runner.isRunningHere(Number(id))).toBe(true);
    await t.app.runtime.sql.query(`UPDATE execution SET status = 'crashed', stopped_at = now(), instance_id = NULL WHERE id = $1`, [
      Number(id),
    ]);
    await eventually(async () => !t.app.runtime.runner.isRunningHere(Number(id)) || undefined, 'the run to end', 5000);
    const row = (await getExecution(id, true)).json();
    expect(row.status).toBe('crashed');
    expect(row.data.resultData.runData.Done).toBeUndefined();
  });
});

describe('pruning', () => {
  /** Finished executions of a fresh workflow, plus one parked in a 2-hour wait. */
  async function seed(app: TestApp, finished: number) {
    const ok = await createWorkflow(chain('Prune ok', [manualTrigger(), noOp()]), app);
    const parking = await createWorkflow(chain('Prune waiting', [manualTrigger(), wait(2, 'hours'), noOp()]), app);
    const waiting = (await runToEnd(parking, {}, app)).id as string;
    const done: string[] = [];
    for (let i = 0; i < finished; i++) done.push((await runToEnd(ok, {}, app)).id as string);
    return { done, waiting };
  }

  const exists = async (app: TestApp, id: string) => (await getExecution(id, false, app)).statusCode === 200;

  it('deletes finished executions older than EXECUTIONS_DATA_MAX_AGE hours, keeps recent and waiting ones', async () => {
    const app = await buildTestApp({ EXECUTIONS_DATA_MAX_AGE: '24' });
    try {
      const { done, waiting } = await seed(app, 4);
      const [old1, old2, recent, almost] = done as [string, string, string, string];
      await app.app.runtime.sql.query(`UPDATE execution SET stopped_at = now() - interval '25 hours' WHERE id = ANY($1)`, [
        [Number(old1), Number(old2)],
      ]);
      await app.app.runtime.sql.query(`UPDATE execution SET stopped_at = now() - interval '23 hours' WHERE id = $1`, [Number(almost)]);
      // A waiting execution that started long ago is not "old": it has not stopped.
      await app.app.runtime.sql.query(`UPDATE execution SET started_at = now() - interval '30 days' WHERE id = $1`, [Number(waiting)]);

      await app.app.runtime.poller.prune();

      expect(await exists(app, old1)).toBe(false);
      expect(await exists(app, old2)).toBe(false);
      expect(await exists(app, recent)).toBe(true);
      expect(await exists(app, almost)).toBe(true);
      expect(await exists(app, waiting)).toBe(true);
      const { rows } = await app.app.runtime.sql.query('SELECT count(*)::int AS n FROM execution_data WHERE execution_id = ANY($1)', [
        [Number(old1), Number(old2)],
      ]);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('keeps at most EXECUTIONS_DATA_PRUNE_MAX_COUNT finished executions, the newest ones', async () => {
    const app = await buildTestApp({ EXECUTIONS_DATA_PRUNE_MAX_COUNT: '2' });
    try {
      const { done, waiting } = await seed(app, 5);
      await app.app.runtime.poller.prune();
      const kept = await listIds('limit=250', app);
      expect(kept).toEqual([done[4], done[3], waiting]);
      for (const id of done.slice(0, 3)) expect(await exists(app, id)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
