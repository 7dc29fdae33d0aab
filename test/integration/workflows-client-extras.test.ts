import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await buildTestApp();
  headers = { 'x-n8n-api-key': t.ownerKey };
});
afterAll(() => t.close());

describe('fields n8n 2.x clients send on workflow writes', () => {
  it('accepts and ignores parentFolderId (no folders here) next to nodeGroups and description', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: { ...sampleWorkflowBody(), parentFolderId: null },
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().id;
    const { name, nodes, connections, settings } = created.json();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      headers,
      payload: {
        name: `${name} v2`,
        nodes,
        connections,
        settings,
        nodeGroups: [],
        description: 'from a client',
        parentFolderId: 'folder123',
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ name: `${name} v2`, description: 'from a client' });
    expect(put.json()).not.toHaveProperty('parentFolderId');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}`,
      headers,
      payload: { parentFolderId: null, name: 'patched' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().name).toBe('patched');
  });

  it('still names a key it does not know', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: { ...sampleWorkflowBody(), folder: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain("'folder'");
  });
});
