import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, keyFor, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** Manual trigger → Set (an expression reading $vars) → Code (reading $vars): what a run sees. */
const varsWorkflow = (name: string) => ({
  name,
  nodes: [
    { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    {
      name: 'Read',
      type: 'n8n-nodes-base.set',
      typeVersion: 3.4,
      position: [200, 0],
      parameters: {
        assignments: {
          assignments: [
            { id: 'a', name: 'region', type: 'string', value: '={{ $vars.REGION }}' },
            { id: 'b', name: 'plan', type: 'string', value: '={{ $vars.PLAN ?? "none" }}' },
          ],
        },
        options: {},
      },
    },
    {
      name: 'Code',
      type: 'n8n-nodes-base.code',
      typeVersion: 2,
      position: [400, 0],
      parameters: { jsCode: 'return $input.all().map((item) => ({ json: { ...item.json, fromCode: $vars.REGION } }));' },
    },
  ],
  connections: {
    Start: { main: [[{ node: 'Read', type: 'main', index: 0 }]] },
    Read: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
  },
  settings: { executionOrder: 'v1' },
});

async function runAndRead(workflowId: string, key = t.ownerKey) {
  const run = await call(t, 'POST', `/workflows/${workflowId}/run`, key, { wait: true });
  expect(run.status, run.text).toBe(200);
  expect(run.body.status).toBe('success');
  return run.body.data.resultData.runData.Code[0].data.main[0][0].json as Json;
}

describe('variables', () => {
  it('creates, lists, changes and deletes global variables with n8n’s shapes, and refuses bad keys and duplicates', async () => {
    const created = await call(t, 'POST', '/variables', t.ownerKey, { key: 'GREETING', value: 'hello' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), key: 'GREETING', type: 'string', value: 'hello' });
    const id = created.body.id as string;
    const list = await call(t, 'GET', '/variables', t.ownerKey);
    expect(list.status).toBe(200);
    expect(list.body.data).toContainEqual({ id, key: 'GREETING', type: 'string', value: 'hello' });
    expect(list.body.nextCursor).toBeNull();

    const duplicate = await call(t, 'POST', '/variables', t.ownerKey, { key: 'GREETING', value: 'again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toBe('A variable with key "GREETING" already exists globally');
    const badKey = await call(t, 'POST', '/variables', t.ownerKey, { key: 'has space', value: 'x' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.message).toContain('may only contain letters, digits and underscores');
    expect((await call(t, 'POST', '/variables', t.ownerKey, { key: 'K', value: 'x'.repeat(1001) })).status).toBe(400);
    expect((await call(t, 'POST', '/variables', t.ownerKey, { key: 'K', value: 'v', extra: 1 })).status).toBe(400);

    expect((await call(t, 'PUT', `/variables/${id}`, t.ownerKey, { key: 'GREETING', value: '' })).status).toBe(204);
    const empty = await call(t, 'GET', '/variables?state=empty', t.ownerKey);
    expect(empty.body.data.map((v: Json) => v.id)).toEqual([id]);
    expect((await call(t, 'PUT', '/variables/nope', t.ownerKey, { key: 'X', value: 'y' })).status).toBe(404);
    expect((await call(t, 'DELETE', `/variables/${id}`, t.ownerKey)).status).toBe(204);
    expect((await call(t, 'DELETE', `/variables/${id}`, t.ownerKey)).status).toBe(404);
  });

  it('gives runs $vars in expressions and Code, a project’s over the global ones, and a change from the next run on', async () => {
    const region = await call(t, 'POST', '/variables', t.ownerKey, { key: 'REGION', value: 'eu-west' });
    expect(region.status).toBe(201);
    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Vars team' })).body.id as string;
    const workflow = await call(t, 'POST', '/workflows', t.ownerKey, varsWorkflow('Reads vars'));
    expect(workflow.status, workflow.text).toBe(200);
    expect(await runAndRead(workflow.body.id)).toEqual({ region: 'eu-west', plan: 'none', fromCode: 'eu-west' });

    // In the team project, its own REGION wins over the global one.
    expect((await call(t, 'PUT', `/workflows/${workflow.body.id}/transfer`, t.ownerKey, { destinationProjectId: team })).status).toBe(204);
    const own = await call(t, 'POST', '/variables', t.ownerKey, { key: 'REGION', value: 'us-east', projectId: team });
    expect(own.status, own.text).toBe(201);
    expect(own.body.project).toEqual({ id: team, name: 'Vars team', type: 'team' });
    expect(await runAndRead(workflow.body.id)).toEqual({ region: 'us-east', plan: 'none', fromCode: 'us-east' });

    // A change is seen by the next run.
    expect((await call(t, 'PUT', `/variables/${own.body.id}`, t.ownerKey, { key: 'REGION', value: 'ap-south' })).status).toBe(204);
    expect((await runAndRead(workflow.body.id)).region).toBe('ap-south');
    const projectOnly = await call(t, 'GET', `/variables?projectId=${team}`, t.ownerKey);
    expect(projectOnly.body.data.map((v: Json) => v.value)).toEqual(['ap-south']);
  });

  it('lets members read global variables, write their projects’ by role, and never see other projects’', async () => {
    const editor = await userWithKey(t, 'var-editor');
    const viewer = await userWithKey(t, 'var-viewer');
    const outsider = await userWithKey(t, 'var-outsider');
    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Secrets team' })).body.id as string;
    await call(t, 'POST', `/projects/${team}/users`, t.ownerKey, {
      relations: [
        { userId: editor.id, role: 'project:editor' },
        { userId: viewer.id, role: 'project:viewer' },
      ],
    });
    const editorKey = await keyFor(t, editor.email, ['variable:*']);
    const viewerKey = await keyFor(t, viewer.email, ['variable:list', 'variable:read']);

    const global = await call(t, 'POST', '/variables', t.ownerKey, { key: 'SHARED', value: 'everyone' });
    expect((await call(t, 'POST', '/variables', editorKey, { key: 'NOPE', value: 'x' })).status).toBe(403);
    const teamVar = await call(t, 'POST', '/variables', editorKey, { key: 'TEAM_TOKEN', value: 't0k', projectId: team });
    expect(teamVar.status, teamVar.text).toBe(201);

    const seenBy = async (key: string) => (await call(t, 'GET', '/variables', key)).body.data.map((v: Json) => v.id);
    expect(await seenBy(viewerKey)).toEqual(expect.arrayContaining([global.body.id, teamVar.body.id]));
    expect(await seenBy(outsider.key)).toContain(global.body.id);
    expect(await seenBy(outsider.key)).not.toContain(teamVar.body.id);

    expect((await call(t, 'PUT', `/variables/${teamVar.body.id}`, viewerKey, { key: 'TEAM_TOKEN', value: 'mine' })).status).toBe(403);
    expect((await call(t, 'DELETE', `/variables/${teamVar.body.id}`, outsider.key)).status).toBe(403);
    expect((await call(t, 'DELETE', `/variables/${global.body.id}`, editorKey)).status).toBe(403);
    const hidden = await call(t, 'POST', '/variables', editorKey, { key: 'ELSEWHERE', value: 'x', projectId: 'nope' });
    expect(hidden.status).toBe(404);
    expect((await call(t, 'DELETE', `/variables/${teamVar.body.id}`, editorKey)).status).toBe(204);
  });
});
