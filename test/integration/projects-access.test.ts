import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { call, type Json, keyFor, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const manualWorkflow = (name: string) => ({
  name,
  nodes: [
    { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    { name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
  ],
  connections: { Start: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] } },
  settings: { executionOrder: 'v1' },
});

const ids = (body: Json) => (body.data as Json[]).map((item) => item.id);

describe('projects and what members may reach', () => {
  it('keeps each member to their projects, with the role they hold there, from creation to transfer to removal', async () => {
    const alice = await userWithKey(t, 'alice');
    const bob = await userWithKey(t, 'bob');
    const outsider = await userWithKey(t, 'outsider');

    // A team project: the owner creates it and is its project:admin.
    const created = await call(t, 'POST', '/projects', t.ownerKey, { name: 'Billing team' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ name: 'Billing team', type: 'team', icon: null, description: null, role: 'project:admin' });
    expect(created.body.scopes).toContain('project:manageMembers');
    const team = created.body.id as string;
    const added = await call(t, 'POST', `/projects/${team}/users`, t.ownerKey, {
      relations: [
        { userId: alice.id, role: 'project:editor' },
        { userId: bob.id, role: 'project:viewer' },
      ],
    });
    expect(added.status, added.text).toBe(201);
    const members = await call(t, 'GET', `/projects/${team}/users`, t.ownerKey);
    expect(members.status).toBe(200);
    expect(members.body.data.map((m: Json) => [m.email, m.role]).sort()).toEqual(
      [
        [alice.email, 'project:editor'],
        [bob.email, 'project:viewer'],
        ['owner@flowgate.local', 'project:admin'],
      ].sort(),
    );

    // What a member creates goes to their personal project, seen by nobody else but owner and admin.
    const made = await call(t, 'POST', '/workflows', alice.key, manualWorkflow('Alice draft'));
    expect(made.status, made.text).toBe(200);
    const workflowId = made.body.id as string;
    expect((await call(t, 'GET', `/workflows/${workflowId}`, bob.key)).status).toBe(404);
    expect((await call(t, 'PUT', `/workflows/${workflowId}`, bob.key, manualWorkflow('taken'))).status).toBe(404);
    expect(ids((await call(t, 'GET', '/workflows', bob.key)).body)).not.toContain(workflowId);
    expect(ids((await call(t, 'GET', '/workflows', alice.key)).body)).toEqual([workflowId]);
    expect(ids((await call(t, 'GET', '/workflows?limit=250', t.ownerKey)).body)).toContain(workflowId);

    // Projects: a member lists the ones they are in; only owner and admin create them.
    const aliceProjects = await call(t, 'GET', '/projects', alice.key);
    expect(aliceProjects.status).toBe(200);
    expect(aliceProjects.body.data.map((p: Json) => p.type).sort()).toEqual(['personal', 'team']);
    expect(ids(aliceProjects.body)).toContain(team);
    expect(ids((await call(t, 'GET', '/projects', outsider.key)).body)).not.toContain(team);
    expect((await call(t, 'POST', '/projects', alice.key, { name: 'Mine' })).status).toBe(403);

    // Alice moves her workflow into the team (workflow:move where it is, workflow:create where it goes).
    const moved = await call(t, 'PUT', `/workflows/${workflowId}/transfer`, alice.key, { destinationProjectId: team });
    expect(moved.status, moved.text).toBe(204);
    const again = await call(t, 'PUT', `/workflows/${workflowId}/transfer`, t.ownerKey, { destinationProjectId: team });
    expect(again.status).toBe(400);
    expect(again.body.message).toBe("You can't transfer a workflow into the project that's already owning it.");

    // The viewer now sees it but may not change it; the outsider still does not see it.
    const seen = await call(t, 'GET', `/workflows/${workflowId}`, bob.key);
    expect(seen.status).toBe(200);
    expect(seen.body.shared[0].projectId).toBe(team);
    const refused = await call(t, 'PUT', `/workflows/${workflowId}`, bob.key, manualWorkflow('Bob was here'));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Forbidden');
    expect((await call(t, 'PATCH', `/workflows/${workflowId}`, bob.key, { name: 'x' })).status).toBe(403);
    expect((await call(t, 'DELETE', `/workflows/${workflowId}`, bob.key)).status).toBe(403);
    expect((await call(t, 'GET', `/workflows/${workflowId}`, outsider.key)).status).toBe(404);
    expect((await call(t, 'GET', `/workflows/${workflowId}`, t.ownerKey)).body.name).toBe('Alice draft');

    // The editor changes it and runs it; she may not move it out (project:editor has no workflow:move).
    expect((await call(t, 'PATCH', `/workflows/${workflowId}`, alice.key, { name: 'Team flow' })).status).toBe(200);
    const out = await call(t, 'PUT', `/workflows/${workflowId}/transfer`, alice.key, { destinationProjectId: team });
    expect(out.status).toBe(403);
    const run = await call(t, 'POST', `/workflows/${workflowId}/run`, alice.key, { wait: true });
    expect(run.status, run.text).toBe(200);
    const executionId = run.body.id as string;

    // Executions are seen through their workflow's project.
    expect(ids((await call(t, 'GET', '/executions', bob.key)).body)).toContain(executionId);
    expect((await call(t, 'GET', `/executions/${executionId}`, bob.key)).status).toBe(200);
    expect((await call(t, 'DELETE', `/executions/${executionId}`, bob.key)).status).toBe(403);
    expect((await call(t, 'GET', `/executions/${executionId}`, outsider.key)).status).toBe(404);
    expect(ids((await call(t, 'GET', '/executions', outsider.key)).body)).not.toContain(executionId);
    expect((await call(t, 'POST', `/workflows/${workflowId}/run`, bob.key, { wait: true })).status).toBe(403);

    // Credentials: made in the team (projectId), listed by its members only.
    const credential = await call(t, 'POST', '/credentials', alice.key, {
      name: 'Team token',
      type: 'httpBearerAuth',
      data: { token: 's3cret' },
      projectId: team,
    });
    expect(credential.status, credential.text).toBe(200);
    const credentialId = credential.body.id as string;
    expect(ids((await call(t, 'GET', '/credentials', bob.key)).body)).toContain(credentialId);
    expect(ids((await call(t, 'GET', '/credentials', outsider.key)).body)).not.toContain(credentialId);
    expect((await call(t, 'DELETE', `/credentials/${credentialId}`, bob.key)).status).toBe(403);
    expect((await call(t, 'DELETE', `/credentials/${credentialId}`, outsider.key)).status).toBe(404);
    const intoHidden = await call(t, 'POST', '/credentials', outsider.key, {
      name: 'Sneaky',
      type: 'httpBearerAuth',
      data: { token: 'x' },
      projectId: team,
    });
    expect(intoHidden.status).toBe(404);
    expect(intoHidden.body.message).toBe(`Project with ID "${team}" not found`);

    // Project changes need project:admin there: the editor is refused, then promoted, then allowed at once.
    const aliceAdminKey = await keyFor(t, alice.email, ['project:update']).catch((err: Error) => err.message);
    expect(aliceAdminKey).toMatch(/does not allow scope\(s\): project:update/);
    expect((await call(t, 'PATCH', `/projects/${team}/users/${alice.id}`, t.ownerKey, { role: 'project:admin' })).status).toBe(204);
    const renamer = await keyFor(t, alice.email, ['project:update', 'project:list']);
    expect((await call(t, 'PUT', `/projects/${team}`, renamer, { name: 'Billing' })).status).toBe(204);
    expect((await call(t, 'PUT', `/projects/${team}`, outsider.key, { name: 'x' })).status).toBe(403);
    const listed = (await call(t, 'GET', '/projects', renamer)).body.data.find((p: Json) => p.id === team);
    expect(listed.name).toBe('Billing');

    // Removing the viewer takes the project from his keys at once.
    expect((await call(t, 'DELETE', `/projects/${team}/users/${bob.id}`, t.ownerKey)).status).toBe(204);
    expect((await call(t, 'GET', `/workflows/${workflowId}`, bob.key)).status).toBe(404);
    expect(ids((await call(t, 'GET', '/credentials', bob.key)).body)).not.toContain(credentialId);
  });

  it('answers n8n’s messages for roles, unknown projects and personal projects', async () => {
    const carol = await userWithKey(t, 'carol');
    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Ops' })).body.id as string;
    const badRole = await call(t, 'POST', `/projects/${team}/users`, t.ownerKey, {
      relations: [{ userId: carol.id, role: 'project:boss' }],
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.message).toContain("Invalid enum value. Expected 'project:admin' | 'project:editor' | 'project:viewer'");
    expect(badRole.body.message).toContain("received 'project:boss'");

    const unknown = await call(t, 'PUT', '/projects/nope', t.ownerKey, { name: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Could not find project with ID: nope');
    const notMember = await call(t, 'PATCH', `/projects/${team}/users/${carol.id}`, t.ownerKey, { role: 'project:viewer' });
    expect(notMember.status).toBe(404);
    expect(notMember.body.message).toBe(`Could not find project with ID: ${team}`);

    const carolsPersonal = (await call(t, 'GET', '/projects', carol.key)).body.data.find((p: Json) => p.type === 'personal');
    const deletePersonal = await call(t, 'DELETE', `/projects/${carolsPersonal.id}`, t.ownerKey);
    expect(deletePersonal.status).toBe(400);
    expect(deletePersonal.body.message).toBe(`Can't delete project. Project with ID "${carolsPersonal.id}" is not a team project.`);
    const removeOwner = await call(t, 'DELETE', `/projects/${carolsPersonal.id}/users/${carol.id}`, t.ownerKey);
    expect(removeOwner.status).toBe(403);
    expect(removeOwner.body.message).toBe('Project owner cannot be removed from the project');

    // A custom project role can be given, and grants what it holds.
    const role = await call(t, 'POST', '/roles', t.ownerKey, {
      displayName: 'Runner',
      roleType: 'project',
      scopes: ['workflow:read', 'workflow:list', 'workflow:execute'],
    });
    expect(role.status, role.text).toBe(201);
    expect(
      (await call(t, 'POST', `/projects/${team}/users`, t.ownerKey, { relations: [{ userId: carol.id, role: role.body.slug }] })).status,
    ).toBe(201);
    const workflow = await call(t, 'POST', '/workflows', t.ownerKey, sampleWorkflowBody('Ops flow'));
    expect((await call(t, 'PUT', `/workflows/${workflow.body.id}/transfer`, t.ownerKey, { destinationProjectId: team })).status).toBe(204);
    expect((await call(t, 'GET', `/workflows/${workflow.body.id}`, carol.key)).status).toBe(200);
    expect((await call(t, 'PATCH', `/workflows/${workflow.body.id}`, carol.key, { name: 'x' })).status).toBe(403);

    // Deleting the project deletes what is in it, and its members lose it.
    expect((await call(t, 'DELETE', `/projects/${team}`, t.ownerKey)).status).toBe(204);
    expect((await call(t, 'GET', `/workflows/${workflow.body.id}`, t.ownerKey)).status).toBe(404);
    expect(ids((await call(t, 'GET', '/projects', carol.key)).body)).not.toContain(team);
  });
});
