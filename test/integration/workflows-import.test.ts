import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/** What a workflow exported from another n8n instance looks like, and what n8n 2.39 does with it. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const manual = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

function httpNode(credentials: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: 'a3b4c5d6-0000-4000-8000-000000000001',
    name: 'Call API',
    type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2,
    position: [200, 0],
    parameters: { url: 'http://127.0.0.1:9/unused', authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth' },
    credentials,
    ...extra,
  };
}

const workflowWith = (node: object, settings: Record<string, unknown> = {}) => ({
  name: `import ${newId(6)}`,
  nodes: [manual, node],
  connections: { Manual: { main: [[{ node: 'Call API', type: 'main', index: 0 }]] } },
  settings,
});

async function createCredential(type: string, data: Record<string, unknown>, name = `cred ${newId(6)}`) {
  const res = await api(t, 'POST', '/credentials', { name, type, data });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; name: string };
}

describe('credential references of imported workflows', () => {
  it('saves a node that points at a credential this server does not have, and reads it back as sent', async () => {
    const credentials = {
      httpBasicAuth: { id: 'authorsInstanceId1', name: 'Author basic auth' },
      httpHeaderAuth: { name: 'Only a name, as older exports have' },
      slackApi: 'A bare name, the oldest format',
      openAiApi: {},
    };
    const id = await createWorkflow(t, workflowWith(httpNode(credentials)));
    const read = (await api(t, 'GET', `/workflows/${id}`)).json();
    expect(read.nodes[1].credentials).toEqual(credentials);
    const row = await t.app.prisma.workflow.findUniqueOrThrow({ where: { id } });
    expect((row.nodes as { credentials?: unknown }[])[1]?.credentials).toEqual(credentials);
  });

  it('fails the run at that node, naming the node, the type and the id, and saying how to fix it', async () => {
    const id = await createWorkflow(t, workflowWith(httpNode({ httpBasicAuth: { id: 'missing123', name: 'Author basic auth' } })));
    const run = await api(t, 'POST', `/workflows/${id}/run`, { wait: true });
    expect(run.statusCode, run.body).toBe(200);
    const execution = run.json();
    expect(execution.status).toBe('error');
    const error = execution.data.resultData.runData['Call API'][0].error;
    expect(error.message).toMatch(
      /Credential with ID "missing123" and name "Author basic auth" does not exist for type "httpBasicAuth" \(node "Call API"\)/,
    );
    expect(error.message).toMatch(/Create a httpBasicAuth credential \(POST \/api\/v1\/credentials\) and point the node at it/);
    expect(execution.data.resultData.lastNodeExecuted).toBe('Call API');
  });

  it('uses a credential of the same type and name in place of an id from another instance', async () => {
    const server = await import('node:http');
    const seen: string[] = [];
    const httpServer = server.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const port = (httpServer.address() as { port: number }).port;
      const name = `Shared basic ${newId(4)}`;
      await createCredential('httpBasicAuth', { user: 'ann', password: 's3cret' }, name);
      const node = httpNode({ httpBasicAuth: { id: 'fromAnotherInstance', name } });
      node.parameters.url = `http://127.0.0.1:${port}/ping`;
      const id = await createWorkflow(t, workflowWith(node));
      const run = (await api(t, 'POST', `/workflows/${id}/run`, { wait: true })).json();
      expect(run.status).toBe('success');
      expect(seen).toEqual([`Basic ${Buffer.from('ann:s3cret').toString('base64')}`]);
    } finally {
      httpServer.close();
    }
  });

  it('still refuses a credential that exists but is of another type, naming the node', async () => {
    const header = await createCredential('httpHeaderAuth', { name: 'X-Key', value: 'v' });
    const res = await api(t, 'POST', '/workflows', workflowWith(httpNode({ httpBasicAuth: { id: header.id, name: header.name } })));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(
      `request/body/nodes/1/credentials/httpBasicAuth: node "Call API" uses credential "${header.id}" as httpBasicAuth, but it is a httpHeaderAuth credential. Point the node at a httpBasicAuth credential.`,
    );
  });

  it('refuses a credential of another project, and a change that would add one, leaving the workflow as it was', async () => {
    const project = await t.app.prisma.project.create({ data: { id: newId(), name: `Other ${newId(4)}`, type: 'team' } });
    const theirs = await createCredential('httpBasicAuth', { user: 'u', password: 'p' });
    await t.app.prisma.credential.update({ where: { id: theirs.id }, data: { projectId: project.id } });
    const ref = { httpBasicAuth: { id: theirs.id, name: theirs.name } };
    const res = await api(t, 'POST', '/workflows', workflowWith(httpNode(ref)));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(new RegExp(`uses credential "${theirs.id}", which belongs to another project`));

    const id = await createWorkflow(t, workflowWith(httpNode({ httpBasicAuth: { id: 'notHere', name: 'x' } })));
    const before = await t.app.prisma.workflow.findUniqueOrThrow({ where: { id } });
    const patch = await api(t, 'PATCH', `/workflows/${id}`, {
      operations: [{ type: 'updateNode', nodeName: 'Call API', changes: { 'credentials.httpBasicAuth.id': theirs.id } }],
    });
    expect(patch.statusCode).toBe(400);
    expect(JSON.stringify(patch.json())).toMatch(/belongs to another project/);
    const after = await t.app.prisma.workflow.findUniqueOrThrow({ where: { id } });
    expect(after.versionId).toBe(before.versionId);
    expect(after.nodes).toEqual(before.nodes);
  });
});

describe("n8n 2.39's node and settings schema", () => {
  it('refuses a setting of the wrong type or outside its enum, naming it', async () => {
    for (const [settings, message] of [
      [{ callerPolicy: '' }, /^request\/body\/settings\/callerPolicy /],
      [{ binaryMode: 'merged' }, /^request\/body\/settings\/binaryMode /],
      [{ executionTimeout: '60' }, /^request\/body\/settings\/executionTimeout /],
      [{ notASetting: 1 }, "request/body/settings Unrecognized key(s) in object: 'notASetting'"],
    ] as const) {
      const res = await api(t, 'POST', '/workflows', { name: 'bad settings', nodes: [manual], connections: {}, settings });
      expect(res.statusCode, JSON.stringify(settings)).toBe(400);
      if (typeof message === 'string') expect(res.json().message).toBe(message);
      else expect(res.json().message).toMatch(message);
    }
  });

  it('accepts every node key n8n 2.39 declares, stored as sent (no typeVersion added)', async () => {
    const node = {
      id: 'node-1',
      name: 'Everything',
      type: 'n8n-nodes-base.noOp',
      position: [10, 20],
      parameters: {},
      webhookId: 'hook',
      disabled: false,
      notesInFlow: true,
      notes: 'a note',
      executeOnce: true,
      alwaysOutputData: true,
      retryOnFail: true,
      maxTries: 3,
      waitBetweenTries: 1500,
      continueOnFail: false,
      onError: 'continueRegularOutput',
      credentials: {},
      customTelemetryTags: { tag: [{ key: 'k', value: 'v' }] },
    };
    const id = await createWorkflow(t, { name: 'all node keys', nodes: [manual, node], connections: {}, settings: {} });
    expect((await api(t, 'GET', `/workflows/${id}`)).json().nodes[1]).toEqual(node);
  });

  it('refuses node keys outside the schema and wrongly typed values, naming the node and the fix', async () => {
    const cases: [object, string | RegExp][] = [
      [
        { ...manual, cid: 'x', creator: 'someone' },
        `request/body/nodes/0 Unrecognized key(s) in object: 'cid', 'creator' (node "Manual"): n8n's node schema has no such key; remove it (free text belongs in "notes")`,
      ],
      [{ ...manual, typeVersion: '3.4' }, /^request\/body\/nodes\/0\/typeVersion .*expected number.* \(node "Manual"\)$/],
      [{ ...manual, notesInFlow: 'Skip weekends' }, /^request\/body\/nodes\/0\/notesInFlow .*expected boolean.* \(node "Manual"\)$/],
      [{ ...manual, waitBetweenTries: null }, /^request\/body\/nodes\/0\/waitBetweenTries .* \(node "Manual"\)$/],
      [{ ...manual, credentials: '[REDACTED]' }, /^request\/body\/nodes\/0\/credentials .* \(node "Manual"\)$/],
      [
        { type: 'n8n-nodes-base.set', position: [0, 0], parameters: {} },
        "request/body/nodes/0 must have required property 'name' (the n8n-nodes-base.set node at index 0: every node needs a unique name)",
      ],
    ];
    for (const [node, message] of cases) {
      const res = await api(t, 'POST', '/workflows', { name: 'bad node', nodes: [node], connections: {}, settings: {} });
      expect(res.statusCode, JSON.stringify(node)).toBe(400);
      if (typeof message === 'string') expect(res.json().message).toBe(message);
      else expect(res.json().message).toMatch(message);
    }
  });

  it('refuses duplicate node ids, including several empty ids, and gives a single empty id a new one', async () => {
    const set = (name: string, id: string) => ({ id, name, type: 'n8n-nodes-base.set', position: [0, 0], parameters: {} });
    const dup = await api(t, 'POST', '/workflows', { name: 'dup ids', nodes: [set('A', ''), set('B', '')], connections: {}, settings: {} });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().message).toBe(
      'request/body/nodes/1/id node "B" has the id "" of node "A": node ids must be unique; change one, or leave it out to get a new one',
    );
    const id = await createWorkflow(t, { name: 'one empty id', nodes: [set('A', '')], connections: {}, settings: {} });
    expect((await api(t, 'GET', `/workflows/${id}`)).json().nodes[0].id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores a connection map as sent, as n8n does, and runs the well-formed part of it', async () => {
    const nodes = [manual, { name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: {} }];
    const connections = {
      Manual: { main: [[{ node: 'Set', type: 'main', index: 0 }], { node: 'Set', type: 'main', index: 0 }] },
      Set: { output: [[{ node: 'Manual', type: 'main', index: 0, extra: true }]], main: 'not an array' },
    };
    const id = await createWorkflow(t, { name: 'odd connections', nodes, connections, settings: {} });
    expect((await api(t, 'GET', `/workflows/${id}`)).json().connections).toEqual(connections);
    const run = (await api(t, 'POST', `/workflows/${id}/run`, { wait: true })).json();
    expect(run.status).toBe('success');
    expect(Object.keys(run.data.resultData.runData)).toEqual(['Manual', 'Set']);
  });

  it('refuses connection indexes above 1000 before any allocation', async () => {
    const nodes = [manual, { name: 'Set', type: 'n8n-nodes-base.set', position: [200, 0], parameters: {} }];
    const res = await api(t, 'POST', '/workflows', {
      name: 'huge index',
      nodes,
      connections: { Manual: { main: [[{ node: 'Set', type: 'main', index: 1_000_000_000 }]] } },
      settings: {},
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^request\/body\/connections\/Manual\/main\/0\/0 .*indexes are at most 1000/);
  });
});

describe('activation needs a node that starts runs on its own', () => {
  it("refuses a workflow whose only trigger is a Manual Trigger, with n8n's message", async () => {
    const body = { name: 'manual only', nodes: [manual], connections: {}, settings: {} };
    const id = await createWorkflow(t, body);
    for (const path of ['activate', 'publish']) {
      const res = await api(t, 'POST', `/workflows/${id}/${path}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe(
        `Workflow "manual only" (ID: ${id}) has no node to start the workflow - at least one trigger, poller or webhook node is required`,
      );
    }
    expect((await t.app.prisma.workflow.findUniqueOrThrow({ where: { id } })).active).toBe(false);
  });
});
