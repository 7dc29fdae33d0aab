import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const audit = (body?: unknown, key = t.ownerKey) => call(t, 'POST', '/audit', key, body);
const locations = (report: Json, title: string, section: string) =>
  (report[title]?.sections as Json[] | undefined)?.find((s) => s.title === section)?.location as Json[] | undefined;

describe('POST /audit', () => {
  it('answers [] when nothing is found, as n8n does', async () => {
    expect((await audit({ additionalOptions: { categories: ['credentials', 'database', 'nodes', 'filesystem'] } })).body).toEqual([]);
  });

  it('reports what is true of this server: unused credentials, risky and SQL nodes, open webhooks, settings', async () => {
    const unused = (
      await call(t, 'POST', '/credentials', t.ownerKey, { name: 'Unused token', type: 'httpBearerAuth', data: { token: 'x' } })
    ).body;
    const db = (
      await call(t, 'POST', '/credentials', t.ownerKey, { name: 'Warehouse', type: 'postgres', data: { host: 'db', password: 'p' } })
    ).body;
    const workflow = await call(t, 'POST', '/workflows', t.ownerKey, {
      name: 'Risky',
      nodes: [
        { id: 'n1', name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path: 'audit-open' } },
        {
          id: 'n2',
          name: 'Run code',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          position: [200, 0],
          parameters: { jsCode: 'return items;' },
        },
        {
          id: 'n3',
          name: 'Query',
          type: 'n8n-nodes-base.postgres',
          typeVersion: 2.5,
          position: [400, 0],
          parameters: { operation: 'executeQuery', query: "=SELECT * FROM t WHERE name = '{{ $json.name }}'" },
          credentials: { postgres: { id: db.id, name: 'Warehouse' } },
        },
        {
          id: 'n4',
          name: 'Guarded',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 200],
          parameters: { path: 'audit-closed', authentication: 'headerAuth' },
        },
      ],
      connections: {},
      settings: {},
    });
    expect(workflow.status, workflow.text).toBe(200);

    const res = await audit({ additionalOptions: { daysAbandonedWorkflow: 30 } });
    expect(res.status).toBe(200);
    const report = res.body;
    expect(Object.keys(report).sort()).toEqual([
      'Credentials Risk Report',
      'Database Risk Report',
      'Instance Risk Report',
      'Nodes Risk Report',
    ]);
    expect(report['Nodes Risk Report'].risk).toBe('nodes');
    expect(locations(report, 'Credentials Risk Report', 'Credentials not used in workflows')).toEqual([
      { kind: 'credential', id: unused.id, name: 'Unused token' },
    ]);
    expect(locations(report, 'Credentials Risk Report', 'Credentials not used in active workflows')).toEqual([
      { kind: 'credential', id: db.id, name: 'Warehouse' },
    ]);
    expect(locations(report, 'Credentials Risk Report', 'Credentials not used in recently executed workflows')?.map((l) => l.id)).toEqual([
      db.id,
    ]);
    expect(locations(report, 'Database Risk Report', 'Expressions in "Execute Query" fields in SQL nodes')).toEqual([
      {
        kind: 'node',
        workflowId: workflow.body.id,
        workflowName: 'Risky',
        nodeId: 'n3',
        nodeName: 'Query',
        nodeType: 'n8n-nodes-base.postgres',
      },
    ]);
    expect(locations(report, 'Nodes Risk Report', 'Official risky nodes')?.map((l) => l.nodeName)).toEqual(['Run code']);
    expect(locations(report, 'Instance Risk Report', 'Unprotected webhooks in instance')?.map((l) => l.nodeName)).toEqual(['Hook']);
    const settings = (report['Instance Risk Report'].sections as Json[]).find((s) => s.title === 'Security settings');
    expect(settings?.settings).toMatchObject({ features: { publicApiEnabled: true }, outbound: { ssrfProtectionEnabled: false } });
    for (const section of Object.values(report as Record<string, Json>).flatMap((r) => r.sections as Json[])) {
      expect(Object.keys(section).slice(0, 3)).toEqual(['title', 'description', 'recommendation']);
    }

    const only = await audit({ additionalOptions: { categories: ['database'] } });
    expect(Object.keys(only.body)).toEqual(['Database Risk Report']);
    expect((await audit()).status).toBe(200);
    expect((await audit({ additionalOptions: { categories: ['secrets'] } })).status).toBe(400);
  });

  it('is for owners and admins', async () => {
    const member = await userWithKey(t, 'auditor');
    expect((await audit(undefined, member.key)).status).toBe(403);
  });
});
