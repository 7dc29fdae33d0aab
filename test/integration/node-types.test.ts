import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('what this server runs', () => {
  it('lists every node type it implements, with the versions and operations a node names', async () => {
    const res = await call(t, 'GET', '/node-types', t.ownerKey);
    expect(res.status).toBe(200);
    const byType = new Map((res.body.data as Json[]).map((n) => [n.type, n]));
    expect(byType.get('n8n-nodes-base.dataTable')).toEqual({
      type: 'n8n-nodes-base.dataTable',
      typeVersions: [1, 1.1],
      operations: expect.arrayContaining(['row:insert', 'row:upsert']),
      trigger: false,
    });
    expect(byType.get('n8n-nodes-base.manualTrigger')).toMatchObject({ trigger: true, typeVersions: null });
    expect(byType.get('n8n-nodes-base.executeWorkflow')).toMatchObject({ typeVersions: [1, 1.1, 1.2] });
    expect(byType.has('n8n-nodes-base.httpRequest')).toBe(true);
    expect(byType.has('n8n-nodes-base.slack')).toBe(false);
    expect((await call(t, 'GET', '/node-types', await t.createKey(['tag:list']))).status).toBe(403);
  });

  it('saves a workflow with a type it does not run, and says so in the write’s answer', async () => {
    const body = {
      name: 'Has a Slack node',
      nodes: [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { name: 'Post', type: 'n8n-nodes-base.slack', typeVersion: 2.2, position: [200, 0], parameters: {} },
        { name: 'Note', type: 'n8n-nodes-base.stickyNote', typeVersion: 1, position: [0, 200], parameters: {} },
      ],
      connections: {},
      settings: {},
    };
    const created = await call(t, 'POST', '/workflows', t.ownerKey, body);
    expect(created.status).toBe(200);
    expect(created.body.warnings).toEqual([
      'Node "Post" has type "n8n-nodes-base.slack", which this server does not run: a run that reaches it fails (GET /api/v1/node-types lists the types it runs)',
    ]);
    const put = await call(t, 'PUT', `/workflows/${created.body.id}`, t.ownerKey, { ...body, nodes: [body.nodes[0]] });
    expect(put.body).not.toHaveProperty('warnings');
    expect((await call(t, 'GET', `/workflows/${created.body.id}`, t.ownerKey)).body).not.toHaveProperty('warnings');
  });
});

describe('node types NODES_EXCLUDE turns off', () => {
  it('keeps Execute Command and SSH off by default: not listed, a warning on save, and a run that names the setting', async () => {
    const listed = (await call(t, 'GET', '/node-types', t.ownerKey)).body.data as Json[];
    expect(listed.map((n) => n.type)).not.toContain('n8n-nodes-base.executeCommand');
    expect(listed.map((n) => n.type)).not.toContain('n8n-nodes-base.ssh');
    const created = await call(t, 'POST', '/workflows', t.ownerKey, {
      name: 'Runs a command',
      nodes: [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { name: 'Shell', type: 'n8n-nodes-base.executeCommand', typeVersion: 1, position: [200, 0], parameters: { command: 'id' } },
      ],
      connections: { Start: { main: [[{ node: 'Shell', type: 'main', index: 0 }]] } },
      settings: {},
    });
    expect(created.status).toBe(200);
    expect(created.body.warnings).toEqual([
      'Node "Shell" has type "n8n-nodes-base.executeCommand", which this server\'s NODES_EXCLUDE setting turns off: a run that reaches it fails',
    ]);
  });

  it('runs them once an administrator empties NODES_EXCLUDE', async () => {
    const open = await buildTestApp({ NODES_EXCLUDE: '[]' });
    try {
      const listed = (await call(open, 'GET', '/node-types', open.ownerKey)).body.data as Json[];
      expect(listed.map((n) => n.type)).toEqual(expect.arrayContaining(['n8n-nodes-base.executeCommand', 'n8n-nodes-base.ssh']));
    } finally {
      await open.close();
    }
  });
});
