import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Input no client should be able to use against the server: strings PostgreSQL cannot store, and numbers that
 * size an allocation. Each must be a 400 that names the field, with nothing written.
 */
let t: TestApp;
let workflowId: string;
let tagId: string;
let credentialId: string;

const manual = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const setNode = { name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: {} };
const workflowBody = (name: string, nodes: object[] = [manual, setNode]) => ({ name, nodes, connections: {}, settings: {} });

beforeAll(async () => {
  t = await buildTestApp();
  workflowId = await createWorkflow(t, workflowBody('target'));
  tagId = (await api(t, 'POST', '/tags', { name: 'target' })).json().id;
  credentialId = (await api(t, 'POST', '/credentials', { name: 'target', type: 'httpHeaderAuth', data: { name: 'X', value: 'v' } })).json()
    .id;
});
afterAll(() => t.close());

/** Everything a request could have written, so a refused one can be shown to have written nothing. */
async function storedState() {
  const { rows } = await t.app.runtime.sql.query(`
    SELECT (SELECT json_agg(w ORDER BY id) FROM workflow w) AS workflows,
           (SELECT json_agg(v ORDER BY version_id) FROM workflow_version v) AS versions,
           (SELECT json_agg(g ORDER BY id) FROM tag g) AS tags,
           (SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'data', c.data, 'updated', c.updated_at) ORDER BY id) FROM credential c) AS credentials,
           (SELECT json_agg(json_build_object('id', k.id, 'label', k.label, 'scopes', k.scopes) ORDER BY id) FROM api_key k) AS keys,
           (SELECT count(*) FROM execution) AS executions`);
  return rows[0];
}

async function expectRefused(method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, body: unknown, message: RegExp) {
  const before = await storedState();
  const res = await api(t, method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(400);
  expect(res.json().code).toBe('VALIDATION_ERROR');
  expect(res.json().message).toMatch(message);
  expect(await storedState()).toEqual(before);
}

const NUL = 'bad\u0000name';
const LONE = 'bad\ud800name';

describe('strings PostgreSQL cannot store', () => {
  const routes = (text: string): [string, 'POST' | 'PUT' | 'PATCH', () => string, unknown, string][] => [
    ['workflow name', 'POST', () => '/workflows', workflowBody(text), 'request/body/name'],
    ['node name', 'POST', () => '/workflows', workflowBody('ok', [{ ...manual, name: text }]), 'request/body/nodes/0/name'],
    [
      'node parameter',
      'PUT',
      () => `/workflows/${workflowId}`,
      workflowBody('ok', [manual, { ...setNode, parameters: { value: text } }]),
      'request/body/nodes/1/parameters/value',
    ],
    [
      'parameter key',
      'PUT',
      () => `/workflows/${workflowId}`,
      workflowBody('ok', [manual, { ...setNode, parameters: { [text]: 1 } }]),
      'request/body/nodes/1/parameters/bad',
    ],
    ['partial update', 'PATCH', () => `/workflows/${workflowId}`, { name: text }, 'request/body/name'],
    [
      'diff operation',
      'PATCH',
      () => `/workflows/${workflowId}`,
      { operations: [{ type: 'updateNode', nodeName: 'Set', changes: { 'parameters.value': text } }] },
      'request/body/operations/0/changes/parameters.value',
    ],
    ['tag', 'POST', () => '/tags', { name: text }, 'request/body/name'],
    ['tag rename', 'PUT', () => `/tags/${tagId}`, { name: text }, 'request/body/name'],
    [
      'credential name',
      'POST',
      () => '/credentials',
      { name: text, type: 'httpHeaderAuth', data: { name: 'X', value: 'v' } },
      'request/body/name',
    ],
    ['credential data', 'PATCH', () => `/credentials/${credentialId}`, { data: { value: text } }, 'request/body/data/value'],
    ['API key label', 'POST', () => '/api-keys', { label: text, scopes: ['workflow:read'] }, 'request/body/label'],
    ['run items', 'POST', () => `/workflows/${workflowId}/run`, { items: [{ note: text }] }, 'request/body/items/0/note'],
  ];

  for (const [kind, text, reason] of [
    ['a NUL character', NUL, /contains a NUL character \(\\u0000\), which cannot be stored: remove it$/],
    ['a lone surrogate', LONE, /contains an unpaired UTF-16 surrogate .* send the character as a surrogate pair, or remove it$/],
  ] as const) {
    for (const [what, method, url, body, field] of routes(text)) {
      it(`refuses ${kind} in a ${what} (${method}), naming the field, and writes nothing`, async () => {
        const where = field.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        const key = what === 'parameter key' ? /request\/body\/nodes\/1\/parameters\/bad.name has a key that / : new RegExp(`^${where} `);
        await expectRefused(method, url(), body, new RegExp(`${key.source}.*${reason.source}`));
      });
    }
  }

  it('keeps a surrogate pair (an emoji) and an escaped backslash-u text, which are fine', async () => {
    const id = await createWorkflow(t, workflowBody('rocket \ud83d\ude80 and \\u0000 as text'));
    expect((await api(t, 'GET', `/workflows/${id}`)).json().name).toBe('rocket 🚀 and \\u0000 as text');
  });

  it('refuses a NUL in a query string or path parameter', async () => {
    await expectRefused('GET', '/workflows?name=a%00b', undefined, /^request\/query\/name contains a NUL character/);
    await expectRefused('GET', '/credentials?name=%00', undefined, /^request\/query\/name contains a NUL character/);
    await expectRefused('GET', '/workflows/ab%00cd', undefined, /^request\/params\/id contains a NUL character/);
  });
});

describe('sizes a client controls', () => {
  it('turns the one-request crash (addConnection sourceIndex 1e9) into a 400', async () => {
    await expectRefused(
      'PATCH',
      `/workflows/${workflowId}`,
      { operations: [{ type: 'addConnection', source: 'Manual', target: 'Set', sourceIndex: 1_000_000_000 }] },
      /sourceIndex/,
    );
    // The server is still there, and the workflow is as it was.
    expect((await api(t, 'GET', `/workflows/${workflowId}`)).json().connections).toEqual({});
  });

  it('bounds targetIndex, case and a numeric sourceOutput the same way', async () => {
    for (const op of [
      { type: 'addConnection', source: 'Manual', target: 'Set', targetIndex: 1_000_000_000 },
      { type: 'addConnection', source: 'Manual', target: 'Set', case: 5000 },
      { type: 'addConnection', source: 'Manual', target: 'Set', sourceOutput: '1000000000' },
    ]) {
      await expectRefused('PATCH', `/workflows/${workflowId}`, { operations: [op] }, /1000/);
    }
  });

  it('bounds array indexes in updateNode paths: no index past the end, no array made from an index', async () => {
    for (const changes of [{ 'parameters.items[1000000000]': 1 }, { 'parameters.created[0].value': 'x' }]) {
      await expectRefused(
        'PATCH',
        `/workflows/${workflowId}`,
        { operations: [{ type: 'updateNode', nodeName: 'Set', changes }] },
        /Invalid path/,
      );
    }
  });

  it('bounds nodes per workflow', async () => {
    const nodes = Array.from({ length: 5001 }, (_, i) => ({ ...setNode, name: `Set ${i}` }));
    await expectRefused('POST', '/workflows', workflowBody('too many', nodes), /^request\/body\/nodes must contain at most 5000 nodes/);
  });

  it('bounds JSON nesting anywhere in a body, also for webhooks', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = { a: deep };
    await expectRefused(
      'PUT',
      `/workflows/${workflowId}`,
      workflowBody('deep', [manual, { ...setNode, parameters: { deep } }]),
      /^request\/body\/nodes\/1\/parameters\/deep(\/a)+ is nested more than 64 levels deep; flatten the structure$/,
    );
    // 10,000 levels: built as text, since JSON.stringify (the test client's too) gives up far earlier.
    const deepList = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const before = await storedState();
    const pinned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: { 'x-n8n-api-key': t.ownerKey, 'content-type': 'application/json' },
      payload: `{"name":"deep pin data","nodes":[],"connections":{},"settings":{},"pinData":{"Set":[{"json":{"deepList":${deepList}}}]}}`,
    });
    expect(pinned.statusCode).toBe(400);
    expect(pinned.json().message).toMatch(/^request\/body\/pinData\/Set\/0\/json\/deepList(\/0)+ is nested more than 64 levels deep/);
    expect(await storedState()).toEqual(before);
    const hook = await t.app.inject({
      method: 'POST',
      url: '/webhook/anything',
      payload: JSON.stringify(deep),
      headers: { 'content-type': 'application/json' },
    });
    expect(hook.statusCode).toBe(400);
    expect(hook.json().message).toMatch(/is nested more than 64 levels deep/);
  });

  it('bounds the batch size and the number of run items', async () => {
    const operations = Array.from({ length: 1001 }, () => ({ type: 'moveNode', nodeName: 'Set', position: [1, 1] }));
    await expectRefused('PATCH', `/workflows/${workflowId}`, { operations }, /^request\/body\/operations .*at most 1000/);
    const items = Array.from({ length: 10_001 }, () => ({}));
    await expectRefused('POST', `/workflows/${workflowId}/run`, { items }, /^request\/body\/items /);
  });

  it('clamps list page sizes instead of honouring a huge limit', async () => {
    const res = await api(t, 'GET', '/workflows?limit=100000000');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.length).toBeLessThanOrEqual(250);
  });
});
