import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedSample } from '../helpers/n8n-samples.ts';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const captured = capturedSample('n8n-2.39-surface-samples.json', 'discover') as Json | undefined;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('GET /discover', () => {
  it('answers the owner key with every scope and n8n’s resources, operations and endpoints', async () => {
    const res = await call(t, 'GET', '/discover', t.ownerKey);
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(Object.keys(data)).toEqual(['scopes', 'resources', 'filters', 'specUrl']);
    expect(data.scopes).toEqual(expect.arrayContaining(['workflow:read', 'dataTableRow:upsert', 'project:manageMembers']));
    expect(data.resources.workflow.operations).toEqual(
      expect.arrayContaining(['read', 'list', 'create', 'update', 'delete', 'move', 'activate', 'deactivate']),
    );
    expect(data.resources.workflow.endpoints).toContainEqual({ method: 'GET', path: '/api/v1/workflows/{id}', operationId: 'getWorkflow' });
    expect(data.resources.datatable.endpoints).toHaveLength(15);
    expect(data.resources.discover).toEqual({
      operations: [],
      endpoints: [{ method: 'GET', path: '/api/v1/discover', operationId: 'getDiscover' }],
    });
    expect(data.filters.include).toEqual({ description: 'Include additional data', values: ['schemas'] });
    expect(data.specUrl).toBe('/api/v1/openapi.json');
  });

  it('names the same resources n8n 2.39 names, for what both serve', ({ skip }) => {
    if (!captured) skip();
    return (async () => {
      const ours = (await call(t, 'GET', '/discover', t.ownerKey)).body.data.resources;
      const theirs = captured!.response.data.resources as Json;
      for (const resource of [
        'workflow',
        'executions',
        'credential',
        'tags',
        'user',
        'projects',
        'variables',
        'folders',
        'datatable',
        'role',
        'discover',
      ]) {
        expect(Object.keys(ours), resource).toContain(resource);
        expect(Object.keys(theirs), resource).toContain(resource);
      }
    })();
  });

  it('keeps to what the key and its user may do, filters by resource and operation, and adds request schemas', async () => {
    const reader = await t.createKey(['workflow:read', 'workflow:list'], 'reader');
    const res = await call(t, 'GET', '/discover', reader);
    expect(res.body.data.scopes).toEqual(['workflow:read', 'workflow:list']);
    expect(Object.keys(res.body.data.resources).sort()).toEqual(['credential', 'discover', 'nodetypes', 'workflow']);
    expect(res.body.data.resources.workflow.operations.sort()).toEqual(['list', 'read']);

    // A member's `*`-like key still gets only what a member may do.
    const member = await userWithKey(t, 'discoverer');
    const memberScopes = (await call(t, 'GET', '/discover', member.key)).body.data.scopes as string[];
    expect(memberScopes).toContain('workflow:create');
    expect(memberScopes).not.toContain('user:create');

    const filtered = await call(t, 'GET', '/discover?resource=datatable&operation=upsert&include=schemas', t.ownerKey);
    expect(Object.keys(filtered.body.data.resources)).toEqual(['datatable']);
    const [upsert] = filtered.body.data.resources.datatable.endpoints;
    expect(upsert).toMatchObject({
      method: 'POST',
      path: '/api/v1/data-tables/{dataTableId}/rows/upsert',
      operationId: 'upsertDataTableRow',
    });
    expect(upsert.requestSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['filter', 'data']) });
    expect((await call(t, 'GET', '/discover?include=everything', t.ownerKey)).status).toBe(400);
  });
});
