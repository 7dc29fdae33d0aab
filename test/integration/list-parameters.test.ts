/**
 * The list and update parameters n8n 2.39 honours, as it honours them: `startedAfter`/`startedBefore` and
 * `redactExecutionData` on executions, `offset` on GET /workflows, `publishIfActive` on PUT /workflows/:id, and how
 * `limit` is read on every list route (parseInt: `1.5` is 1; negative is a 400).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

type Json = Record<string, unknown>;
const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => api(t, method, url, payload);

function manualWorkflow(name: string, value = 'secret value') {
  return {
    name,
    nodes: [
      { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      {
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [200, 0],
        parameters: { assignments: { assignments: [{ id: 'a1', name: 'token', value, type: 'string' }] }, options: {} },
      },
      { name: 'Fail', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, position: [400, 0], parameters: { errorMessage: 'boom' } },
    ],
    connections: {
      Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
      Set: { main: [[{ node: 'Fail', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
  };
}

async function runToEnd(workflowId: string): Promise<string> {
  const res = await call('POST', `/workflows/${workflowId}/run`, { wait: true });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id;
}

describe('GET /executions?startedAfter&startedBefore', () => {
  let workflowId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    workflowId = await createWorkflow(t, manualWorkflow('Started window'));
    for (let i = 0; i < 3; i++) ids.push(await runToEnd(workflowId));
    // Spread the three runs over three days, so the window is exact whatever the clock does.
    for (const [i, id] of ids.entries()) {
      await t.app.prisma.execution.update({ where: { id: Number(id) }, data: { startedAt: new Date(Date.UTC(2026, 0, 10 + i, 12)) } });
    }
  });

  const listIds = async (query: string) => {
    const res = await call('GET', `/executions?workflowId=${workflowId}&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.map((e: Json) => e.id);
  };

  it('filters by start time, both ends inclusive, newest first', async () => {
    expect(await listIds('startedAfter=2026-01-11T12:00:00.000Z')).toEqual([ids[2], ids[1]]);
    expect(await listIds('startedBefore=2026-01-11T12:00:00Z')).toEqual([ids[1], ids[0]]);
    expect(await listIds('startedAfter=2026-01-10T13:00:00Z&startedBefore=2026-01-12T11:00:00Z')).toEqual([ids[1]]);
    expect(await listIds('startedAfter=2030-01-01T00:00:00Z')).toEqual([]);
  });

  it('pages within the window', async () => {
    const first = await call('GET', `/executions?workflowId=${workflowId}&startedBefore=2026-01-12T00:00:00Z&limit=1`);
    expect(first.json().data.map((e: Json) => e.id)).toEqual([ids[1]]);
    const next = await call(
      'GET',
      `/executions?workflowId=${workflowId}&startedBefore=2026-01-12T00:00:00Z&cursor=${encodeURIComponent(first.json().nextCursor)}`,
    );
    expect(next.json()).toMatchObject({ data: [{ id: ids[0] }], nextCursor: null });
  });

  it('answers 400 with n8n’s message for a date that is not ISO 8601 date-time in UTC', async () => {
    for (const [name, value] of [
      ['startedAfter', 'yesterday'],
      ['startedBefore', '2026-01-11'],
      ['startedAfter', '2026-13-01T00:00:00Z'],
    ]) {
      const res = await call('GET', `/executions?${name}=${value}`);
      expect(res.statusCode, `${name}=${value}`).toBe(400);
      expect(res.json()).toMatchObject({ message: `request/query/${name} Invalid datetime`, code: 'VALIDATION_ERROR' });
    }
  });
});

describe('redactExecutionData', () => {
  let workflowId: string;
  let id: string;

  beforeAll(async () => {
    workflowId = await createWorkflow(t, manualWorkflow('Redacted', 'hunter2'));
    id = await runToEnd(workflowId);
  });

  const expectRedacted = (data: Json) => {
    const { resultData, redactionInfo, executionData } = data as { resultData: Json; redactionInfo: Json; executionData: Json };
    // No item data anywhere (the node definitions on the stack are not data: the Fail node's parameters stay).
    expect(JSON.stringify(data)).not.toContain('hunter2');
    expect(JSON.stringify(resultData)).not.toContain('boom');
    const stack = executionData.nodeExecutionStack as { data: { main: Json[][] } }[];
    expect(stack[0]?.data.main[0]).toEqual([
      { json: {}, pairedItem: { item: 0 }, redaction: { redacted: true, reason: 'user_requested' } },
    ]);
    expect(redactionInfo).toEqual({ isRedacted: true, reason: 'user_requested', canReveal: false });
    const runData = resultData.runData as Record<string, { data?: { main: Json[][] }; redactedError?: Json; error?: unknown }[]>;
    const setItems = runData.Set?.[0]?.data?.main[0] ?? [];
    expect(setItems).toHaveLength(1);
    expect(setItems[0]).toMatchObject({ json: {}, redaction: { redacted: true, reason: 'user_requested' } });
    expect(runData.Fail?.[0]?.error).toBeUndefined();
    expect(runData.Fail?.[0]?.redactedError).toEqual({ type: 'NodeOperationError' });
    expect(resultData.error).toBeUndefined();
    expect(resultData.redactedError).toEqual({ type: 'NodeOperationError' });
    expect(resultData.lastNodeExecuted).toBe('Fail');
  };

  it('GET /executions/:id?includeData=true&redactExecutionData=true empties every item and marks it', async () => {
    const res = await call('GET', `/executions/${id}?includeData=true&redactExecutionData=true`);
    expect(res.statusCode, res.body).toBe(200);
    expectRedacted(res.json().data);
  });

  it('the list does the same, item by item', async () => {
    const res = await call('GET', `/executions?workflowId=${workflowId}&includeData=true&redactExecutionData=true`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(1);
    expectRedacted(res.json().data[0].data);
  });

  it('false, or omitted, leaves the data as it is; the stored data is never changed', async () => {
    for (const query of ['includeData=true&redactExecutionData=false', 'includeData=true']) {
      const res = await call('GET', `/executions/${id}?${query}`);
      const data = res.json().data;
      expect(data.redactionInfo, query).toBeUndefined();
      expect(data.resultData.runData.Set[0].data.main[0][0].json, query).toEqual({ token: 'hunter2' });
      expect(data.resultData.error.message, query).toBe('boom');
    }
  });

  it('without includeData there is no data to redact; a bad value is a 400', async () => {
    const res = await call('GET', `/executions/${id}?redactExecutionData=true`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toBeUndefined();
    const bad = await call('GET', `/executions?redactExecutionData=yes`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(bad.json().message).toMatch(/^request\/query\/redactExecutionData /);
  });
});

describe('limit, as n8n 2.39 reads it, on every list route', () => {
  const lists = ['/workflows', '/executions', '/tags', '/annotation-tags', '/credentials', '/api-keys'];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      await createWorkflow(t, manualWorkflow(`Limit ${i}`));
      expect((await call('POST', '/tags', { name: `limit-${newId(8)}` })).statusCode).toBe(201);
      expect((await call('POST', '/annotation-tags', { name: `limit-${newId(8)}` })).statusCode).toBe(201);
    }
  });

  it('a fraction is cut to a whole number (parseInt): limit=1.5 is a page of 1', async () => {
    const res = await call('GET', '/workflows?limit=1.5');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(1);
    expect(res.json().nextCursor).toEqual(expect.any(String));
    expect((await call('GET', '/tags?limit=2.9')).json().data).toHaveLength(2);
    for (const list of lists) expect((await call('GET', `${list}?limit=1.5`)).statusCode, list).toBe(200);
  });

  it('a negative limit is a 400 with n8n’s message; so is one that is not a number', async () => {
    for (const list of lists) {
      const negative = await call('GET', `${list}?limit=-1`);
      expect(negative.statusCode, list).toBe(400);
      expect(negative.json(), list).toMatchObject({
        message: 'request/query/limit Param `limit` must be a non-negative integer',
        code: 'VALIDATION_ERROR',
      });
      const text = await call('GET', `${list}?limit=abc`);
      expect(text.statusCode, list).toBe(400);
      expect(text.json(), list).toMatchObject({ message: 'request/query/limit Param `limit` must be a valid integer' });
    }
  });
});

describe('GET /workflows?offset', () => {
  let newestFirst: string[];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) await createWorkflow(t, manualWorkflow(`Offset ${i}`));
    newestFirst = (await call('GET', '/workflows?limit=250')).json().data.map((w: Json) => w.id);
    expect(newestFirst.length).toBeGreaterThanOrEqual(4);
  });

  it('skips that many workflows, and the next page follows on', async () => {
    const page = await call('GET', '/workflows?offset=1&limit=2');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().data.map((w: Json) => w.id)).toEqual(newestFirst.slice(1, 3));
    const next = await call('GET', `/workflows?cursor=${encodeURIComponent(page.json().nextCursor)}`);
    expect(next.json().data.map((w: Json) => w.id)).toEqual(newestFirst.slice(3, 5));
    expect((await call('GET', `/workflows?offset=${newestFirst.length}`)).json()).toEqual({ data: [], nextCursor: null });
  });

  it('a cursor carries its own position: offset is ignored next to one, as in n8n', async () => {
    const cursor = Buffer.from('{"limit":1,"offset":2}').toString('base64');
    const res = await call('GET', `/workflows?offset=0&limit=3&cursor=${encodeURIComponent(cursor)}`);
    expect(res.json().data.map((w: Json) => w.id)).toEqual(newestFirst.slice(2, 3));
  });

  it('is read like limit: a fraction is cut, a negative or non-numeric offset is a 400', async () => {
    expect((await call('GET', '/workflows?offset=1.7&limit=1')).json().data.map((w: Json) => w.id)).toEqual(newestFirst.slice(1, 2));
    const negative = await call('GET', '/workflows?offset=-1');
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ message: 'request/query/offset Param `offset` must be a non-negative integer' });
    const text = await call('GET', '/workflows?offset=x');
    expect(text.statusCode).toBe(400);
    expect(text.json()).toMatchObject({ message: 'request/query/offset Param `offset` must be a valid integer' });
  });
});

describe('PUT /workflows/:id?publishIfActive', () => {
  const path = () => `publish-${newId(8)}`;
  function webhookWorkflow(webhookPath: string, answer: string) {
    return {
      name: `Publish ${answer}`,
      nodes: [
        {
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          parameters: { path: webhookPath, httpMethod: 'GET', responseMode: 'lastNode' },
        },
        {
          name: 'Set',
          type: 'n8n-nodes-base.set',
          typeVersion: 3.4,
          position: [200, 0],
          parameters: { assignments: { assignments: [{ id: 'a1', name: 'answer', value: answer, type: 'string' }] }, options: {} },
        },
      ],
      connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1' },
    };
  }
  const hook = async (webhookPath: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/webhook/${webhookPath}` });
    return { status: res.statusCode, body: res.statusCode === 200 ? res.json() : res.body };
  };

  it('false saves a draft: the published version, its id and its webhook keep running', async () => {
    const oldPath = path();
    const id = await createWorkflow(t, webhookWorkflow(oldPath, 'v1'));
    const activated = await call('POST', `/workflows/${id}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    const published = activated.json().activeVersionId;
    expect(await hook(oldPath)).toEqual({ status: 200, body: { answer: 'v1' } });

    const newPath = path();
    const draft = await call('PUT', `/workflows/${id}?publishIfActive=false`, webhookWorkflow(newPath, 'v2'));
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ active: true, activeVersionId: published });
    expect(draft.json().versionId).not.toBe(published);
    expect(draft.json().nodes[1].parameters.assignments.assignments[0].value).toBe('v2');

    // The stored state: draft saved, published version and its trigger untouched.
    const row = await t.app.prisma.workflow.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ active: true, activeVersionId: published, versionId: draft.json().versionId });
    expect(await t.app.prisma.webhook.findMany({ where: { workflowId: id }, select: { path: true } })).toEqual([{ path: oldPath }]);
    expect(await t.app.prisma.workflowPublishEvent.count({ where: { workflowId: id } })).toBe(1);
    expect(await hook(oldPath)).toEqual({ status: 200, body: { answer: 'v1' } });
    expect((await hook(newPath)).status).toBe(404);

    const get = (await call('GET', `/workflows/${id}`)).json();
    expect(get).toMatchObject({ active: true, activeVersionId: published, activeVersion: { versionId: published } });
    expect(get.activeVersion.nodes[1].parameters.assignments.assignments[0].value).toBe('v1');

    // A draft may even lack a trigger: nothing is published.
    const noTrigger = { ...webhookWorkflow(path(), 'v3'), nodes: [webhookWorkflow(path(), 'v3').nodes[1]], connections: {} };
    const drafted = await call('PUT', `/workflows/${id}?publishIfActive=false`, noTrigger);
    expect(drafted.statusCode, drafted.body).toBe(200);
    expect(await hook(oldPath)).toEqual({ status: 200, body: { answer: 'v1' } });

    // The default (true) publishes the saved version, and the triggers follow it.
    const publishedAgain = await call('PUT', `/workflows/${id}`, webhookWorkflow(newPath, 'v4'));
    expect(publishedAgain.statusCode, publishedAgain.body).toBe(200);
    expect(publishedAgain.json().activeVersionId).toBe(publishedAgain.json().versionId);
    expect(await hook(newPath)).toEqual({ status: 200, body: { answer: 'v4' } });
    expect((await hook(oldPath)).status).toBe(404);
  });

  it('true (explicit) on an active workflow publishes; either value on an inactive one just saves', async () => {
    const id = await createWorkflow(t, webhookWorkflow(path(), 'a'));
    const saved = await call('PUT', `/workflows/${id}?publishIfActive=false`, webhookWorkflow(path(), 'b'));
    expect(saved.json()).toMatchObject({ active: false, activeVersionId: null });
    expect((await call('POST', `/workflows/${id}/activate`)).statusCode).toBe(200);
    const p = path();
    const res = await call('PUT', `/workflows/${id}?publishIfActive=true`, webhookWorkflow(p, 'c'));
    expect(res.json()).toMatchObject({ active: true, activeVersionId: res.json().versionId });
    expect(await hook(p)).toEqual({ status: 200, body: { answer: 'c' } });
  });

  it('a value other than true or false is a 400', async () => {
    const id = await createWorkflow(t, webhookWorkflow(path(), 'x'));
    const res = await call('PUT', `/workflows/${id}?publishIfActive=no`, webhookWorkflow(path(), 'y'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^request\/query\/publishIfActive /);
  });
});
