import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, serverEnv } from '../helpers/server-process.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read deep in these tests; a wrong shape fails the assertion.
type Json = Record<string, any>;

/** n8n 2.39's captured answers (GET /roles and the users routes), when the reference folder is beside the project. */
const SAMPLES_FILE = path.resolve(import.meta.dirname, '../../../shared/reference/n8n-2.39-surface-samples.json');
const samples: Json[] = (() => {
  try {
    return JSON.parse(readFileSync(SAMPLES_FILE, 'utf8'));
  } catch {
    return [];
  }
})();
const sample = (label: string) => samples.find((s) => s.label === label);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function call(method: string, url: string, key: string, payload?: unknown) {
  const res = await t.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { 'x-n8n-api-key': key },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: res.statusCode, body: (res.body ? res.json() : null) as Json };
}

const email = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

async function invite(address: string, role?: string) {
  const res = await call('POST', '/users', t.ownerKey, [{ email: address, ...(role ? { role } : {}) }]);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body[0].user as { id: string; email: string; role: string };
}

const keyFor = async (address: string, scopes: string[]) =>
  (await t.app.services.apiKeys.create({ label: address, scopes, userEmail: address })).key;

describe('users', () => {
  it('lists the owner with n8n’s fields, the role only with includeRole', async () => {
    const plain = await call('GET', '/users', t.ownerKey);
    expect(plain.status).toBe(200);
    expect(plain.body.data[0]).toEqual({
      id: expect.any(String),
      email: 'owner@flowgate.local',
      firstName: null,
      lastName: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      isPending: false,
      mfaEnabled: false,
    });
    const withRole = await call('GET', '/users?includeRole=true&limit=1', t.ownerKey);
    expect(withRole.body.data[0].role).toBe('global:owner');
    expect(Object.keys(withRole.body.data[0]).sort()).toEqual(
      Object.keys(sample('users list')?.response.data[0] ?? withRole.body.data[0]).sort(),
    );
  });

  it('invites with n8n’s answer, gives each a personal project, and answers someone invited already as they are', async () => {
    const address = email('Member');
    const res = await call('POST', '/users', t.ownerKey, [{ email: address, role: 'global:member' }]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      { user: { id: expect.any(String), email: address.toLowerCase(), emailSent: false, role: 'global:member' }, error: '' },
    ]);
    const { rows } = await t.app.runtime.sql.query(
      `SELECT p.type, p.name, r.role FROM project_relation r JOIN project p ON p.id = r.project_id WHERE r.user_id = $1`,
      [res.body[0].user.id],
    );
    expect(rows).toEqual([{ type: 'personal', name: `<${address.toLowerCase()}>`, role: 'project:personalOwner' }]);

    const again = await call('POST', '/users', t.ownerKey, [{ email: address.toUpperCase() }]);
    expect(again.body[0].user.id).toBe(res.body[0].user.id);

    const byEmail = await call('GET', `/users/${encodeURIComponent(address)}?includeRole=true`, t.ownerKey);
    expect(byEmail.body).toMatchObject({ id: res.body[0].user.id, isPending: true, role: 'global:member' });
    const byId = await call('GET', `/users/${res.body[0].user.id}`, t.ownerKey);
    expect(byId.body.role).toBeUndefined();
  });

  it('refuses what n8n refuses, in n8n’s words, and writes nothing', async () => {
    const before = (await call('GET', '/users?limit=250', t.ownerKey)).body.data.length;
    const badEmail = await call('POST', '/users', t.ownerKey, [{ email: 'not-an-email', role: 'global:member' }]);
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.message).toBe(
      sample('users invite: bad email')?.response.message ?? 'request/body/0/email must match format "email"',
    );
    const badRole = await call('POST', '/users', t.ownerKey, [{ email: email('ok') }, { email: email('boss'), role: 'global:boss' }]);
    expect(badRole.status).toBe(400);
    expect(badRole.body.message).toBe('Role global:boss does not exist');
    const owner = await call('POST', '/users', t.ownerKey, [{ email: email('second-owner'), role: 'global:owner' }]);
    expect(owner.status).toBe(400);
    expect((await call('GET', '/users?limit=250', t.ownerKey)).body.data.length).toBe(before);

    const unknown = await call('GET', '/users/00000000-0000-4000-8000-000000000000', t.ownerKey);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Could not find user with id: 00000000-0000-4000-8000-000000000000');
  });

  it('a key holds only what its user’s role allows: beyond it is a 400 naming the scopes', async () => {
    const address = email('scoped');
    await invite(address);
    await expect(keyFor(address, ['workflow:read', 'user:create', 'securityAudit:generate'])).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/does not allow scope\(s\): user:create, securityAudit:generate$/),
    });
    // A member may hold what their personal project and global role give: workflows, executions, tags, user:list.
    const key = await keyFor(address, ['workflow:*', 'execution:read', 'tag:list', 'user:list']);
    expect((await call('GET', '/users', key)).status).toBe(200);
    expect((await call('GET', `/users?includeRole=true`, key)).body.data.length).toBeGreaterThan(1);
    // The user is not pending once they have a key.
    expect((await call('GET', `/users/${encodeURIComponent(address)}`, t.ownerKey)).body.isPending).toBe(false);
    // What their personal project's role gives reaches that project only: the owner's workflows stay hidden.
    const ownersWorkflow = await call('POST', '/workflows', t.ownerKey, {
      name: 'Owner only',
      nodes: [],
      connections: {},
      settings: {},
    });
    expect(ownersWorkflow.status).toBe(200);
    const listed = await call('GET', '/workflows', key);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((w: Json) => w.id)).not.toContain(ownersWorkflow.body.id);
    expect((await call('GET', `/workflows/${ownersWorkflow.body.id}`, key)).status).toBe(404);
    // A '*' key is everything, so a member cannot hold one.
    await expect(keyFor(address, ['*'])).rejects.toMatchObject({ statusCode: 400 });
  });

  it('the CLI makes a key for any user, within their role, and names what is wrong', async () => {
    const person = await invite(email('cli'));
    const env = serverEnv({ DATABASE_URL: t.db.url });
    const args = (scopes: string, user: string) => ['api-key', 'create', '--label', 'cli', '--scopes', scopes, '--user', user, '--json'];
    const ok = await runCliAsync(args('user:list,tag:list', person.email.toUpperCase()), env);
    expect(ok.code, ok.stderr).toBe(0);
    const created = JSON.parse(ok.stdout);
    expect((await call('GET', '/users', created.apiKey)).status).toBe(200);
    const listed = (await call('GET', '/api-keys', t.ownerKey)).body.data.find((k: Json) => k.id === created.id);
    expect(listed.userId).toBe(person.id);

    const beyond = await runCliAsync(args('user:create', person.email), env);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain(
      `The role of user ${person.email} (global:member and their project roles) does not allow scope(s): user:create`,
    );
    const nobody = await runCliAsync(args('user:list', 'nobody@example.com'), env);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('Could not find user with email: nobody@example.com');
  }, 60_000);

  it('a demotion narrows the user’s keys at once, a promotion does not widen them beyond their scopes', async () => {
    const address = email('admin');
    const admin = await invite(address, 'global:admin');
    const key = await keyFor(address, ['user:create', 'user:list']);
    expect((await call('POST', '/users', key, [{ email: email('by-admin') }])).status).toBe(201);

    const demoted = await call('PATCH', `/users/${admin.id}/role`, t.ownerKey, { newRoleName: 'global:member' });
    expect(demoted.status).toBe(200);
    const refused = await call('POST', '/users', key, [{ email: email('after-demotion') }]);
    expect(refused.status).toBe(403);
    expect(refused.body.details).toMatchObject({ missingScopes: ['user:create'] });
    expect((await call('GET', '/users', key)).status).toBe(200);

    await call('PATCH', `/users/${admin.id}/role`, t.ownerKey, { newRoleName: 'global:admin' });
    expect((await call('POST', '/users', key, [{ email: email('after-promotion') }])).status).toBe(201);
    // Its scopes still bound it.
    expect((await call('DELETE', `/users/${admin.id}`, key)).status).toBe(403);
  });

  it('nobody changes the owner’s role or becomes owner', async () => {
    const owner = (await call('GET', '/users?includeRole=true', t.ownerKey)).body.data.find((u: Json) => u.role === 'global:owner');
    const own = await call('PATCH', `/users/${owner.id}/role`, t.ownerKey, { newRoleName: 'global:member' });
    expect(own).toMatchObject({ status: 403, body: { message: 'Owner cannot change role on global owner' } });
    const admin = await invite(email('admin2'), 'global:admin');
    const adminKey = await keyFor(admin.email, ['user:changeRole']);
    const byAdmin = await call('PATCH', `/users/${owner.id}/role`, adminKey, { newRoleName: 'global:member' });
    expect(byAdmin).toMatchObject({ status: 403, body: { message: 'Admin cannot change role on global owner' } });
    const promote = await call('PATCH', `/users/${admin.id}/role`, t.ownerKey, { newRoleName: 'global:owner' });
    expect(promote.status).toBe(400);
    const unknown = await call('PATCH', `/users/${admin.id}/role`, t.ownerKey, { newRoleName: 'project:editor' });
    expect(unknown).toMatchObject({ status: 400, body: { message: 'Role project:editor does not exist' } });
  });

  it('deleting a user revokes their keys at once; transferId hands their workflows to another user', async () => {
    const leaving = await invite(email('leaving'));
    const staying = await invite(email('staying'));
    const key = await keyFor(leaving.email, ['user:list']);
    const created = await call('POST', '/workflows', t.ownerKey, {
      name: 'Leaving’s workflow',
      nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
      connections: {},
      settings: {},
    });
    expect(created.status).toBe(200);
    const stayingProject = (await t.app.runtime.sql.query(`SELECT project_id FROM project_relation WHERE user_id = $1`, [staying.id]))
      .rows[0].project_id;
    // In the leaving user's personal project (workflows are made in the owner's until projects are chosen).
    const leavingProject = (await t.app.runtime.sql.query(`SELECT project_id FROM project_relation WHERE user_id = $1`, [leaving.id]))
      .rows[0].project_id;
    await t.app.runtime.sql.query('UPDATE workflow SET project_id = $2 WHERE id = $1', [created.body.id, leavingProject]);

    const self = await call('DELETE', `/users/${(await call('GET', '/users?includeRole=true', t.ownerKey)).body.data[0].id}`, t.ownerKey);
    expect(self.status).toBe(400);
    const same = await call('DELETE', `/users/${leaving.id}?transferId=${leaving.id}`, t.ownerKey);
    expect(same.status).toBe(400);

    const deleted = await call('DELETE', `/users/${leaving.id}?transferId=${staying.id}`, t.ownerKey);
    expect(deleted.status).toBe(204);
    expect((await call('GET', '/users', key)).status).toBe(401);
    expect((await call('GET', `/users/${leaving.id}`, t.ownerKey)).status).toBe(404);
    const { rows } = await t.app.runtime.sql.query('SELECT project_id FROM workflow WHERE id = $1', [created.body.id]);
    expect(rows).toEqual([{ project_id: stayingProject }]);
    const { rows: projects } = await t.app.runtime.sql.query('SELECT id FROM project WHERE id = $1', [leavingProject]);
    expect(projects).toEqual([]);

    // To the owner: into the owner's personal project.
    const toOwner = await invite(email('to-owner'));
    const toOwnerProject = (await t.app.runtime.sql.query(`SELECT project_id FROM project_relation WHERE user_id = $1`, [toOwner.id]))
      .rows[0].project_id;
    await t.app.runtime.sql.query('UPDATE workflow SET project_id = $2 WHERE id = $1', [created.body.id, toOwnerProject]);
    const owner = (await call('GET', '/users?includeRole=true', t.ownerKey)).body.data.find((u: Json) => u.role === 'global:owner');
    expect((await call('DELETE', `/users/${toOwner.id}?transferId=${owner.id}`, t.ownerKey)).status).toBe(204);
    const ownersProject = await t.app.services.projects.defaultProject();
    expect((await t.app.runtime.sql.query('SELECT project_id FROM workflow WHERE id = $1', [created.body.id])).rows).toEqual([
      { project_id: ownersProject.id },
    ]);

    // Without transferId their personal project goes with its content.
    const alone = await invite(email('alone'));
    const aloneProject = (await t.app.runtime.sql.query(`SELECT project_id FROM project_relation WHERE user_id = $1`, [alone.id])).rows[0]
      .project_id;
    await t.app.runtime.sql.query('UPDATE workflow SET project_id = $2 WHERE id = $1', [created.body.id, aloneProject]);
    expect((await call('DELETE', `/users/${encodeURIComponent(alone.email)}`, t.ownerKey)).status).toBe(204);
    expect((await t.app.runtime.sql.query('SELECT id FROM workflow WHERE id = $1', [created.body.id])).rows).toEqual([]);
  });
});

describe('roles', () => {
  it('lists n8n’s system roles with n8n’s scopes, shapes and descriptions', async () => {
    const res = await call('GET', '/roles', t.ownerKey);
    expect(res.status).toBe(200);
    expect(res.body.global.map((r: Json) => r.slug)).toEqual(['global:owner', 'global:admin', 'global:member', 'global:chatUser']);
    expect(res.body.project.map((r: Json) => r.slug)).toEqual([
      'project:admin',
      'project:personalOwner',
      'project:editor',
      'project:viewer',
      'project:chatUser',
    ]);
    const captured = sample('roles list')?.response;
    if (captured) {
      for (const kind of ['global', 'project']) {
        for (const role of captured[kind]) {
          const ours = res.body[kind].find((r: Json) => r.slug === role.slug);
          expect(Object.keys(ours).sort(), role.slug).toEqual(Object.keys(role).sort());
          // Unlicensed n8n marks some roles licensed: false; here nothing needs a license.
          expect(ours.licensed, role.slug).toBe(true);
          expect({ ...ours, scopes: [...ours.scopes].sort(), createdAt: 0, updatedAt: 0, licensed: 0 }, role.slug).toEqual({
            ...role,
            scopes: [...role.scopes].sort(),
            createdAt: 0,
            updatedAt: 0,
            licensed: 0,
          });
        }
      }
    }
    const one = await call('GET', '/roles/global:member?withUsageCount=true', t.ownerKey);
    expect(one.body).toMatchObject({ slug: 'global:member', systemRole: true, usedByUsers: expect.any(Number) });
    expect(one.body.usedByUsers).toBeGreaterThan(0);
    expect((await call('GET', '/roles/global:boss', t.ownerKey)).status).toBe(404);
  });

  it('custom roles: create, change (its holders follow), delete with reassignment; system roles stay as they are', async () => {
    const created = await call('POST', '/roles', t.ownerKey, {
      displayName: 'User Directory',
      description: 'Reads the user list',
      roleType: 'global',
      scopes: ['user:list', 'user:read'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ slug: 'global:user-directory', systemRole: false, roleType: 'global', licensed: true });

    const bad = await call('POST', '/roles', t.ownerKey, { displayName: 'Bad', roleType: 'project', scopes: ['user:create'] });
    expect(bad).toMatchObject({ status: 400, body: { message: 'Unknown scope(s) for a project role: user:create' } });

    const person = await invite(email('directory'), created.body.slug);
    const key = await keyFor(person.email, ['user:list', 'user:read']);
    expect((await call('GET', '/users', key)).status).toBe(200);

    const narrowed = await call('PUT', `/roles/${created.body.slug}`, t.ownerKey, { displayName: 'User Directory', scopes: ['user:read'] });
    expect(narrowed.status).toBe(200);
    expect((await call('GET', '/users', key)).status).toBe(403);
    expect((await call('GET', `/users/${person.id}`, key)).status).toBe(200);

    const system = await call('PUT', '/roles/global:member', t.ownerKey, { displayName: 'Member', scopes: [] });
    expect(system.status).toBe(400);

    const held = await call('DELETE', `/roles/${created.body.slug}`, t.ownerKey);
    expect(held.status).toBe(400);
    const deleted = await call('DELETE', `/roles/${created.body.slug}?reassignRoleSlug=global:member`, t.ownerKey);
    expect(deleted.status).toBe(200);
    expect((await call('GET', `/users/${person.id}?includeRole=true`, t.ownerKey)).body.role).toBe('global:member');
    expect((await call('GET', `/roles/${created.body.slug}`, t.ownerKey)).status).toBe(404);
  });
});
