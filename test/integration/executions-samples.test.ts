/**
 * Replays the executions requests recorded against n8n 2.39 (../shared/reference/n8n-2.39-executions-samples.json,
 * beside the repository), in file order, against a fresh flowgate app: the same status codes, the same top-level
 * field names (list items' too; for includeData also the keys of `data` and `data.resultData`), and the exact
 * messages of the stop-409, deleted-404 and inactive-webhook-404 answers.
 *
 * IDs differ between n8n's recording and our run: the workflow id is learnt from our create answer, the execution
 * ids from our list and retry answers, and both are rewritten into later request paths and query strings.
 *
 * Intentional differences (asserted as such, not ignored):
 * - error answers of the API (409, 404) carry our house error shape: `code` and `requestId` beside `message`;
 * - the inactive-webhook 404 has no `stacktrace`: a stack trace would expose server internals;
 * - includeData: `data` has no `resumeToken` and `data.executionData` no `runtimeData` (we don't add them);
 * - the retry answer is our full execution record (the GET includeData shape, a superset of n8n's keys): n8n answers
 *   with a partial in-memory object that lacks createdAt, stoppedAt, retrySuccessId, waitTill and the size fields;
 * - single-workflow answers have the one full GET shape, while n8n leaves some fields out depending on the endpoint
 *   (as in n8n-samples-replay.test.ts): activate lacks `tags`, `shared`, `parentFolder`; deactivate `tags`, `parentFolder`.
 *
 * Not asserted: how many executions the list after the retry holds. n8n's recording lists only the retry, although the
 * original still exists (the next samples stop and delete it); we list both, newest first.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/api.ts';
import { isPlainObject, loadSamples, type Sample, samplesPath } from '../helpers/n8n-samples.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const SAMPLES_FILE = samplesPath('n8n-2.39-executions-samples.json');
const samplesMissing = !existsSync(SAMPLES_FILE);

const samples = samplesMissing ? [] : loadSamples(SAMPLES_FILE);

const keysOf = (value: unknown) => (isPlainObject(value) ? Object.keys(value).sort() : value);
const sorted = (keys: string[]) => [...keys].sort();
const without = (keys: string[], drop: string[]) => keys.filter((k) => !drop.includes(k)).sort();

/** Our extra fields on error answers of the API. */
const ERROR_EXTRAS = ['code', 'requestId'];
/** Fields our single-workflow answer has that n8n's answer at that endpoint lacks (see the header). */
const WORKFLOW_EXTRAS: Record<string, string[]> = {
  'create exec workflow': [],
  activate: ['tags', 'shared', 'parentFolder'],
  deactivate: ['tags', 'parentFolder'],
};

function expectWorkflowKeys(label: string, ours: unknown) {
  const extras = WORKFLOW_EXTRAS[label] ?? [];
  expect(keysOf(ours), `${label}: n8n's fields plus ${extras.join(', ') || 'nothing'}`).toEqual(
    sorted([...Object.keys(recorded(label)), ...extras]),
  );
}

/** n8n id → our id, per kind, learnt as the replay goes. */
const workflowIds = new Map<string, string>();
const executionIds = new Map<string, string>();

/** Rewrites ids in `/workflows/<id>`, `/executions/<id>` and `?workflowId=<id>`; other text is left alone. */
function rewritePath(url: string): string {
  const [pathname = '', query] = url.split('?', 2);
  const segments = pathname.split('/');
  for (let i = 1; i < segments.length; i++) {
    const previous = segments[i - 1];
    const segment = segments[i] ?? '';
    if (previous === 'workflows') segments[i] = workflowIds.get(segment) ?? segment;
    if (previous === 'executions') segments[i] = executionIds.get(segment) ?? segment;
  }
  if (query === undefined) return segments.join('/');
  const params = new URLSearchParams(query);
  const workflowId = params.get('workflowId');
  if (workflowId) params.set('workflowId', workflowIds.get(workflowId) ?? workflowId);
  return `${segments.join('/')}?${params.toString()}`;
}

let t: TestApp;

async function send(sample: Sample) {
  const { method, path, body } = sample.request;
  const headers: Record<string, string> = {};
  // Webhooks are public; every other recorded call went to the API with a key.
  if (!path.startsWith('/webhook/')) headers['x-n8n-api-key'] = t.ownerKey;
  let payload: string | undefined;
  if (body !== null && body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await t.app.inject({ method: method as 'GET', url: rewritePath(path), headers, payload });
  const json: unknown = res.body === '' ? undefined : JSON.parse(res.body);
  return { status: res.statusCode, json };
}

async function get(url: string) {
  const res = await t.app.inject({ url, headers: { 'x-n8n-api-key': t.ownerKey } });
  return { status: res.statusCode, json: res.json() as Record<string, unknown> };
}

function sample(label: string): Sample {
  const found = samples.find((s) => s.label === label);
  if (!found) throw new Error(`no sample labelled "${label}" in ${SAMPLES_FILE}`);
  return found;
}

/** The sample's response, as an object (fails the test if the recording has something else there). */
function recorded(label: string): Record<string, unknown> {
  const response = sample(label).response;
  if (!isPlainObject(response)) throw new Error(`sample "${label}": expected an object response`);
  return response;
}

function firstItem(list: unknown): Record<string, unknown> {
  const data = isPlainObject(list) ? list.data : undefined;
  const item = Array.isArray(data) ? data[0] : undefined;
  if (!isPlainObject(item)) throw new Error(`expected a list with at least one item, got ${JSON.stringify(list)?.slice(0, 200)}`);
  return item;
}

/** The keys of `data` and `data.resultData` of an includeData answer. */
function dataKeys(execution: Record<string, unknown>) {
  const data = execution.data;
  if (!isPlainObject(data)) throw new Error(`expected data to be an object, got ${JSON.stringify(data)?.slice(0, 200)}`);
  return {
    data: sorted(Object.keys(data)),
    resultData: keysOf(data.resultData),
    executionData: keysOf(data.executionData),
  };
}

/** n8n's includeData keys, minus what we deliberately don't add. */
function expectedDataKeys(execution: Record<string, unknown>) {
  const theirs = dataKeys(execution);
  return {
    data: without(theirs.data, ['resumeToken']),
    resultData: theirs.resultData,
    executionData: Array.isArray(theirs.executionData) ? without(theirs.executionData, ['runtimeData']) : theirs.executionData,
  };
}

async function replayStatus(label: string) {
  const s = sample(label);
  const res = await send(s);
  expect(res.status, `${s.request.method} ${s.request.path} → ${JSON.stringify(res.json)?.slice(0, 300)}`).toBe(s.status);
  return res;
}

describe.skipIf(samplesMissing)(`n8n 2.39 executions samples replayed (skipped when ${SAMPLES_FILE} is missing)`, () => {
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('has the 15 recorded samples, in the order this replay expects', () => {
    expect(samples.map((s) => s.label)).toEqual([
      'create exec workflow',
      'activate',
      'webhook call',
      'executions list',
      'execution get',
      'execution get includeData',
      'executions list status=error includeData',
      'execution retry',
      'executions list after retry',
      'execution stop finished',
      'execution tags',
      'execution delete',
      'execution get deleted',
      'deactivate',
      'webhook call inactive',
    ]);
  });

  it('create exec workflow', async () => {
    const res = await replayStatus('create exec workflow');
    const ours = res.json as Record<string, unknown>;
    const theirs = recorded('create exec workflow');
    workflowIds.set(theirs.id as string, ours.id as string);
    expectWorkflowKeys('create exec workflow', ours);
  });

  it('activate', async () => {
    const res = await replayStatus('activate');
    expectWorkflowKeys('activate', res.json);
    expect(res.json).toMatchObject({ active: true });
  });

  it('webhook call: answered at once, the run is recorded shortly after', async () => {
    const res = await replayStatus('webhook call');
    expect(res.json).toEqual(recorded('webhook call'));
    // responseMode onReceived answers before the run ends: wait for the finished run to be listed.
    const ourWorkflowId = workflowIds.get(recorded('create exec workflow').id as string);
    const listed = await eventually(
      async () => {
        const list = await get(`/api/v1/executions?workflowId=${ourWorkflowId}`);
        const data = list.json.data as Record<string, unknown>[];
        return data.length > 0 ? data : undefined;
      },
      'the webhook run to be recorded',
      5000,
    );
    expect(listed).toHaveLength(1);
    const theirs = firstItem(recorded('executions list'));
    executionIds.set(theirs.id as string, listed[0]?.id as string);
  });

  it('executions list', async () => {
    const res = await replayStatus('executions list');
    const theirs = recorded('executions list');
    expect(keysOf(res.json)).toEqual(keysOf(theirs));
    expect(keysOf(firstItem(res.json))).toEqual(keysOf(firstItem(theirs)));
    expect(firstItem(res.json)).toMatchObject({ mode: 'webhook', status: 'error', finished: false, retryOf: null, waitTill: null });
    expect((res.json as { nextCursor: unknown }).nextCursor).toBeNull();
  });

  it('execution get', async () => {
    const res = await replayStatus('execution get');
    expect(keysOf(res.json)).toEqual(keysOf(recorded('execution get')));
    expect(res.json).toMatchObject({ status: 'error', mode: 'webhook', storedAt: 'db', deletedAt: null });
  });

  it('execution get includeData', async () => {
    const res = await replayStatus('execution get includeData');
    const ours = res.json as Record<string, unknown>;
    const theirs = recorded('execution get includeData');
    expect(keysOf(ours)).toEqual(keysOf(theirs));
    expect(dataKeys(ours)).toEqual(expectedDataKeys(theirs));
    const resultData = (ours.data as { resultData: Record<string, unknown> }).resultData;
    expect(Object.keys(resultData.runData as object).sort()).toEqual(['Fail', 'Set', 'Webhook']);
    expect(resultData.lastNodeExecuted).toBe('Fail');
    expect(resultData.error).toMatchObject({ message: 'boom' });
  });

  it('executions list status=error includeData', async () => {
    const res = await replayStatus('executions list status=error includeData');
    const theirs = recorded('executions list status=error includeData');
    expect(keysOf(res.json)).toEqual(keysOf(theirs));
    const item = firstItem(res.json);
    expect(keysOf(item)).toEqual(keysOf(firstItem(theirs)));
    expect(dataKeys(item)).toEqual(expectedDataKeys(firstItem(theirs)));
  });

  it('execution retry', async () => {
    const res = await replayStatus('execution retry');
    const ours = res.json as Record<string, unknown>;
    const theirs = recorded('execution retry');
    executionIds.set(theirs.id as string, ours.id as string);
    // Our answer is the full execution record: every key n8n has, and the rest of the GET includeData shape.
    expect(Object.keys(ours)).toEqual(expect.arrayContaining(Object.keys(theirs)));
    expect(keysOf(ours)).toEqual(keysOf(recorded('execution get includeData')));
    expect(dataKeys(ours)).toEqual(expectedDataKeys(theirs));
    const original = executionIds.get(firstItem(recorded('executions list')).id as string);
    expect(ours).toMatchObject({ mode: 'retry', status: 'error', finished: false, retryOf: original });
    expect(ours.id).not.toBe(original);
  });

  it('executions list after retry', async () => {
    const res = await replayStatus('executions list after retry');
    const theirs = recorded('executions list after retry');
    expect(keysOf(res.json)).toEqual(keysOf(theirs));
    expect(keysOf(firstItem(res.json))).toEqual(keysOf(firstItem(theirs)));
    // Newest first: the retry leads, pointing back at the original.
    expect(firstItem(res.json)).toMatchObject({
      id: executionIds.get(firstItem(theirs).id as string),
      mode: 'retry',
      retryOf: executionIds.get(firstItem(recorded('executions list')).id as string),
    });
  });

  it('execution stop finished: 409 with n8n’s message', async () => {
    const res = await replayStatus('execution stop finished');
    const theirs = recorded('execution stop finished');
    expect(without(Object.keys(res.json as object), ERROR_EXTRAS)).toEqual(sorted(Object.keys(theirs)));
    // The message names the execution: n8n's id in the recording, ours in our answer.
    const message = (id: string) => `Only running or waiting executions can be stopped and ${id} is currently error`;
    const theirId = firstItem(recorded('executions list')).id as string;
    expect(theirs.message).toBe(message(theirId));
    expect((res.json as { message: string }).message).toBe(message(executionIds.get(theirId) ?? '(unmapped)'));
  });

  it('execution tags', async () => {
    const res = await replayStatus('execution tags');
    expect(res.json).toEqual(sample('execution tags').response);
  });

  it('execution delete', async () => {
    const res = await replayStatus('execution delete');
    // n8n answers `id` as a number here (1); we keep the string id of every other execution answer.
    expect(keysOf(res.json)).toEqual(keysOf(recorded('execution delete')));
  });

  it('execution get deleted: 404 Not Found', async () => {
    const res = await replayStatus('execution get deleted');
    const theirs = recorded('execution get deleted');
    expect(without(Object.keys(res.json as object), ERROR_EXTRAS)).toEqual(sorted(Object.keys(theirs)));
    expect((res.json as { message: string }).message).toBe(theirs.message);
  });

  it('deactivate', async () => {
    const res = await replayStatus('deactivate');
    expectWorkflowKeys('deactivate', res.json);
    expect(res.json).toMatchObject({ active: false });
  });

  it('webhook call inactive: 404 with n8n’s message and hint, no stacktrace', async () => {
    const res = await replayStatus('webhook call inactive');
    const ours = res.json as Record<string, unknown>;
    const theirs = recorded('webhook call inactive');
    expect(sorted(Object.keys(ours))).toEqual(without(Object.keys(theirs), ['stacktrace']));
    expect(ours.code).toBe(theirs.code);
    expect(ours.message).toBe(theirs.message);
    expect(ours.hint).toBe(theirs.hint);
    expect(ours).not.toHaveProperty('stacktrace');
  });
});
