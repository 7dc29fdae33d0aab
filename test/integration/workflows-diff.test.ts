import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const headers = () => ({ 'x-n8n-api-key': t.ownerKey });

async function createWorkflow(name = 'Diff target') {
  const body = sampleWorkflowBody(name);
  body.nodes.push({ name: 'IF', type: 'n8n-nodes-base.if', typeVersion: 2, position: [400, 0], parameters: {} });
  (body.connections as Record<string, unknown>).Set = { main: [[{ node: 'IF', type: 'main', index: 0 }]] };
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers: headers(), payload: body });
  expect(res.statusCode).toBe(200);
  return res.json() as { id: string; versionId: string };
}

const patch = (id: string, payload: object, extraHeaders: Record<string, string> = {}) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/workflows/${id}`, headers: { ...headers(), ...extraHeaders }, payload });

async function createBasicCredential(): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/credentials',
    headers: headers(),
    payload: { name: 'Basic', type: 'httpBasicAuth', data: { user: 'u', password: 'p' } },
  });
  expect(created.statusCode, created.body).toBe(200);
  return created.json().id;
}

async function storedState(id: string) {
  const row = await t.app.prisma.workflow.findUniqueOrThrow({ where: { id }, include: { tags: true } });
  const versions = await t.app.prisma.workflowVersion.count({ where: { workflowId: id } });
  return { row, versions };
}

describe('PATCH /workflows/:id with operations', () => {
  it('applies a batch in any order, creates tags, activates, and records intent and descriptions', async () => {
    const { id } = await createWorkflow();
    const res = await patch(id, {
      intent: 'Notify Slack when the check fails',
      operations: [
        { type: 'addConnection', source: 'IF', target: 'Slack', branch: 'false', description: 'false branch to Slack' },
        {
          type: 'addNode',
          node: { name: 'Slack', type: 'n8n-nodes-base.slack', typeVersion: 2, position: [600, 100] },
          description: 'add Slack',
        },
        { type: 'updateNode', nodeName: 'Set', changes: { 'parameters.mode': 'manual', name: 'Prepare' } },
        { type: 'addTag', tag: 'alerts' },
        { type: 'activateWorkflow' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      success: true,
      message: 'Applied 5 of 5 operation(s) (2 node, 3 other)',
      details: { applied: [0, 1, 2, 3, 4], failed: [] },
    });
    expect(body.data.active).toBe(true);
    expect(body.data.tags.map((tag: { name: string }) => tag.name)).toEqual(['alerts']);
    expect(body.data.connections.IF.main[1]).toEqual([{ node: 'Slack', type: 'main', index: 0 }]);
    expect(body.data.connections.Webhook.main[0]).toEqual([{ node: 'Prepare', type: 'main', index: 0 }]);

    const history = (await t.app.inject({ url: `/api/v1/workflows/${id}/history`, headers: headers() })).json().data;
    expect(history[0]).toMatchObject({ message: 'Notify Slack when the check fails', counter: 2 });
    const version = await t.app.prisma.workflowVersion.findUniqueOrThrow({ where: { versionId: body.data.versionId } });
    expect(version.operations).toEqual(expect.arrayContaining([{ index: 0, type: 'addConnection', description: 'false branch to Slack' }]));
  });

  it('is atomic: a failing operation saves nothing and answers 400 with the operation index', async () => {
    const { id } = await createWorkflow();
    const before = await storedState(id);
    const res = await patch(id, {
      operations: [
        { type: 'updateName', name: 'Renamed' },
        { type: 'addTag', tag: 'never-created' },
        { type: 'removeNode', nodeName: 'Ghost' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      success: false,
      data: null,
      code: 'VALIDATION_ERROR',
      details: { failed: [2], errors: [{ operation: 2 }] },
    });
    expect(res.json().message).toMatch(/No changes were saved: operation 2: Node not found: "Ghost"/);
    expect(await storedState(id)).toEqual(before);
    expect(await t.app.prisma.tag.count({ where: { name: 'never-created' } })).toBe(0);
  });

  it('rolls back when the result breaks the workflow (IF has two outputs)', async () => {
    const { id } = await createWorkflow();
    const before = await storedState(id);
    const res = await patch(id, { operations: [{ type: 'addConnection', source: 'IF', target: 'Webhook', sourceIndex: 3 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'STRUCTURAL_INTEGRITY',
      details: { errors: [{ operation: -1, code: 'STRUCTURAL_INTEGRITY' }] },
    });
    expect(await storedState(id)).toEqual(before);
  });

  it('continueOnError applies what it can and reports applied and failed', async () => {
    const { id } = await createWorkflow();
    const res = await patch(id, {
      continueOnError: true,
      operations: [
        { type: 'updateName', name: 'Best effort' },
        { type: 'removeNode', nodeName: 'Ghost' },
        { type: 'moveNode', nodeName: 'IF', position: [9, 9] },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, details: { applied: [0, 2], failed: [1] } });
    const { row } = await storedState(id);
    expect(row.name).toBe('Best effort');
  });

  it('validateOnly returns the would-be workflow and writes nothing', async () => {
    const { id } = await createWorkflow();
    const before = await storedState(id);
    const res = await patch(id, {
      validateOnly: true,
      operations: [
        { type: 'updateName', name: 'Preview' },
        { type: 'addTag', tag: 'preview-only' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, data: { name: 'Preview' }, details: { validateOnly: true } });
    expect(await storedState(id)).toEqual(before);
    expect(await t.app.prisma.tag.count({ where: { name: 'preview-only' } })).toBe(0);
  });

  it('createBackup: false saves without a history entry', async () => {
    const { id } = await createWorkflow();
    const res = await patch(id, { createBackup: false, operations: [{ type: 'updateName', name: 'No backup' }] });
    expect(res.statusCode).toBe(200);
    expect((await storedState(id)).versions).toBe(1);
  });

  it('a stale versionId (body or If-Match) is 409 and writes nothing', async () => {
    const { id, versionId } = await createWorkflow();
    expect((await patch(id, { operations: [{ type: 'updateName', name: 'First' }] })).statusCode).toBe(200);
    const before = await storedState(id);
    const stale = await patch(id, { versionId, operations: [{ type: 'updateName', name: 'Second' }] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    expect((await patch(id, { operations: [{ type: 'updateName', name: 'Second' }] }, { 'if-match': `"${versionId}"` })).statusCode).toBe(
      409,
    );
    expect(await storedState(id)).toEqual(before);
  });

  it('activating a workflow without a trigger fails and saves nothing', async () => {
    const { id } = await createWorkflow();
    const res = await patch(id, { operations: [{ type: 'removeNode', nodeName: 'Webhook' }, { type: 'activateWorkflow' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/has no node to start the workflow/);
    expect((await storedState(id)).row.nodes).toHaveLength(3);
  });

  it('answers 404 for an unknown workflow and 400 for malformed requests', async () => {
    expect((await patch('doesNotExist0000', { operations: [{ type: 'updateName', name: 'x' }] })).statusCode).toBe(404);
    const { id } = await createWorkflow();
    const empty = await patch(id, { operations: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'request/body/operations must contain at least one operation',
    });
    const unknownKey = await patch(id, { operations: [{ type: 'updateName', name: 'x' }], dryRun: true });
    expect(unknownKey.json().message).toBe("request/body Unrecognized key(s) in object: 'dryRun'");
  });

  it('never loses a batch when 20 clients patch at once', async () => {
    const { id } = await createWorkflow();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        patch(id, {
          operations: [{ type: 'addNode', node: { name: `Parallel ${i}`, type: 'n8n-nodes-base.noOp', position: [i * 10, 500] } }],
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const { row, versions } = await storedState(id);
    const names = (row.nodes as { name: string }[]).map((n) => n.name);
    for (let i = 0; i < 20; i++) expect(names).toContain(`Parallel ${i}`);
    expect(row.versionCounter).toBe(21);
    expect(versions).toBe(21);
  });

  it('saves batches real clients send: connections removed with their node, deletions by original index, credentials by path', async () => {
    const { id } = await createWorkflow('Real batches');
    const setUp = await patch(id, {
      operations: [{ type: 'updateNode', nodeName: 'Set', changes: { 'parameters.items': ['a', 'b', 'c'] } }],
    });
    expect(setUp.statusCode, setUp.body).toBe(200);
    const res = await patch(id, {
      operations: [
        { type: 'removeConnection', source: 'Set', target: 'IF' },
        { type: 'removeNode', nodeName: 'IF' },
        {
          type: 'updateNode',
          nodeName: 'Set',
          changes: {
            'parameters.items[0]': null,
            'parameters.items[1]': null,
            'credentials.httpHeaderAuth': { id: 'elsewhere01', name: 'From another instance' },
          },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.details.warnings).toEqual([expect.stringMatching(/already removed with node "IF"/)]);
    const set = body.data.nodes.find((n: { name: string }) => n.name === 'Set');
    expect(set.parameters.items).toEqual(['c']);
    expect(set.credentials).toEqual({ httpHeaderAuth: { id: 'elsewhere01', name: 'From another instance' } });
    expect(body.data.nodes.map((n: { name: string }) => n.name)).not.toContain('IF');
  });

  it('refuses a path into a missing array, changing nothing of that operation, also with continueOnError', async () => {
    const { id } = await createWorkflow('Atomic updateNode');
    const before = await storedState(id);
    const res = await patch(id, {
      continueOnError: true,
      operations: [
        { type: 'updateNode', nodeName: 'Set', changes: { 'parameters.kept': 'no', 'parameters.created[0].value': 'x' } },
        { type: 'moveNode', nodeName: 'Set', position: [50, 60] },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().details).toMatchObject({ applied: [1], failed: [0] });
    expect(res.json().details.errors[0].message).toMatch(/"created" is not an array \(it is missing\)/);
    const set = res.json().data.nodes.find((n: { name: string }) => n.name === 'Set');
    expect(set.parameters.kept).toBeUndefined();
    expect(set.position).toEqual([50, 60]);
    expect((await storedState(id)).versions).toBe(before.versions + 1);
  });
});

describe('diff operations need the scopes of their standalone routes', () => {
  it('refuses activateWorkflow and a new tag to an editor key, naming the operation, and applies nothing', async () => {
    const { id } = await createWorkflow('Scoped batch');
    const editor = await t.createKey(['workflow:create', 'workflow:read', 'workflow:update']);
    const before = await storedState(id);
    for (const [operations, message] of [
      [
        [{ type: 'moveNode', nodeName: 'Set', position: [9, 9] }, { type: 'activateWorkflow' }],
        /^Forbidden: operations\[1\] \(activateWorkflow\) needs the scope workflow:activate$/,
      ],
      [[{ type: 'deactivateWorkflow' }], /workflow:deactivate/],
      [[{ type: 'addTag', tag: 'brand-new' }], /^Forbidden: operations\[0\] \(addTag\) needs the scope workflowTags:update, tag:create$/],
    ] as const) {
      const res = await patch(id, { operations, continueOnError: true }, { 'x-n8n-api-key': editor });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(message) });
    }
    expect(await storedState(id)).toEqual(before);
    expect(await t.app.prisma.tag.count({ where: { name: 'brand-new' } })).toBe(0);
    // The standalone routes give the same key the same answer.
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${id}/activate`, headers: { 'x-n8n-api-key': editor } })).statusCode,
    ).toBe(403);
  });

  it('lets a key with the scopes do the same batch, and an existing tag needs no tag:create', async () => {
    const { id } = await createWorkflow('Scoped batch allowed');
    await t.app.services.tags.create('existing');
    const tagger = await t.createKey(['workflow:read', 'workflow:update', 'workflowTags:update']);
    const ok = await patch(id, { operations: [{ type: 'addTag', tag: 'existing' }] }, { 'x-n8n-api-key': tagger });
    expect(ok.statusCode, ok.body).toBe(200);
    const full = await t.createKey(['workflow:read', 'workflow:update', 'workflow:activate', 'workflowTags:update', 'tag:create']);
    const res = await patch(
      id,
      { operations: [{ type: 'addTag', tag: 'fresh' }, { type: 'activateWorkflow' }] },
      { 'x-n8n-api-key': full },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.active).toBe(true);
  });
});

describe('a refused batch always answers in the batch shape, with the request id', () => {
  const expectRefusal = (res: Awaited<ReturnType<typeof patch>>, status: number, code: string) => {
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json();
    expect(body).toMatchObject({ success: false, data: null, code, requestId: res.headers['x-request-id'] });
    expect(body.requestId).toMatch(/^req-/);
    expect(body.message).toMatch(/^No changes were saved: /);
    expect(body.details).toMatchObject({ validateOnly: false, errors: [expect.objectContaining({ code })] });
    return body;
  };

  it('an engine error carries the request id the server logged', async () => {
    const { id } = await createWorkflow('Refused by the engine');
    const body = expectRefusal(await patch(id, { operations: [{ type: 'removeNode', nodeName: 'Ghost' }] }), 400, 'VALIDATION_ERROR');
    expect(body.details.errors[0].operation).toBe(0);
  });

  it('a node the batch leaves invalid is refused by index and path; nodes it did not touch are not checked again', async () => {
    const { id } = await createWorkflow('Invalid result');
    const before = await storedState(id);
    const names = (await t.app.inject({ url: `/api/v1/workflows/${id}`, headers: headers() }))
      .json()
      .nodes.map((n: { name: string }) => n.name);
    const res = await patch(id, {
      operations: [
        { type: 'updateNode', nodeName: 'IF', changes: { notes: 'fine' } },
        { type: 'updateNode', nodeName: 'Set', changes: { retryOnFail: 'sometimes' } },
      ],
    });
    const body = expectRefusal(res, 400, 'VALIDATION_ERROR');
    expect(body.details.errors[0]).toMatchObject({ operation: -1 });
    expect(body.message).toMatch(new RegExp(`The result has invalid nodes: ${names.indexOf('Set')}\\.retryOnFail `));
    expect(await storedState(id)).toEqual(before);
  });

  it('a credential the save refuses (another type) is reported with success and details; nothing is saved', async () => {
    const { id } = await createWorkflow('Refused credential');
    const credentialId = await createBasicCredential();
    const before = await storedState(id);
    const res = await patch(id, {
      operations: [
        { type: 'updateName', name: 'Would be renamed' },
        { type: 'updateNode', nodeName: 'Set', changes: { 'credentials.httpHeaderAuth': { id: credentialId, name: 'Basic' } } },
      ],
    });
    const body = expectRefusal(res, 400, 'VALIDATION_ERROR');
    expect(body.message).toContain(`uses credential "${credentialId}" as httpHeaderAuth, but it is a httpBasicAuth credential`);
    expect(body.details.errors[0]).toMatchObject({ operation: -1 });
    expect(body.details.applied).toEqual([0, 1]);
    expect(await storedState(id)).toEqual(before);
  });

  it('checks the credential references of the nodes a batch touched, not of the ones it left alone', async () => {
    const { id } = await createWorkflow('Untouched credential');
    const credentialId = await createBasicCredential();
    // A reference that no longer fits (as after the credential's type was chosen wrongly in another tool): stored as is.
    const { row } = await storedState(id);
    const nodes = (row.nodes as { name: string; credentials?: unknown }[]).map((node) =>
      node.name === 'Set' ? { ...node, credentials: { httpHeaderAuth: { id: credentialId, name: 'Basic' } } } : node,
    );
    await t.app.prisma.workflow.update({ where: { id }, data: { nodes: nodes as never } });

    const untouched = await patch(id, { operations: [{ type: 'updateNode', nodeName: 'IF', changes: { 'parameters.x': 1 } }] });
    expect(untouched.statusCode, untouched.body).toBe(200);
    const touched = await patch(id, { operations: [{ type: 'updateNode', nodeName: 'Set', changes: { 'parameters.x': 1 } }] });
    expect(expectRefusal(touched, 400, 'VALIDATION_ERROR').message).toContain(`request/body/nodes/1/credentials/httpHeaderAuth`);
  });

  it('an archived workflow is refused in the same shape, with its own code', async () => {
    const { id } = await createWorkflow('Archived target');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${id}/archive`, headers: headers() })).statusCode).toBe(200);
    const body = expectRefusal(await patch(id, { operations: [{ type: 'updateName', name: 'x' }] }), 400, 'WORKFLOW_ARCHIVED');
    expect(body.details).toMatchObject({ applied: [], operationsApplied: 0 });
  });

  it('a webhook path another active workflow uses is a 409 in the batch shape', async () => {
    const first = await createWorkflow('Owns the path');
    const taken = (await storedState(first.id)).row.nodes as { parameters: { path: string } }[];
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${first.id}/activate`, headers: headers() })).statusCode).toBe(
      200,
    );
    const { id } = await createWorkflow('Wants the path');
    const before = await storedState(id);
    const res = await patch(id, {
      operations: [
        { type: 'updateNode', nodeName: 'Webhook', changes: { 'parameters.path': taken[0]!.parameters.path } },
        { type: 'activateWorkflow' },
      ],
    });
    const body = expectRefusal(res, 409, 'CONFLICT');
    expect(body.details.errors[0]).toMatchObject({ operation: -1 });
    expect(await storedState(id)).toEqual(before);
  });

  it('errors about the request itself keep the plain error shape, also with the request id', async () => {
    const missing = await patch('doesNotExist0000', { operations: [{ type: 'updateName', name: 'x' }] });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ message: 'Not Found', code: 'NOT_FOUND', requestId: missing.headers['x-request-id'] });
  });
});
