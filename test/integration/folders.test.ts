import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const webhookWorkflow = (name: string, extra: Json = {}) => ({
  name,
  nodes: [
    {
      name: 'Hook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      parameters: { path: `folder-${Math.random().toString(36).slice(2, 10)}`, httpMethod: 'GET' },
    },
  ],
  connections: {},
  settings: {},
  ...extra,
});

async function newTeam(name: string) {
  const res = await call(t, 'POST', '/projects', t.ownerKey, { name });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function newFolder(project: string, body: Json) {
  const res = await call(t, 'POST', `/projects/${project}/folders`, t.ownerKey, body);
  expect(res.status, res.text).toBe(201);
  return res.body as Json;
}

describe('folders', () => {
  it('nests folders, lists them with n8n’s filter, select, sort and paging, and refuses cycles', async () => {
    const team = await newTeam('Folder team');
    const top = await newFolder(team, { name: 'Billing' });
    expect(top).toEqual({
      id: expect.any(String),
      name: 'Billing',
      parentFolderId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const child = await newFolder(team, { name: 'Invoices', parentFolderId: top.id });
    const grandchild = await newFolder(team, { name: 'Archive 2025', parentFolderId: child.id });
    await newFolder(team, { name: 'Support' });

    const all = await call(t, 'GET', `/projects/${team}/folders?sortBy=name:asc`, t.ownerKey);
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(4);
    expect(all.body.data.map((f: Json) => f.name)).toEqual(['Archive 2025', 'Billing', 'Invoices', 'Support']);
    const roots = await call(
      t,
      'GET',
      `/projects/${team}/folders?filter=${encodeURIComponent('{"parentFolderId":"0"}')}&sortBy=name:asc`,
      t.ownerKey,
    );
    expect(roots.body.data.map((f: Json) => f.name)).toEqual(['Billing', 'Support']);
    const inTop = await call(
      t,
      'GET',
      `/projects/${team}/folders?filter=${encodeURIComponent(JSON.stringify({ parentFolderId: top.id }))}`,
      t.ownerKey,
    );
    expect(inTop.body.data.map((f: Json) => f.id)).toEqual([child.id]);
    const page = await call(
      t,
      'GET',
      `/projects/${team}/folders?sortBy=name:desc&skip=1&take=2&select=${encodeURIComponent('["id","name"]')}`,
      t.ownerKey,
    );
    expect(page.body).toEqual({
      count: 4,
      data: [
        { id: child.id, name: 'Invoices' },
        { id: top.id, name: 'Billing' },
      ],
    });
    expect((await call(t, 'GET', `/projects/${team}/folders?filter=nope`, t.ownerKey)).status).toBe(400);
    expect((await call(t, 'GET', `/projects/${team}/folders?take=1000`, t.ownerKey)).status).toBe(400);

    const cycle = await call(t, 'PATCH', `/projects/${team}/folders/${top.id}`, t.ownerKey, { parentFolderId: grandchild.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.message).toBe('Cannot set a folder’s parent to a folder that is inside it');
    expect((await call(t, 'PATCH', `/projects/${team}/folders/${top.id}`, t.ownerKey, { parentFolderId: top.id })).status).toBe(400);
    expect((await call(t, 'PATCH', `/projects/${team}/folders/${top.id}`, t.ownerKey, {})).status).toBe(400);
    const moved = await call(t, 'PATCH', `/projects/${team}/folders/${grandchild.id}`, t.ownerKey, {
      parentFolderId: '0',
      name: 'Archive',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: 'Archive', parentFolderId: null });

    // A folder of another project is not a parent here.
    const other = await newTeam('Other team');
    const foreign = await newFolder(other, { name: 'Elsewhere' });
    const cross = await call(t, 'POST', `/projects/${team}/folders`, t.ownerKey, { name: 'x', parentFolderId: foreign.id });
    expect(cross.status).toBe(404);
    expect(cross.body.message).toBe(`Could not find folder with ID: ${foreign.id}`);
  });

  it('puts workflows in folders on create and update, and answers where they are', async () => {
    const team = await newTeam('Workflow folders');
    const folder = await newFolder(team, { name: 'Flows' });
    const second = await newFolder(team, { name: 'Other flows' });

    // Created in a folder: the workflow goes to the folder's project.
    const created = await call(t, 'POST', '/workflows', t.ownerKey, webhookWorkflow('In a folder', { parentFolderId: folder.id }));
    expect(created.status, created.text).toBe(200);
    expect(created.body.parentFolderId).toBe(folder.id);
    expect(created.body.parentFolder).toEqual({ id: folder.id });
    expect(created.body.shared[0].projectId).toBe(team);
    const id = created.body.id as string;
    expect((await call(t, 'GET', `/workflows/${id}`, t.ownerKey)).body.parentFolderId).toBe(folder.id);
    const listed = (await call(t, 'GET', `/workflows?projectId=${team}`, t.ownerKey)).body.data.find((w: Json) => w.id === id);
    expect(listed.parentFolderId).toBe(folder.id);
    expect((await call(t, 'GET', `/projects/${team}/folders/${folder.id}`, t.ownerKey)).body).toMatchObject({
      totalWorkflows: 1,
      totalSubFolders: 0,
    });

    // PUT and PATCH move it; a folder of another project is refused and nothing changes.
    const put = await call(t, 'PUT', `/workflows/${id}`, t.ownerKey, webhookWorkflow('Moved', { parentFolderId: second.id }));
    expect(put.status, put.text).toBe(200);
    expect(put.body.parentFolderId).toBe(second.id);
    const elsewhere = await newFolder(await newTeam('Not here'), { name: 'Foreign' });
    const refused = await call(t, 'PATCH', `/workflows/${id}`, t.ownerKey, { name: 'Nope', parentFolderId: elsewhere.id });
    expect(refused.status).toBe(404);
    const after = await call(t, 'GET', `/workflows/${id}`, t.ownerKey);
    expect(after.body).toMatchObject({ name: 'Moved', parentFolderId: second.id });
    const top = await call(t, 'PATCH', `/workflows/${id}`, t.ownerKey, { parentFolderId: null });
    expect(top.status).toBe(200);
    expect(top.body.parentFolder).toBeNull();
    expect((await call(t, 'GET', `/workflows/${id}`, t.ownerKey)).body.parentFolderId).toBeUndefined();
  });

  it('deletes a folder by moving its content, or by archiving its workflows, never deleting them', async () => {
    const team = await newTeam('Deleting folders');
    const keep = await newFolder(team, { name: 'Keep' });
    const old = await newFolder(team, { name: 'Old' });
    const inner = await newFolder(team, { name: 'Inner', parentFolderId: old.id });
    const movedFlow = await call(t, 'POST', '/workflows', t.ownerKey, webhookWorkflow('Old flow', { parentFolderId: old.id }));
    const transfer = await call(t, 'DELETE', `/projects/${team}/folders/${old.id}?transferToFolderId=${keep.id}`, t.ownerKey);
    expect(transfer.status, transfer.text).toBe(204);
    expect((await call(t, 'GET', `/workflows/${movedFlow.body.id}`, t.ownerKey)).body.parentFolderId).toBe(keep.id);
    expect((await call(t, 'GET', `/projects/${team}/folders/${inner.id}`, t.ownerKey)).body.parentFolderId).toBe(keep.id);
    expect((await call(t, 'GET', `/projects/${team}/folders/${old.id}`, t.ownerKey)).status).toBe(404);
    const intoItself = await call(t, 'DELETE', `/projects/${team}/folders/${keep.id}?transferToFolderId=${inner.id}`, t.ownerKey);
    expect(intoItself.status).toBe(400);

    // Without a transfer: the active workflow in a subfolder is archived, deactivated, and kept.
    const deep = await call(t, 'POST', '/workflows', t.ownerKey, webhookWorkflow('Deep flow', { parentFolderId: inner.id }));
    expect((await call(t, 'POST', `/workflows/${deep.body.id}/activate`, t.ownerKey)).status).toBe(200);
    expect((await call(t, 'DELETE', `/projects/${team}/folders/${keep.id}`, t.ownerKey)).status).toBe(204);
    for (const flow of [deep.body.id, movedFlow.body.id]) {
      const read = await call(t, 'GET', `/workflows/${flow}`, t.ownerKey);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ isArchived: true, active: false, parentFolder: null });
    }
    expect((await call(t, 'GET', `/projects/${team}/folders`, t.ownerKey)).body.count).toBe(0);
  });

  it('keeps folders to those who may see the project, and writes to those whose role allows it', async () => {
    const viewer = await userWithKey(t, 'folder-viewer');
    const outsider = await userWithKey(t, 'folder-outsider');
    const team = await newTeam('Private folders');
    await call(t, 'POST', `/projects/${team}/users`, t.ownerKey, { relations: [{ userId: viewer.id, role: 'project:viewer' }] });
    const folder = await newFolder(team, { name: 'Plans' });
    expect((await call(t, 'GET', `/projects/${team}/folders`, viewer.key)).body.count).toBe(1);
    expect((await call(t, 'POST', `/projects/${team}/folders`, viewer.key, { name: 'Mine' })).status).toBe(403);
    expect((await call(t, 'DELETE', `/projects/${team}/folders/${folder.id}`, viewer.key)).status).toBe(403);
    const hidden = await call(t, 'GET', `/projects/${team}/folders`, outsider.key);
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toBe(`Could not find project with ID: ${team}`);
    expect((await call(t, 'GET', `/projects/${team}/folders/${folder.id}`, outsider.key)).status).toBe(404);
    const created = await call(t, 'POST', '/workflows', outsider.key, webhookWorkflow('Sneak in', { parentFolderId: folder.id }));
    expect(created.status).toBe(404);
  });
});
