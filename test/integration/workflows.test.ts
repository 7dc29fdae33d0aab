import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { asCaller, ownerPrincipal } from '../helpers/principals.ts';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NANOID = /^[0-9A-Za-z]{16}$/;
const BULK = asCaller(ownerPrincipal('bulk'));

/** One request to the public API with the owner key (or the given one). */
function call(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}, key?: string) {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-n8n-api-key': key ?? t.ownerKey, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const unique = (prefix = 'wf') => `${prefix} ${newId(8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A workflow without any trigger: a single Set node. */
function noTriggerBody(name = unique('no trigger')) {
  return {
    name,
    nodes: [{ name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3, position: [0, 0], parameters: {} }],
    connections: {},
    settings: {},
  };
}

async function createWorkflow(body: object = sampleWorkflowBody(unique()), headers: Record<string, string> = {}, key?: string) {
  const res = await call('POST', '/workflows', body, headers, key);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const dbRow = (id: string) => t.app.prisma.workflow.findUnique({ where: { id }, include: { tags: true } });
const dbVersions = (workflowId: string) => t.app.prisma.workflowVersion.findMany({ where: { workflowId }, orderBy: { counter: 'asc' } });

async function createTag(name = unique('t').slice(0, 20)) {
  return t.app.services.tags.create(name);
}

async function createProject(name = unique('Team')) {
  return t.app.prisma.project.create({ data: { id: newId(), name, type: 'team' } });
}

/** Makes sure at least `count` workflows exist (through the service: fast, same code path as the API). */
async function ensureWorkflowCount(count: number) {
  const existing = await t.app.prisma.workflow.count();
  for (let made = existing; made < count; made += 50) {
    const batch = Math.min(50, count - made);
    await Promise.all(
      Array.from({ length: batch }, (_, i) => t.app.services.workflows.create(sampleWorkflowBody(`filler ${made + i}`) as never, BULK)),
    );
  }
}

function expectValidationError(res: { statusCode: number; json(): Record<string, unknown> }, message: string | RegExp) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
  expect(res.json().code).toBe('VALIDATION_ERROR');
  if (typeof message === 'string') expect(res.json().message).toBe(message);
  else expect(res.json().message).toMatch(message);
}

describe('POST /workflows', () => {
  it('creates an inactive workflow in the personal project, with node ids and a first history entry', async () => {
    const body = sampleWorkflowBody(unique('Created'));
    const res = await call('POST', '/workflows', body);
    expect(res.statusCode).toBe(200);
    const wf = res.json();

    expect(wf.id).toMatch(NANOID);
    expect(wf).toMatchObject({
      name: body.name,
      description: null,
      active: false,
      activeVersionId: null,
      activeVersion: null,
      isArchived: false,
      versionCounter: 1,
      triggerCount: 0,
      sourceWorkflowId: null,
      connections: body.connections,
      settings: body.settings,
      staticData: null,
      pinData: null,
      meta: null,
      nodeGroups: [],
      tags: [],
      parentFolder: null,
    });
    expect(wf.versionId).toMatch(UUID);
    expect(wf.createdAt).toBe(wf.updatedAt);
    expect(new Date(wf.createdAt).toISOString()).toBe(wf.createdAt);
    expect(wf.nodes).toHaveLength(2);
    wf.nodes.forEach((node: Record<string, unknown>, i: number) => {
      expect(node.id).toMatch(UUID);
      expect(node).toMatchObject(body.nodes[i]!);
    });
    expect(new Set(wf.nodes.map((n: { id: string }) => n.id)).size).toBe(2);

    const personal = await t.app.prisma.project.findFirst({ where: { type: 'personal' }, orderBy: { createdAt: 'asc' } });
    expect(personal).not.toBeNull();
    expect(wf.shared).toHaveLength(1);
    expect(wf.shared[0]).toMatchObject({ role: 'workflow:owner', workflowId: wf.id, projectId: personal!.id });
    expect(wf.shared[0].project).toMatchObject({ id: personal!.id, name: personal!.name, type: 'personal' });

    const row = await dbRow(wf.id);
    expect(row).toMatchObject({
      name: body.name,
      active: false,
      versionId: wf.versionId,
      versionCounter: 1,
      projectId: personal!.id,
      nodes: wf.nodes,
      connections: body.connections,
      settings: body.settings,
    });
    const versions = await dbVersions(wf.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ versionId: wf.versionId, counter: 1, authors: 'owner' });
    expect(versions[0]!.snapshot).toMatchObject({ name: body.name, settings: body.settings });
    expect(versions[0]).toMatchObject({ nodes: wf.nodes, connections: body.connections });

    // GET answers the very same object.
    const got = await call('GET', `/workflows/${wf.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(wf);
  });

  it('keeps node ids the client sent and does not add a start node', async () => {
    const body = {
      name: unique('hn'),
      nodes: [
        { id: 'uuid-1234', name: 'Hacker News', type: 'n8n-nodes-base.hackerNews', typeVersion: 1, position: [0, 0], parameters: {} },
      ],
      connections: {},
      settings: {},
    };
    const wf = await createWorkflow(body);
    expect(wf.nodes).toEqual([{ ...body.nodes[0] }]);
  });

  it('accepts n8n’s own create payload and echoes it back', async () => {
    const body = {
      name: 'testing',
      nodes: [{ id: 'uuid-1234', parameters: {}, name: 'Start', type: 'n8n-nodes-base.start', typeVersion: 1, position: [240, 300] }],
      connections: {},
      staticData: null,
      settings: {
        saveExecutionProgress: true,
        saveManualExecutions: true,
        saveDataErrorExecution: 'all',
        saveDataSuccessExecution: 'all',
        executionTimeout: 3600,
        timezone: 'America/New_York',
        executionOrder: 'v1',
      },
    };
    const wf = await createWorkflow(body);
    expect(wf).toMatchObject({
      name: 'testing',
      nodes: body.nodes,
      connections: {},
      staticData: null,
      settings: body.settings,
      active: false,
    });
    expect(wf.updatedAt).toBe(wf.createdAt);
  });

  it('stores staticData sent as a JSON string as an object', async () => {
    const wf = await createWorkflow({ ...sampleWorkflowBody(unique()), staticData: '{"id":1}' });
    expect(wf.staticData).toEqual({ id: 1 });
    expect((await dbRow(wf.id))!.staticData).toEqual({ id: 1 });
  });

  it('records the X-Version-Message header with the first version', async () => {
    const wf = await createWorkflow(sampleWorkflowBody(unique()), { 'x-version-message': 'initial import' });
    const versions = await dbVersions(wf.id);
    expect(versions.map((v) => v.message)).toEqual(['initial import']);
  });
});

describe('validation', () => {
  const base = () => sampleWorkflowBody(unique('invalid'));
  const withNodes = (nodes: unknown[], connections: unknown = {}) => ({ ...base(), nodes, connections });
  const node = (extra: Record<string, unknown> = {}) => ({
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    parameters: {},
    ...extra,
  });

  it('rejects a body without name, nodes, connections or settings', async () => {
    const { name: _n, ...noName } = base();
    expectValidationError(await call('POST', '/workflows', noName), "request/body must have required property 'name'");
    expectValidationError(await call('POST', '/workflows', {}), "request/body must have required property 'name'");
    for (const field of ['nodes', 'connections', 'settings'] as const) {
      const body: Record<string, unknown> = base();
      delete body[field];
      expectValidationError(await call('POST', '/workflows', body), `request/body must have required property '${field}'`);
    }
  });

  it('limits the name to 1..128 characters after trimming', async () => {
    expectValidationError(await call('POST', '/workflows', { ...base(), name: 'x'.repeat(129) }), /^request\/body\/name /);
    expectValidationError(await call('POST', '/workflows', { ...base(), name: '   ' }), /^request\/body\/name /);
    const longest = `${newId(8)}${'x'.repeat(120)}`;
    expect((await createWorkflow({ ...base(), name: `  ${longest}  ` })).name).toBe(longest);
  });

  it('rejects every read-only field by name, on POST, PUT and PATCH', async () => {
    const wf = await createWorkflow();
    const values: Record<string, unknown> = {
      active: true,
      id: 'abcdefghijklmnop',
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
      tags: [],
      isArchived: false,
      triggerCount: 1,
      versionCounter: 5,
      shared: [],
    };
    for (const [field, value] of Object.entries(values)) {
      expectValidationError(await call('POST', '/workflows', { ...base(), [field]: value }), `request/body/${field} is read-only`);
      expectValidationError(await call('PUT', `/workflows/${wf.id}`, { ...base(), [field]: value }), `request/body/${field} is read-only`);
      expectValidationError(await call('PATCH', `/workflows/${wf.id}`, { [field]: value }), `request/body/${field} is read-only`);
    }
    expectValidationError(
      await call('POST', '/workflows', { ...base(), versionId: '9d3c1d0e-3f4b-4f39-9d1e-6a8a6c1f2b3a' }),
      'request/body/versionId is read-only',
    );
    // Nothing got through.
    const row = await dbRow(wf.id);
    expect(row).toMatchObject({ name: wf.name, versionId: wf.versionId, active: false, isArchived: false, versionCounter: 1 });
  });

  it('rejects unknown and wrongly typed settings, naming the key', async () => {
    expectValidationError(
      await call('POST', '/workflows', { ...base(), settings: { bogus: 1 } }),
      "request/body/settings Unrecognized key(s) in object: 'bogus'",
    );
    const wrong: Record<string, unknown> = {
      saveDataErrorExecution: 'sometimes',
      saveDataSuccessExecution: 'DEFAULT',
      saveExecutionProgress: 'DEFAULT',
      executionTimeout: 'x',
      timezone: 42,
      executionOrder: 1,
      callerPolicy: 'x',
      binaryMode: 'merged',
    };
    for (const [key, value] of Object.entries(wrong)) {
      expectValidationError(
        await call('POST', '/workflows', { ...base(), settings: { [key]: value } }),
        new RegExp(`^request/body/settings/${key} \\S`),
      );
    }
    // Every key of n8n 2.39's settings schema with a valid value is accepted and stored exactly.
    const settings = {
      saveExecutionProgress: true,
      saveManualExecutions: false,
      saveDataErrorExecution: 'all',
      saveDataSuccessExecution: 'none',
      executionTimeout: 3600,
      errorWorkflow: 'abcdefghijklmnop',
      timezone: 'Europe/Berlin',
      executionOrder: 'v0',
      callerPolicy: 'workflowsFromSameOwner',
      callerIds: 'a,b',
      timeSavedMode: 'dynamic',
      timeSavedPerExecution: 2,
      availableInMCP: false,
      binaryMode: 'separate',
      credentialResolverId: 'resolver-1',
      customTelemetryTags: [{ key: 'team', value: 'growth' }],
      redactionPolicy: 'none',
    };
    const wf = await createWorkflow({ ...base(), settings });
    expect(wf.settings).toEqual(settings);
    // n8n types timezone and executionOrder as plain strings: any string is stored (runs fall back to the default).
    const loose = { timezone: 'Mars/Olympus', executionOrder: 'v9' };
    expect((await createWorkflow({ ...base(), settings: loose })).settings).toEqual(loose);
  });

  it('rejects unknown node keys and malformed nodes', async () => {
    expectValidationError(
      await call('POST', '/workflows', withNodes([node({ extendsCredential: 'x' })])),
      `request/body/nodes/0 Unrecognized key(s) in object: 'extendsCredential' (node "Webhook"): n8n's node schema has no such key; remove it (free text belongs in "notes")`,
    );
    expectValidationError(
      await call('POST', '/workflows', withNodes([node({ name: undefined })])),
      "request/body/nodes/0 must have required property 'name' (the n8n-nodes-base.webhook node at index 0: every node needs a unique name)",
    );
    expectValidationError(
      await call('POST', '/workflows', withNodes([node({ type: undefined })])),
      `request/body/nodes/0 must have required property 'type' (node "Webhook")`,
    );
    expectValidationError(
      await call('POST', '/workflows', withNodes([node({ onError: 'explode' })])),
      /^request\/body\/nodes\/0\/onError /,
    );
    for (const position of [[1], [1, 2, 3], 'a', ['a', 'b'], null]) {
      expectValidationError(
        await call('POST', '/workflows', withNodes([node({ position })])),
        /^request\/body\/nodes\/0\/position(\/\d)? /,
      );
    }
    expectValidationError(
      await call('POST', '/workflows', withNodes([node({ position: undefined })])),
      /^request\/body\/nodes\/0(\/position | must have required property 'position')/,
    );
  });

  it('rejects duplicate node names', async () => {
    const res = await call('POST', '/workflows', withNodes([node(), node({ position: [10, 10] })]));
    expectValidationError(res, /^request\/body\/nodes\/1\/name duplicate node name "Webhook"/);
  });

  it('rejects connections from or to nodes that do not exist', async () => {
    const from = await call(
      'POST',
      '/workflows',
      withNodes([node()], { Ghost: { main: [[{ node: 'Webhook', type: 'main', index: 0 }]] } }),
    );
    expectValidationError(from, /^request\/body\/connections\/Ghost .*"Ghost"/);
    const to = await call('POST', '/workflows', withNodes([node()], { Webhook: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } }));
    expectValidationError(to, /^request\/body\/connections\/Webhook\/main\/0\/0 .*"Ghost"/);
  });

  it('stores connection entries as sent, as n8n does, but bounds their indexes', async () => {
    const conn = (entry: unknown) =>
      withNodes([node(), node({ name: 'Set', type: 'n8n-nodes-base.set', position: [200, 0] })], { Webhook: { main: [[entry]] } });
    // n8n's schema for connections is "an object"; exported workflows carry all of these.
    for (const entry of [
      { node: 'Set', type: 'main' },
      { node: 'Set', type: 'main', index: -1 },
      { node: 'Set', type: 'main', index: 0.5 },
      { node: 'Set', type: 'main', index: 0, extra: true },
    ]) {
      const wf = await createWorkflow(conn(entry));
      expect(wf.connections).toEqual({ Webhook: { main: [[entry]] } });
    }
    const odd = await createWorkflow(withNodes([node()], { Webhook: { main: [{ node: 'Webhook', type: 'main', index: 0 }] } }));
    expect(odd.connections).toEqual({ Webhook: { main: [{ node: 'Webhook', type: 'main', index: 0 }] } });
    expectValidationError(
      await call('POST', '/workflows', conn({ node: 'Set', type: 'main', index: 1001 })),
      /^request\/body\/connections\/Webhook\/main\/0\/0 .*indexes are at most 1000/,
    );
    // A null output slot and an empty output are fine (n8n writes both).
    const ok = await call(
      'POST',
      '/workflows',
      withNodes([node(), node({ name: 'Set', type: 'n8n-nodes-base.set', position: [1, 1] })], { Webhook: { main: [null, []] } }),
    );
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('rejects staticData that is neither an object nor a JSON string of one', async () => {
    for (const staticData of ['not json', '[1,2]', 5]) {
      expectValidationError(await call('POST', '/workflows', { ...base(), staticData }), /^request\/body\/staticData/);
    }
  });

  it('writes nothing when a write fails', async () => {
    const wf = await createWorkflow();
    const before = await dbRow(wf.id);
    const attempts = [
      call('PUT', `/workflows/${wf.id}`, { ...base(), settings: { bogus: true } }),
      call('PUT', `/workflows/${wf.id}`, withNodes([node()], { Webhook: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } })),
      call('PUT', `/workflows/${wf.id}`, withNodes([node(), node()])),
      call('PATCH', `/workflows/${wf.id}`, { name: 'renamed', settings: { binaryMode: 'merged' } }),
      // The connections still point at Set, which this PATCH removes.
      call('PATCH', `/workflows/${wf.id}`, { name: 'renamed', nodes: [node()] }),
      call('PATCH', `/workflows/${wf.id}`, { name: '   ' }),
      call('POST', `/workflows/${wf.id}/activate`, { bogus: 1 }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.statusCode, res.body).toBe(400);
    expect(await dbRow(wf.id)).toEqual(before);
    expect(await dbVersions(wf.id)).toHaveLength(1);
    expect(await t.app.prisma.workflow.count({ where: { name: 'renamed' } })).toBe(0);
  });

  it('writes nothing when a create fails structurally', async () => {
    const name = unique('never stored');
    const res = await call('POST', '/workflows', { ...withNodes([node(), node()]), name });
    expect(res.statusCode).toBe(400);
    expect(await t.app.prisma.workflow.count({ where: { name } })).toBe(0);
  });
});

describe('GET /workflows', () => {
  it('filters by active, name (case-insensitive substring) and projectId', async () => {
    const marker = newId(8);
    const active = await createWorkflow(sampleWorkflowBody(`Alpha ${marker} one`));
    const inactive = await createWorkflow(sampleWorkflowBody(`alpha ${marker} TWO`));
    expect((await call('POST', `/workflows/${active.id}/activate`)).statusCode).toBe(200);

    const byName = await call('GET', `/workflows?name=${encodeURIComponent(`ALPHA ${marker.toLowerCase()}`)}`);
    // Lower-cased marker: ids mix cases, so this only matches case-insensitively.
    expect(byName.statusCode).toBe(200);
    expect(
      byName
        .json()
        .data.map((w: { id: string }) => w.id)
        .sort(),
    ).toEqual([active.id, inactive.id].sort());
    expect(byName.json().nextCursor).toBeNull();

    const onlyTwo = await call('GET', `/workflows?name=${encodeURIComponent(`${marker} two`)}`);
    expect(onlyTwo.json().data.map((w: { id: string }) => w.id)).toEqual([inactive.id]);

    const activeOnly = await call('GET', `/workflows?active=true&name=${marker}`);
    expect(activeOnly.json().data.map((w: { id: string }) => w.id)).toEqual([active.id]);
    expect(activeOnly.json().data[0]).toMatchObject({ active: true, activeVersionId: active.versionId });
    expect(activeOnly.json().data[0].activeVersion).toEqual({ versionId: active.versionId, workflowId: active.id });
    const inactiveOnly = await call('GET', `/workflows?active=false&name=${marker}`);
    expect(inactiveOnly.json().data.map((w: { id: string }) => w.id)).toEqual([inactive.id]);
    expectValidationError(await call('GET', '/workflows?active=yes'), /^request\/query\/active /);

    const project = await createProject();
    const moved = await createWorkflow(sampleWorkflowBody(unique('moved')));
    expect((await call('PUT', `/workflows/${moved.id}/transfer`, { destinationProjectId: project.id })).statusCode).toBe(204);
    const inProject = await call('GET', `/workflows?projectId=${project.id}`);
    expect(inProject.json().data.map((w: { id: string }) => w.id)).toEqual([moved.id]);
    expect(inProject.json().data[0].shared).toEqual([
      { role: 'workflow:owner', workflowId: moved.id, projectId: project.id, createdAt: moved.createdAt, updatedAt: moved.createdAt },
    ]);
    const nowhere = await call('GET', '/workflows?projectId=doesNotExist0000');
    expect(nowhere.json()).toEqual({ data: [], nextCursor: null });
  });

  it('filters by tag names with AND semantics, dropping unknown names', async () => {
    const t1 = await createTag();
    const t2 = await createTag();
    const both = [await createWorkflow(), await createWorkflow()];
    const none = await createWorkflow();
    const only1 = await createWorkflow();
    const only2 = await createWorkflow();
    for (const wf of both) expect((await call('PUT', `/workflows/${wf.id}/tags`, [{ id: t1.id }, { id: t2.id }])).statusCode).toBe(200);
    await call('PUT', `/workflows/${only1.id}/tags`, [{ id: t1.id }]);
    await call('PUT', `/workflows/${only2.id}/tags`, [{ id: t2.id }]);
    const ids = (res: { json(): { data: { id: string }[] } }) =>
      res
        .json()
        .data.map((w) => w.id)
        .sort();

    const tagged = await call('GET', `/workflows?tags=${encodeURIComponent(`${t1.name},${t2.name}`)}`);
    expect(tagged.statusCode).toBe(200);
    expect(ids(tagged)).toEqual(both.map((w) => w.id).sort());
    for (const wf of tagged.json().data) expect(wf.tags.map((tag: { id: string }) => tag.id).sort()).toEqual([t1.id, t2.id].sort());

    const spaced = await call('GET', `/workflows?tags=${encodeURIComponent(` ${t1.name} , ${t2.name} `)}`);
    expect(ids(spaced)).toEqual(ids(tagged));

    const one = await call('GET', `/workflows?tags=${encodeURIComponent(t1.name)}`);
    expect(ids(one)).toEqual([...both.map((w) => w.id), only1.id].sort());
    expect(ids(one)).not.toContain(none.id);

    // An unknown name is dropped from the AND set ...
    const withUnknown = await call('GET', `/workflows?tags=${encodeURIComponent(`${t2.name},no-such-tag-${newId(6)}`)}`);
    expect(ids(withUnknown)).toEqual([...both.map((w) => w.id), only2.id].sort());
    // ... and when no name is known, nothing matches.
    const allUnknown = await call('GET', `/workflows?tags=${encodeURIComponent(`nope-${newId(6)},nada-${newId(6)}`)}`);
    expect(allUnknown.statusCode).toBe(200);
    expect(allUnknown.json()).toEqual({ data: [], nextCursor: null });
  });

  it('drops the pinData key with excludePinnedData=true, on the list and on GET one', async () => {
    const pinData = { Set: [{ json: { a: 1 } }] };
    const wf = await createWorkflow({ ...sampleWorkflowBody(unique('pinned')), pinData });
    expect(wf.pinData).toEqual(pinData);

    const listed = await call('GET', `/workflows?name=${encodeURIComponent(wf.name)}`);
    expect(listed.json().data[0].pinData).toEqual(pinData);
    const excluded = await call('GET', `/workflows?name=${encodeURIComponent(wf.name)}&excludePinnedData=true`);
    expect(excluded.json().data).toHaveLength(1);
    expect(excluded.json().data[0]).not.toHaveProperty('pinData');
    expect(excluded.json().data[0]).toHaveProperty('staticData');

    expect((await call('GET', `/workflows/${wf.id}`)).json().pinData).toEqual(pinData);
    const one = await call('GET', `/workflows/${wf.id}?excludePinnedData=true`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).not.toHaveProperty('pinData');
  });

  it('returns n8n’s list item shape', async () => {
    const wf = await createWorkflow();
    const item = (await call('GET', `/workflows?name=${encodeURIComponent(wf.name)}`)).json().data[0];
    expect(item).toEqual({
      id: wf.id,
      name: wf.name,
      active: false,
      activeVersionId: null,
      createdAt: wf.createdAt,
      updatedAt: wf.updatedAt,
      isArchived: false,
      versionId: wf.versionId,
      triggerCount: 0,
      nodes: wf.nodes,
      connections: wf.connections,
      nodeGroups: [],
      settings: wf.settings,
      staticData: null,
      pinData: null,
      meta: null,
      tags: [],
      shared: [
        { role: 'workflow:owner', workflowId: wf.id, projectId: wf.shared[0].projectId, createdAt: wf.createdAt, updatedAt: wf.createdAt },
      ],
      activeVersion: null,
    });
  });

  it('defaults limit to 100, clamps 0 and 999 to 250 and refuses a negative one, as n8n does', async () => {
    await ensureWorkflowCount(260);
    const byDefault = await call('GET', '/workflows');
    expect(byDefault.statusCode).toBe(200);
    expect(byDefault.json().data).toHaveLength(100);
    expect(byDefault.json().nextCursor).toEqual(expect.any(String));
    for (const limit of [0, 999, 250]) {
      const res = await call('GET', `/workflows?limit=${limit}`);
      expect(res.statusCode, `limit=${limit}`).toBe(200);
      expect(res.json().data).toHaveLength(250);
    }
    expect((await call('GET', '/workflows?limit=3')).json().data).toHaveLength(3);
    expect((await call('GET', '/workflows?limit=-5')).statusCode).toBe(400);
  });

  it('lists newest first and follows cursors, including n8n’s own offset cursor', async () => {
    await ensureWorkflowCount(10);
    const first8 = (await call('GET', '/workflows?limit=8')).json().data.map((w: { id: string }) => w.id);
    const dates = (await call('GET', '/workflows?limit=8')).json().data.map((w: { createdAt: string }) => w.createdAt);
    expect([...dates].sort().reverse()).toEqual(dates);

    const page1 = await call('GET', '/workflows?limit=2');
    expect(page1.json().data.map((w: { id: string }) => w.id)).toEqual(first8.slice(0, 2));
    const page2 = await call('GET', `/workflows?limit=2&cursor=${encodeURIComponent(page1.json().nextCursor)}`);
    expect(page2.statusCode).toBe(200);
    expect(page2.json().data.map((w: { id: string }) => w.id)).toEqual(first8.slice(2, 4));
    expect(page2.json().nextCursor).not.toBe(page1.json().nextCursor);

    const n8nCursor = Buffer.from('{"limit":2,"offset":2}').toString('base64');
    expect(n8nCursor).toBe('eyJsaW1pdCI6Miwib2Zmc2V0IjoyfQ==');
    const fromN8n = await call('GET', `/workflows?cursor=${encodeURIComponent(n8nCursor)}`);
    expect(fromN8n.statusCode).toBe(200);
    expect(fromN8n.json().data.map((w: { id: string }) => w.id)).toEqual(first8.slice(2, 4));
    const after = await call('GET', `/workflows?cursor=${encodeURIComponent(fromN8n.json().nextCursor)}`);
    expect(after.json().data.map((w: { id: string }) => w.id)).toEqual(first8.slice(4, 6));
    // Pasted unencoded, as n8n's own tests do (this one has no '+').
    expect((await call('GET', `/workflows?cursor=${n8nCursor}`)).json().data.map((w: { id: string }) => w.id)).toEqual(first8.slice(2, 4));
  });

  it('answers 400 for an invalid cursor', async () => {
    const b64 = (s: string) => encodeURIComponent(Buffer.from(s).toString('base64'));
    for (const cursor of ['garbage', b64('{"limit":2,'), b64('{"limit":2,"lastId":"x","lastCreatedAt":"not a date"}')]) {
      const res = await call('GET', `/workflows?cursor=${cursor}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toMatchObject({ message: 'An invalid cursor was provided', code: 'VALIDATION_ERROR' });
    }
  });

  it('accepts unknown query parameters, as n8n 2.39 does', async () => {
    expect((await call('GET', '/workflows?bogus=1&limit=1')).statusCode).toBe(200);
  });
});

describe('GET /workflows/:id', () => {
  it('answers 404 {"message":"Not Found"} for an unknown id', async () => {
    const res = await call('GET', '/workflows/doesNotExist0000');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ message: 'Not Found', code: 'NOT_FOUND' });
    expect((await call('GET', '/workflows/2')).statusCode).toBe(404);
  });

  it('includes the workflow’s tags', async () => {
    const wf = await createWorkflow();
    const tag = await createTag();
    await call('PUT', `/workflows/${wf.id}/tags`, [{ id: tag.id }]);
    const got = (await call('GET', `/workflows/${wf.id}`)).json();
    expect(got.tags).toEqual([
      { id: tag.id, name: tag.name, createdAt: tag.createdAt.toISOString(), updatedAt: tag.updatedAt.toISOString() },
    ]);
  });
});

describe('PUT /workflows/:id', () => {
  it('replaces name, nodes, connections and settings as a new version', async () => {
    const wf = await createWorkflow({ ...sampleWorkflowBody(unique('before')), staticData: { kept: true }, description: 'kept too' });
    await sleep(5);
    const body = {
      name: unique('after'),
      nodes: [
        { id: 'n-1', name: 'Cron', type: 'n8n-nodes-base.cron', typeVersion: 1, position: [0, 0], parameters: {} },
        { name: 'Code', type: 'n8n-nodes-base.code', typeVersion: 2, position: [300, 0], parameters: { jsCode: 'return []' } },
      ],
      connections: { Cron: { main: [[{ node: 'Code', type: 'main', index: 0 }]] } },
      settings: { timezone: 'Europe/Berlin' },
    };
    const res = await call('PUT', `/workflows/${wf.id}`, body);
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({
      id: wf.id,
      name: body.name,
      connections: body.connections,
      settings: body.settings,
      staticData: { kept: true },
      description: 'kept too',
      active: false,
      versionCounter: 2,
      createdAt: wf.createdAt,
    });
    expect(updated.nodes[0]).toEqual(body.nodes[0]);
    expect(updated.nodes[1]).toMatchObject(body.nodes[1]!);
    expect(updated.nodes[1].id).toMatch(UUID);
    expect(updated.versionId).toMatch(UUID);
    expect(updated.versionId).not.toBe(wf.versionId);
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(new Date(wf.updatedAt).getTime());
    // settings are replaced, not merged
    expect(updated.settings).not.toHaveProperty('executionOrder');

    const row = await dbRow(wf.id);
    expect(row).toMatchObject({ name: body.name, versionId: updated.versionId, versionCounter: 2, settings: body.settings });
    expect(row!.createdAt.toISOString()).toBe(wf.createdAt);
    const versions = await dbVersions(wf.id);
    expect(versions.map((v) => [v.counter, v.versionId])).toEqual([
      [1, wf.versionId],
      [2, updated.versionId],
    ]);
    expect(versions[1]!.snapshot).toMatchObject({ name: body.name });
    expect(versions[1]).toMatchObject({ nodes: updated.nodes, connections: body.connections });
  });

  it('runs n8n’s own PUT case (staticData as a JSON string becomes an object), refusing its duplicate node ids as n8n 2.39 does', async () => {
    const wf = await createWorkflow();
    const body = {
      name: 'name updated',
      nodes: [
        { id: 'uuid-1234', parameters: {}, name: 'Start', type: 'n8n-nodes-base.start', typeVersion: 1, position: [240, 300] },
        { id: 'uuid-1234', parameters: {}, name: 'Cron', type: 'n8n-nodes-base.cron', typeVersion: 1, position: [400, 300] },
      ],
      connections: {},
      staticData: '{"id":1}',
      settings: {
        saveExecutionProgress: false,
        saveManualExecutions: false,
        saveDataErrorExecution: 'all',
        saveDataSuccessExecution: 'all',
        executionTimeout: 3600,
        timezone: 'America/New_York',
      },
    };
    // n8n 1.x kept duplicate ids (its own test sent two "uuid-1234"); n8n 2.39 refuses them.
    expectValidationError(
      await call('PUT', `/workflows/${wf.id}`, body),
      /^request\/body\/nodes\/1\/id node "Cron" has the id "uuid-1234" of node "Start"/,
    );
    body.nodes[1]!.id = 'uuid-5678';
    const res = await call('PUT', `/workflows/${wf.id}`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: wf.id,
      name: 'name updated',
      nodes: body.nodes,
      connections: {},
      settings: body.settings,
      active: false,
    });
    expect(res.json().staticData).toEqual({ id: 1 });
  });

  it('requires the four replaced fields and answers 404 for an unknown workflow', async () => {
    const wf = await createWorkflow();
    const { settings: _s, ...noSettings } = sampleWorkflowBody('x');
    expectValidationError(await call('PUT', `/workflows/${wf.id}`, noSettings), "request/body must have required property 'settings'");
    const { name: _n, ...noName } = sampleWorkflowBody('x');
    expectValidationError(await call('PUT', `/workflows/${wf.id}`, noName), "request/body must have required property 'name'");
    const { nodes: _nodes, ...noNodes } = sampleWorkflowBody('x');
    expectValidationError(await call('PUT', `/workflows/${wf.id}`, noNodes), "request/body must have required property 'nodes'");
    const { connections: _c, ...noConnections } = sampleWorkflowBody('x');
    expectValidationError(
      await call('PUT', `/workflows/${wf.id}`, noConnections),
      "request/body must have required property 'connections'",
    );

    const missing = await call('PUT', '/workflows/doesNotExist0000', sampleWorkflowBody('x'));
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: 'Not Found', code: 'NOT_FOUND' });
    // Validation comes first, as in n8n.
    expect((await call('PUT', '/workflows/doesNotExist0000', noName)).statusCode).toBe(400);
    expect(await dbRow(wf.id)).toMatchObject({ versionId: wf.versionId, versionCounter: 1 });
  });

  it('keeps an active workflow active, publishing the new version; refuses to drop its last trigger', async () => {
    const wf = await createWorkflow();
    expect((await call('POST', `/workflows/${wf.id}/activate`)).statusCode).toBe(200);
    const res = await call('PUT', `/workflows/${wf.id}`, sampleWorkflowBody(unique('still active')));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ active: true, activeVersionId: res.json().versionId, versionCounter: 2 });

    const before = await dbRow(wf.id);
    const noTrigger = await call('PUT', `/workflows/${wf.id}`, noTriggerBody());
    expect(noTrigger.statusCode).toBe(400);
    expect(noTrigger.json().message).toBe(
      `Workflow "${before!.name}" (ID: ${wf.id}) has no node to start the workflow - at least one trigger, poller or webhook node is required`,
    );
    expect(await dbRow(wf.id)).toEqual(before);
  });
});

describe('PATCH /workflows/:id', () => {
  it('updates only the fields sent, each as a new version', async () => {
    const pinData = { Set: [{ json: { pinned: 1 } }] };
    const wf = await createWorkflow({ ...sampleWorkflowBody(unique('patch me')), description: 'desc', staticData: { s: 1 }, pinData });
    const get = async () => (await call('GET', `/workflows/${wf.id}`)).json();
    let previous = wf;
    const steps: Record<string, unknown>[] = [
      { name: unique('patched') },
      { settings: { timezone: 'Asia/Tokyo', saveManualExecutions: true } },
      { staticData: '{"counter":3}' },
      { staticData: { counter: 4 } },
      { pinData: { Webhook: [{ json: { x: 1 } }] } },
      { meta: { templateId: 'abc', templateCredsSetupCompleted: true } },
      { description: 'a new description' },
      { description: null },
      {
        nodes: [{ name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
        connections: {},
      },
      { nodeGroups: [{ id: 'g1' }] },
    ];
    for (const [i, step] of steps.entries()) {
      await sleep(2);
      const res = await call('PATCH', `/workflows/${wf.id}`, step);
      expect(res.statusCode, `${JSON.stringify(step)}: ${res.body}`).toBe(200);
      const now = res.json();
      const expected = { ...previous };
      for (const [key, value] of Object.entries(step))
        expected[key] = key === 'staticData' && typeof value === 'string' ? JSON.parse(value) : value;
      for (const key of [
        'name',
        'description',
        'connections',
        'settings',
        'staticData',
        'pinData',
        'meta',
        'nodeGroups',
        'active',
        'createdAt',
      ]) {
        expect(now[key], `step ${i} ${key}`).toEqual(expected[key]);
      }
      if (!('nodes' in step)) expect(now.nodes).toEqual(previous.nodes);
      expect(now.versionCounter).toBe(previous.versionCounter + 1);
      expect(now.versionId).not.toBe(previous.versionId);
      expect(new Date(now.updatedAt).getTime()).toBeGreaterThan(new Date(previous.updatedAt).getTime());
      expect(await get()).toEqual(now);
      previous = now;
    }
    expect(previous.nodes[0]).toMatchObject({ name: 'Manual', id: expect.stringMatching(UUID) });
    expect(await dbVersions(wf.id)).toHaveLength(steps.length + 1);
  });

  it('rejects unknown fields and answers 404 for an unknown workflow', async () => {
    const wf = await createWorkflow();
    expectValidationError(await call('PATCH', `/workflows/${wf.id}`, { bogus: 1 }), "request/body Unrecognized key(s) in object: 'bogus'");
    const missing = await call('PATCH', '/workflows/doesNotExist0000', { name: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('Not Found');
  });
});

describe('DELETE /workflows/:id', () => {
  it('returns the workflow and removes it with its history and tag links', async () => {
    const wf = await createWorkflow();
    await call('PATCH', `/workflows/${wf.id}`, { name: unique('second version') });
    const tag = await createTag();
    await call('PUT', `/workflows/${wf.id}/tags`, [{ id: tag.id }]);
    await call('POST', `/workflows/${wf.id}/activate`);
    const current = (await call('GET', `/workflows/${wf.id}`)).json();
    expect(await dbVersions(wf.id)).toHaveLength(2);

    const res = await call('DELETE', `/workflows/${wf.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: wf.id,
      name: current.name,
      versionId: current.versionId,
      nodes: current.nodes,
      connections: current.connections,
      settings: current.settings,
      createdAt: current.createdAt,
      updatedAt: current.updatedAt,
    });

    expect(await dbRow(wf.id)).toBeNull();
    expect(await dbVersions(wf.id)).toHaveLength(0);
    expect(await t.app.prisma.workflowTag.count({ where: { workflowId: wf.id } })).toBe(0);
    expect(await t.app.prisma.tag.findUnique({ where: { id: tag.id } })).not.toBeNull();
    const gone = await call('GET', `/workflows/${wf.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().message).toBe('Not Found');
    expect((await call('DELETE', `/workflows/${wf.id}`)).statusCode).toBe(404);
  });
});

describe('activate and deactivate', () => {
  it('refuses a workflow without a trigger with n8n’s message, and changes nothing', async () => {
    const wf = await createWorkflow(noTriggerBody());
    const res = await call('POST', `/workflows/${wf.id}/activate`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(
      `Workflow "${wf.name}" (ID: ${wf.id}) has no node to start the workflow - at least one trigger, poller or webhook node is required`,
    );
    const row = await dbRow(wf.id);
    expect(row).toMatchObject({ active: false, activeVersionId: null, triggerCount: 0, updatedAt: new Date(wf.updatedAt) });

    const empty = await createWorkflow({ name: unique('empty'), nodes: [], connections: {}, settings: {} });
    expect((await call('POST', `/workflows/${empty.id}/activate`)).statusCode).toBe(400);
    // A disabled trigger does not count.
    const disabled = await createWorkflow({
      name: unique('disabled'),
      nodes: [{ name: 'Cron', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1, position: [0, 0], parameters: {}, disabled: true }],
      connections: {},
      settings: {},
    });
    expect((await call('POST', `/workflows/${disabled.id}/activate`)).statusCode).toBe(400);
  });

  it('activates a workflow with a webhook trigger, publishing its current version', async () => {
    const wf = await createWorkflow();
    const res = await call('POST', `/workflows/${wf.id}/activate`);
    expect(res.statusCode, res.body).toBe(200);
    const active = res.json();
    expect(active).toMatchObject({
      id: wf.id,
      active: true,
      activeVersionId: wf.versionId,
      versionId: wf.versionId,
      versionCounter: 1,
      triggerCount: 1,
    });
    expect(active.activeVersion).toMatchObject({
      versionId: wf.versionId,
      workflowId: wf.id,
      nodes: wf.nodes,
      connections: wf.connections,
      nodeGroups: [],
      authors: 'owner',
      autosaved: false,
    });
    expect(await dbRow(wf.id)).toMatchObject({ active: true, activeVersionId: wf.versionId, triggerCount: 1 });

    // Already active: 200 and unchanged.
    const again = await call('POST', `/workflows/${wf.id}/activate`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(active);
    expect((await call('GET', `/workflows/${wf.id}`)).json()).toEqual(active);
  });

  it('accepts Content-Type: application/json with an empty body, and an empty object', async () => {
    const wf = await createWorkflow();
    const res = await call('POST', `/workflows/${wf.id}/activate`, '', { 'content-type': 'application/json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(true);
    const off = await call('POST', `/workflows/${wf.id}/deactivate`, '', { 'content-type': 'application/json' });
    expect(off.statusCode, off.body).toBe(200);
    const withObject = await call('POST', `/workflows/${wf.id}/activate`, {});
    expect(withObject.statusCode, withObject.body).toBe(200);
  });

  it('leaves updatedAt alone on activate and deactivate (n8n 2.39 samples; n8n’s activate test)', async () => {
    const wf = await createWorkflow();
    await sleep(5);
    const on = await call('POST', `/workflows/${wf.id}/activate`);
    expect(on.statusCode).toBe(200);
    expect(on.json().updatedAt).toBe(wf.updatedAt);
    expect((await call('GET', `/workflows/${wf.id}`)).json().updatedAt).toBe(wf.updatedAt);
    await sleep(5);
    const off = await call('POST', `/workflows/${wf.id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().updatedAt).toBe(wf.updatedAt);
    expect((await call('GET', `/workflows/${wf.id}`)).json().updatedAt).toBe(wf.updatedAt);
  });

  it('refuses to activate a versionId that is not the current one', async () => {
    const wf = await createWorkflow();
    await call('PATCH', `/workflows/${wf.id}`, { name: unique('v2') });
    const res = await call('POST', `/workflows/${wf.id}/activate`, { versionId: wf.versionId });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CONFLICT');
    expect(await dbRow(wf.id)).toMatchObject({ active: false, activeVersionId: null });
  });

  it('deactivates, idempotently', async () => {
    const wf = await createWorkflow();
    await call('POST', `/workflows/${wf.id}/activate`);
    const res = await call('POST', `/workflows/${wf.id}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: wf.id, active: false, activeVersionId: null, activeVersion: null, versionId: wf.versionId });
    expect(await dbRow(wf.id)).toMatchObject({ active: false, activeVersionId: null });
    const again = await call('POST', `/workflows/${wf.id}/deactivate`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
  });

  it('answers 404 for unknown workflows', async () => {
    for (const action of ['activate', 'deactivate', 'archive', 'unarchive']) {
      const res = await call('POST', `/workflows/doesNotExist0000/${action}`);
      expect(res.statusCode, action).toBe(404);
    }
  });
});

describe('archive and unarchive', () => {
  it('archives (deactivating), locks the workflow against changes, and unarchives', async () => {
    const wf = await createWorkflow();
    await call('POST', `/workflows/${wf.id}/activate`);
    const res = await call('POST', `/workflows/${wf.id}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: wf.id, isArchived: true, active: false, activeVersionId: null });
    expect(await dbRow(wf.id)).toMatchObject({ isArchived: true, active: false, activeVersionId: null });

    const before = await dbRow(wf.id);
    for (const blocked of [
      call('PUT', `/workflows/${wf.id}`, sampleWorkflowBody('nope')),
      call('PATCH', `/workflows/${wf.id}`, { name: 'nope' }),
      call('POST', `/workflows/${wf.id}/activate`),
    ]) {
      const r = await blocked;
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('WORKFLOW_ARCHIVED');
      expect(r.json().message).toContain(wf.id);
    }
    const twice = await call('POST', `/workflows/${wf.id}/archive`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CONFLICT');
    expect(await dbRow(wf.id)).toEqual(before);

    // Archived workflows are still listed and readable.
    expect((await call('GET', `/workflows/${wf.id}`)).json().isArchived).toBe(true);
    expect((await call('GET', `/workflows?name=${encodeURIComponent(wf.name)}`)).json().data[0].isArchived).toBe(true);

    const un = await call('POST', `/workflows/${wf.id}/unarchive`);
    expect(un.statusCode, un.body).toBe(200);
    expect(un.json()).toMatchObject({ isArchived: false, active: false });
    expect(await dbRow(wf.id)).toMatchObject({ isArchived: false, active: false });
    const unTwice = await call('POST', `/workflows/${wf.id}/unarchive`);
    expect(unTwice.statusCode).toBe(409);
    expect((await call('PATCH', `/workflows/${wf.id}`, { name: unique('alive again') })).statusCode).toBe(200);
    expect((await call('POST', `/workflows/${wf.id}/activate`)).statusCode).toBe(200);
  });
});

describe('PUT /workflows/:id/transfer', () => {
  it('moves the workflow to another project with a 204 and no body', async () => {
    const wf = await createWorkflow();
    const project = await createProject();
    const res = await call('PUT', `/workflows/${wf.id}/transfer`, { destinationProjectId: project.id });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await dbRow(wf.id))!.projectId).toBe(project.id);
    const got = (await call('GET', `/workflows/${wf.id}`)).json();
    expect(got.shared[0]).toMatchObject({ projectId: project.id, project: { id: project.id, name: project.name, type: 'team' } });
    const listed = await call('GET', `/workflows?projectId=${project.id}`);
    expect(listed.json().data.map((w: { id: string }) => w.id)).toEqual([wf.id]);
    // Not a change of the definition: no new version.
    expect(got.versionId).toBe(wf.versionId);
  });

  it('rejects unknown projects, the same project, a missing body field and unknown workflows', async () => {
    const wf = await createWorkflow();
    const projectId = wf.shared[0].projectId;
    const unknown = await call('PUT', `/workflows/${wf.id}/transfer`, { destinationProjectId: 'doesNotExist0000' });
    expect(unknown.statusCode).toBe(404);
    const same = await call('PUT', `/workflows/${wf.id}/transfer`, { destinationProjectId: projectId });
    expect(same.statusCode).toBe(400);
    expect(same.json().message).toBe("You can't transfer a workflow into the project that's already owning it.");
    expectValidationError(
      await call('PUT', `/workflows/${wf.id}/transfer`, {}),
      "request/body must have required property 'destinationProjectId'",
    );
    const project = await createProject();
    expect((await call('PUT', '/workflows/doesNotExist0000/transfer', { destinationProjectId: project.id })).statusCode).toBe(404);
    expect((await dbRow(wf.id))!.projectId).toBe(projectId);
  });
});

describe('workflow tags', () => {
  it('gets and replaces a workflow’s tags; unknown tag ids change nothing', async () => {
    const wf = await createWorkflow();
    const [t0, t1, t2] = [await createTag(), await createTag(), await createTag()];
    const dbTagIds = async () => (await t.app.prisma.workflowTag.findMany({ where: { workflowId: wf.id } })).map((row) => row.tagId).sort();

    const empty = await call('GET', `/workflows/${wf.id}/tags`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual([]);

    const set = await call('PUT', `/workflows/${wf.id}/tags`, [{ id: t0.id }, { id: t1.id }]);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toHaveLength(2);
    for (const tag of set.json()) expect(Object.keys(tag).sort()).toEqual(['createdAt', 'id', 'name', 'updatedAt']);
    expect(await dbTagIds()).toEqual([t0.id, t1.id].sort());

    const replaced = await call('PUT', `/workflows/${wf.id}/tags`, [{ id: t0.id }, { id: t2.id }]);
    expect(replaced.statusCode).toBe(200);
    expect(
      replaced
        .json()
        .map((tag: { id: string }) => tag.id)
        .sort(),
    ).toEqual([t0.id, t2.id].sort());
    expect(await dbTagIds()).toEqual([t0.id, t2.id].sort());
    const got = await call('GET', `/workflows/${wf.id}/tags`);
    expect(
      got
        .json()
        .map((tag: { id: string }) => tag.id)
        .sort(),
    ).toEqual([t0.id, t2.id].sort());

    const bad = await call('PUT', `/workflows/${wf.id}/tags`, [{ id: t0.id }, { id: 'TagDoesNotExist' }]);
    expect(bad.statusCode).toBe(404);
    expect(bad.json()).toMatchObject({ message: 'Some tags not found' });
    expect(await dbTagIds()).toEqual([t0.id, t2.id].sort());

    // The same id twice counts once.
    const dup = await call('PUT', `/workflows/${wf.id}/tags`, [{ id: t1.id }, { id: t1.id }]);
    expect(dup.statusCode).toBe(200);
    expect(await dbTagIds()).toEqual([t1.id]);

    const cleared = await call('PUT', `/workflows/${wf.id}/tags`, []);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toEqual([]);
    expect(await dbTagIds()).toEqual([]);

    expectValidationError(await call('PUT', `/workflows/${wf.id}/tags`, [{ name: 'x' }]), /^request\/body\/0 /);
  });

  it('answers 404 for an unknown workflow', async () => {
    const get = await call('GET', '/workflows/doesNotExist0000/tags');
    expect(get.statusCode).toBe(404);
    expect(get.json().message).toBe('Not Found');
    expect((await call('PUT', '/workflows/doesNotExist0000/tags', [])).statusCode).toBe(404);
  });
});

describe('version history', () => {
  it('lists versions newest first with the key’s label and the version messages, paged', async () => {
    const key = await t.createKey(['*'], 'history-bot');
    const wf = await createWorkflow(sampleWorkflowBody(unique('history')), { 'x-version-message': 'first' }, key);
    const patched = (await call('PATCH', `/workflows/${wf.id}`, { name: unique('second') }, { 'x-version-message': 'second' }, key)).json();
    const replaced = (
      await call('PUT', `/workflows/${wf.id}`, sampleWorkflowBody(unique('third')), { 'x-version-message': 'third' }, key)
    ).json();
    const silent = (await call('PATCH', `/workflows/${wf.id}`, { description: 'no message' }, {}, t.ownerKey)).json();

    const res = await call('GET', `/workflows/${wf.id}/history`);
    expect(res.statusCode).toBe(200);
    const { data, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(data.map((v: { versionId: string }) => v.versionId)).toEqual([
      silent.versionId,
      replaced.versionId,
      patched.versionId,
      wf.versionId,
    ]);
    expect(data.map((v: { counter: number }) => v.counter)).toEqual([4, 3, 2, 1]);
    expect(data.map((v: { authors: string }) => v.authors)).toEqual(['owner', 'history-bot', 'history-bot', 'history-bot']);
    expect(data.map((v: { message: string | null }) => v.message)).toEqual([null, 'third', 'second', 'first']);
    expect(data[0]).toEqual({
      versionId: silent.versionId,
      workflowId: wf.id,
      authors: 'owner',
      name: null,
      description: null,
      message: null,
      counter: 4,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const page1 = await call('GET', `/workflows/${wf.id}/history?limit=3`);
    expect(page1.json().data.map((v: { counter: number }) => v.counter)).toEqual([4, 3, 2]);
    const cursor = page1.json().nextCursor;
    expect(JSON.parse(Buffer.from(cursor, 'base64').toString())).toEqual({ limit: 3, offset: 3 });
    const page2 = await call('GET', `/workflows/${wf.id}/history?cursor=${encodeURIComponent(cursor)}`);
    expect(page2.json().data.map((v: { counter: number }) => v.counter)).toEqual([1]);
    expect(page2.json().nextCursor).toBeNull();
    expect((await call('GET', `/workflows/${wf.id}/history?cursor=garbage`)).statusCode).toBe(400);
    expect((await call('GET', '/workflows/doesNotExist0000/history')).statusCode).toBe(404);
  });

  it('gets one version by both paths, and 404 "Version not found" otherwise', async () => {
    const wf = await createWorkflow(sampleWorkflowBody(unique('versioned')), { 'x-version-message': 'v1' });
    const v2 = (await call('PUT', `/workflows/${wf.id}`, noTriggerBody(unique('v2')))).json();

    const res = await call('GET', `/workflows/${wf.id}/versions/${wf.versionId}`);
    expect(res.statusCode).toBe(200);
    const version = res.json();
    expect(version).toMatchObject({
      versionId: wf.versionId,
      workflowId: wf.id,
      workflowName: wf.name,
      authors: 'owner',
      message: 'v1',
      counter: 1,
      nodes: wf.nodes,
      connections: wf.connections,
      settings: wf.settings,
      staticData: null,
      pinData: null,
      nodeGroups: [],
    });
    const alias = await call('GET', `/workflows/${wf.id}/${wf.versionId}`);
    expect(alias.statusCode).toBe(200);
    expect(alias.json()).toEqual(version);
    const current = await call('GET', `/workflows/${wf.id}/${v2.versionId}`);
    expect(current.json()).toMatchObject({ counter: 2, workflowName: v2.name, nodes: v2.nodes });

    const other = await createWorkflow();
    for (const url of [
      `/workflows/${wf.id}/versions/9d3c1d0e-3f4b-4f39-9d1e-6a8a6c1f2b3a`,
      `/workflows/${wf.id}/versions/not-a-uuid`,
      `/workflows/${wf.id}/9d3c1d0e-3f4b-4f39-9d1e-6a8a6c1f2b3a`,
      `/workflows/${wf.id}/not-a-uuid`,
      `/workflows/${wf.id}/versions/${other.versionId}`,
      `/workflows/${other.id}/${wf.versionId}`,
    ]) {
      const r = await call('GET', url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().message, url).toBe('Version not found');
    }
  });

  it('restores an old version as a new version, recording why', async () => {
    const wf = await createWorkflow(sampleWorkflowBody(unique('original')));
    const v2 = (await call('PUT', `/workflows/${wf.id}`, noTriggerBody(unique('changed')))).json();
    expect(v2.name).not.toBe(wf.name);

    const res = await call('POST', `/workflows/${wf.id}/versions/${wf.versionId}/restore`, { message: 'back to the original' });
    expect(res.statusCode, res.body).toBe(200);
    const restored = res.json();
    expect(restored).toMatchObject({
      id: wf.id,
      name: wf.name,
      nodes: wf.nodes,
      connections: wf.connections,
      settings: wf.settings,
      versionCounter: 3,
    });
    expect(restored.versionId).not.toBe(wf.versionId);
    expect(restored.versionId).not.toBe(v2.versionId);
    expect(await dbRow(wf.id)).toMatchObject({ name: wf.name, versionId: restored.versionId, versionCounter: 3 });

    const history = (await call('GET', `/workflows/${wf.id}/history`)).json().data;
    expect(history).toHaveLength(3);
    expect(history[0]).toMatchObject({ versionId: restored.versionId, counter: 3, message: 'back to the original', authors: 'owner' });
    // The old versions are untouched.
    expect(history.map((v: { versionId: string }) => v.versionId).slice(1)).toEqual([v2.versionId, wf.versionId]);

    const again = await call('POST', `/workflows/${wf.id}/versions/${v2.versionId}/restore`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ name: v2.name, nodes: v2.nodes, versionCounter: 4 });
    const latest = (await call('GET', `/workflows/${wf.id}/history?limit=1`)).json().data[0];
    expect(latest.message).toMatch(/^restored version 2 /);

    const unknown = await call('POST', `/workflows/${wf.id}/versions/9d3c1d0e-3f4b-4f39-9d1e-6a8a6c1f2b3a/restore`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('Version not found');
    expect(await dbVersions(wf.id)).toHaveLength(4);
  });
});

describe('optimistic locking', () => {
  it('answers 409 for a stale versionId in the body and writes nothing', async () => {
    const wf = await createWorkflow();
    const current = (await call('PATCH', `/workflows/${wf.id}`, { name: unique('v2') })).json();
    const before = await dbRow(wf.id);

    const put = await call('PUT', `/workflows/${wf.id}`, { ...sampleWorkflowBody('stale put'), versionId: wf.versionId });
    expect(put.statusCode).toBe(409);
    expect(put.json().code).toBe('CONFLICT');
    expect(put.json().message).toContain(current.versionId);
    const patch = await call('PATCH', `/workflows/${wf.id}`, { name: 'stale patch', versionId: wf.versionId });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().code).toBe('CONFLICT');
    expect(await dbRow(wf.id)).toEqual(before);
    expect(await dbVersions(wf.id)).toHaveLength(2);

    const ok = await call('PATCH', `/workflows/${wf.id}`, { name: unique('fresh patch'), versionId: current.versionId });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().versionCounter).toBe(3);
    const okPut = await call('PUT', `/workflows/${wf.id}`, { ...sampleWorkflowBody(unique('fresh put')), versionId: ok.json().versionId });
    expect(okPut.statusCode, okPut.body).toBe(200);
    expect(okPut.json().versionCounter).toBe(4);
  });

  it('does the same with an If-Match header', async () => {
    const wf = await createWorkflow();
    const current = (await call('PATCH', `/workflows/${wf.id}`, { name: unique('v2') })).json();
    const before = await dbRow(wf.id);

    const stale = { 'if-match': `"${wf.versionId}"` };
    const put = await call('PUT', `/workflows/${wf.id}`, sampleWorkflowBody('stale put'), stale);
    expect(put.statusCode).toBe(409);
    expect(put.json().code).toBe('CONFLICT');
    const patch = await call('PATCH', `/workflows/${wf.id}`, { name: 'stale patch' }, stale);
    expect(patch.statusCode).toBe(409);
    expect(await dbRow(wf.id)).toEqual(before);

    const ok = await call('PATCH', `/workflows/${wf.id}`, { name: unique('fresh') }, { 'if-match': `"${current.versionId}"` });
    expect(ok.statusCode, ok.body).toBe(200);
    const okPut = await call('PUT', `/workflows/${wf.id}`, sampleWorkflowBody(unique('fresh put')), {
      'if-match': `"${ok.json().versionId}"`,
    });
    expect(okPut.statusCode, okPut.body).toBe(200);

    // Body and header disagreeing is a client bug, not a conflict.
    const disagree = await call(
      'PATCH',
      `/workflows/${wf.id}`,
      { name: 'x', versionId: okPut.json().versionId },
      { 'if-match': `"${wf.versionId}"` },
    );
    expect(disagree.statusCode).toBe(400);
    expect((await dbRow(wf.id))!.versionId).toBe(okPut.json().versionId);
  });

  it('treats If-Match: * as "any current version" (RFC 9110 §13.1.1)', async () => {
    const wf = await createWorkflow();
    await call('PATCH', `/workflows/${wf.id}`, { name: unique('v2') });
    const res = await call('PATCH', `/workflows/${wf.id}`, { name: unique('v3') }, { 'if-match': '*' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().versionCounter).toBe(3);
  });

  it('loses no update when 10 PATCHes without versionId race', async () => {
    const wf = await createWorkflow(sampleWorkflowBody(unique('race')));
    const variants: Record<string, unknown>[] = [
      { saveExecutionProgress: true },
      { saveManualExecutions: true },
      { saveDataErrorExecution: 'none' },
      { saveDataSuccessExecution: 'none' },
      { executionTimeout: 60 },
      { errorWorkflow: 'abcdefghijklmnop' },
      { timezone: 'Europe/Berlin' },
      { executionOrder: 'v0' },
      { callerPolicy: 'any' },
      { timeSavedPerExecution: 5 },
    ];
    const responses = await Promise.all(
      variants.map((settings, i) => call('PATCH', `/workflows/${wf.id}`, { name: `${wf.name} #${i}`, settings })),
    );
    for (const res of responses) expect(res.statusCode, res.body).toBe(200);
    const counters = responses.map((r) => r.json().versionCounter).sort((a, b) => a - b);
    expect(counters).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(new Set(responses.map((r) => r.json().versionId)).size).toBe(10);

    const row = await dbRow(wf.id);
    expect(row!.versionCounter).toBe(11);
    const last = responses.find((r) => r.json().versionCounter === 11)!.json();
    expect(row).toMatchObject({ versionId: last.versionId, name: last.name, settings: last.settings });
    // Each PATCH's name and settings travel together: the final state is one whole request, not a mix.
    const winner = Number(last.name.split('#')[1]);
    expect(row!.settings).toEqual(variants[winner]);

    const versions = await dbVersions(wf.id);
    expect(versions).toHaveLength(11);
    expect(versions.map((v) => v.counter)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Every response's versionId is in history with the state that request wrote.
    for (const res of responses) {
      const body = res.json();
      const version = versions.find((v) => v.versionId === body.versionId)!;
      expect(version.counter).toBe(body.versionCounter);
      expect(version.snapshot).toMatchObject({ name: body.name, settings: body.settings });
    }
    // History lists them newest first, by save order.
    const history = (await call('GET', `/workflows/${wf.id}/history?limit=20`)).json().data;
    expect(history.map((v: { counter: number }) => v.counter)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('paging 1,000 workflows under concurrent writes', () => {
  it('sees every workflow that was there and not deleted exactly once, and none twice', async () => {
    // Rows created concurrently share createdAt milliseconds: the cursor must break ties by id.
    await ensureWorkflowCount((await t.app.prisma.workflow.count()) + 1000);
    const initial = new Set((await t.app.prisma.workflow.findMany({ select: { id: true } })).map((w) => w.id));
    expect(initial.size).toBeGreaterThanOrEqual(1000);

    const seen = new Map<string, number>();
    const created = new Set<string>();
    const deleted = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    const pick = (from: Iterable<string>, count: number) => {
      const pool = [...from];
      const out: string[] = [];
      while (out.length < count && pool.length) out.push(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!);
      return out;
    };

    for (;;) {
      const deletedBeforeThisPage = new Set(deleted);
      const unseen = pick(
        [...initial].filter((id) => !seen.has(id) && !deleted.has(id)),
        pages === 0 ? 0 : 4,
      );
      const alreadySeen = pick(
        [...seen.keys()].filter((id) => !deleted.has(id)),
        pages === 0 ? 0 : 3,
      );
      const writes =
        pages === 0
          ? []
          : [
              ...Array.from({ length: 5 }, () =>
                call('POST', '/workflows', sampleWorkflowBody(unique('during paging'))).then((res) => {
                  expect(res.statusCode).toBe(200);
                  created.add(res.json().id);
                }),
              ),
              ...[...unseen, ...alreadySeen].map((id) =>
                call('DELETE', `/workflows/${id}`).then((res) => {
                  expect(res.statusCode).toBe(200);
                  deleted.add(id);
                }),
              ),
            ];
      const [page] = await Promise.all([
        call('GET', `/workflows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        ...writes,
      ]);
      expect(page.statusCode, page.body).toBe(200);
      const { data, nextCursor } = page.json();
      pages++;
      for (const { id } of data as { id: string }[]) {
        seen.set(id, (seen.get(id) ?? 0) + 1);
        expect(deletedBeforeThisPage.has(id), `${id} was deleted before this page was asked for`).toBe(false);
      }
      if (!nextCursor) break;
      expect(data).toHaveLength(100);
      cursor = nextCursor;
      expect(pages).toBeLessThan(50);
    }

    const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice).toEqual([]);
    const missed = [...initial].filter((id) => !deleted.has(id) && !seen.has(id));
    expect(missed).toEqual([]);
    // Created after paging began: newer than the cursor position, so never on a later page.
    expect([...created].filter((id) => seen.has(id))).toEqual([]);
    expect(deleted.size).toBeGreaterThan(0);
    expect(created.size).toBeGreaterThan(0);
    expect(pages).toBeGreaterThanOrEqual(10);
  });
});
