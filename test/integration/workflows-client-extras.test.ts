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
  it('takes the parentFolderId n8n 2.x clients send next to nodeGroups and description, and refuses an unknown folder', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: { ...sampleWorkflowBody(), parentFolderId: null },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json().parentFolder).toBeNull();
    const id = created.json().id;
    const { name, nodes, connections, settings } = created.json();
    const put = (parentFolderId: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/workflows/${id}`,
        headers,
        payload: { name: `${name} v2`, nodes, connections, settings, nodeGroups: [], description: 'from a client', parentFolderId },
      });
    const unknown = await put('folder123');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('Could not find folder with ID: folder123');
    expect((await t.app.inject({ url: `/api/v1/workflows/${id}`, headers })).json().name).toBe(name);

    const project = created.json().shared[0].projectId;
    const folder = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${project}/folders`,
      headers,
      payload: { name: 'Client folder' },
    });
    expect(folder.statusCode).toBe(201);
    const moved = await put(folder.json().id);
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ name: `${name} v2`, description: 'from a client', parentFolderId: folder.json().id });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}`,
      headers,
      payload: { parentFolderId: null, name: 'patched' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ name: 'patched', parentFolder: null });
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
