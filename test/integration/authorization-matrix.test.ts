import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/modules/api-keys/scopes.ts';
import { roleScopesFor } from '../../src/modules/roles/access.ts';
import { SYSTEM_ROLES } from '../../src/modules/roles/system-roles.ts';
import { addMembers, FIXTURE_SECRET, type FixtureContext, newTeamProject, ROUTE_FIXTURES } from '../helpers/route-fixtures.ts';
import { invite, type Json, uniqueEmail } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Every route × every kind of caller, generated from the route contracts: the owner, an admin, members holding
 * project:admin, project:editor and project:viewer in the project the request touches, a member outside it, and
 * an owner's key lacking the route's scope. What each may do is derived here from n8n's role scopes (the system
 * roles' lists) and the route's scopes, independently of how the server decides it; each case runs on a fresh
 * project, so a destructive route meets the same state for every caller.
 */

type Outcome = 'ok' | 403 | 404;
type Actor = 'owner' | 'admin' | 'projectAdmin' | 'editor' | 'viewer' | 'outsider' | 'lackingScope';
const ACTORS: Actor[] = ['owner', 'admin', 'projectAdmin', 'editor', 'viewer', 'outsider', 'lackingScope'];
const PROJECT_ROLE: Partial<Record<Actor, string>> = { projectAdmin: 'project:admin', editor: 'project:editor', viewer: 'project:viewer' };
const MEMBERS: Actor[] = ['projectAdmin', 'editor', 'viewer', 'outsider'];

/**
 * How a route meets projects. `project`: it touches what one project holds (a 404 for who cannot see that project,
 * a 403 for who sees it without the role). `list`: it lists across projects (the fixture's item shows exactly to who
 * sees its project). `personal`: it makes something in the caller's personal project. `global`: no project, the
 * global role decides. Routes not named here are `project`.
 */
const KIND: Record<string, 'list' | 'personal' | 'global'> = {
  'GET /api/v1/workflows': 'list',
  'GET /api/v1/executions': 'list',
  'GET /api/v1/credentials': 'list',
  'GET /api/v1/projects': 'list',
  'GET /api/v1/variables': 'list',
  'GET /api/v1/data-tables': 'list',
  'POST /api/v1/workflows': 'personal',
  'POST /api/v1/projects': 'global',
  'GET /api/v1/users': 'global',
  'POST /api/v1/users': 'global',
  'GET /api/v1/users/:id': 'global',
  'DELETE /api/v1/users/:id': 'global',
  'PATCH /api/v1/users/:id/role': 'global',
  'GET /api/v1/roles': 'global',
  'GET /api/v1/roles/:slug': 'global',
  'POST /api/v1/roles': 'global',
  'PUT /api/v1/roles/:slug': 'global',
  'DELETE /api/v1/roles/:slug': 'global',
  'GET /api/v1/api-keys': 'global',
  'POST /api/v1/api-keys': 'global',
  'DELETE /api/v1/api-keys/:id': 'global',
  'GET /api/v1/tags': 'global',
  'POST /api/v1/tags': 'global',
  'GET /api/v1/tags/:id': 'global',
  'PUT /api/v1/tags/:id': 'global',
  'DELETE /api/v1/tags/:id': 'global',
  'GET /api/v1/annotation-tags': 'global',
  'GET /api/v1/insights/summary': 'global',
  'POST /api/v1/audit': 'global',
  'GET /api/v1/node-types': 'list',
  'GET /api/v1/settings/otel': 'global',
  'PUT /api/v1/settings/otel': 'global',
  'POST /api/v1/settings/otel/test-trace': 'global',
  'POST /api/v1/annotation-tags': 'global',
};

/** Where the generic rule does not tell the whole story, and why. */
const MEMBER_OVERRIDES: Record<string, Outcome> = {
  // The key revoked is the owner's: another user's key is "not found" to whoever lacks apiKey:manage.
  'DELETE /api/v1/api-keys/:id': 404,
};

const ROLE_SCOPES = new Map(SYSTEM_ROLES.map((role) => [role.slug, new Set(role.scopes)]));
const grantsAll = (roles: readonly string[], keyScopes: readonly string[]) =>
  keyScopes.every((keyScope) => roleScopesFor(keyScope).some((scope) => roles.some((role) => ROLE_SCOPES.get(role)?.has(scope))));

/** What n8n's roles let this caller do with this route: the oracle. */
function expected(route: string, scopes: readonly string[], actor: Actor): Outcome {
  if (actor === 'lackingScope') return 403;
  if (actor === 'owner' || actor === 'admin') return 'ok';
  const global = ['global:member'];
  // Every member is project:admin of the anchor project and owns a personal project (see beforeAll).
  const anywhere = [...global, 'project:personalOwner', 'project:admin'];
  const inProject = PROJECT_ROLE[actor];
  const kind = KIND[route] ?? 'project';
  if (kind === 'global') return grantsAll(global, scopes) ? (MEMBER_OVERRIDES[route] ?? 'ok') : 403;
  if (kind === 'personal') return grantsAll([...global, 'project:personalOwner'], scopes) ? 'ok' : 403;
  if (!grantsAll(anywhere, scopes)) return 403;
  if (kind === 'list') return 'ok';
  if (!inProject) return 404;
  return grantsAll([...global, inProject], scopes) ? 'ok' : 403;
}

let t: TestApp;
const keys = {} as Record<Actor, string>;
const users = {} as Record<Actor, { id: string }>;
let anchor = '';

/** A key of `email` with every scope their roles allow (the server names those it refuses; they are left out). */
async function keyWithEverythingAllowed(email: string): Promise<string> {
  try {
    return (await t.app.services.apiKeys.create({ label: email, scopes: ['*'], userEmail: email })).key;
  } catch {
    const allowed: string[] = [];
    for (const scope of SCOPES) {
      const made = await t.app.services.apiKeys.create({ label: 'probe', scopes: [scope], userEmail: email }).catch(() => null);
      if (made) allowed.push(scope);
    }
    return (await t.app.services.apiKeys.create({ label: email, scopes: allowed, userEmail: email })).key;
  }
}

beforeAll(async () => {
  t = await buildTestApp();
  keys.owner = t.ownerKey;
  const admin = await invite(t, uniqueEmail('matrix-admin'), 'global:admin');
  keys.admin = await keyWithEverythingAllowed(admin.email);
  // The anchor: a project every member administers, so their keys may hold the project scopes, and where transfers go.
  anchor = (await newTeamProject(t, 'Matrix anchor')).id;
  for (const actor of MEMBERS) {
    const user = await invite(t, uniqueEmail(`matrix-${actor}`));
    users[actor] = user;
    await addMembers(t, anchor, [{ userId: user.id, role: 'project:admin' }]);
    keys[actor] = await keyWithEverythingAllowed(user.email);
  }
}, 120_000);
afterAll(() => t.close());

/** A fresh project for one case, with the members in their roles. */
async function caseContext(): Promise<FixtureContext> {
  const project = await newTeamProject(t, `Matrix case ${FIXTURE_SECRET}`);
  await addMembers(
    t,
    project.id,
    MEMBERS.flatMap((actor) => (PROJECT_ROLE[actor] ? [{ userId: users[actor].id, role: PROJECT_ROLE[actor] }] : [])),
  );
  return { projectId: project.id, destinationProjectId: anchor };
}

async function lackingKey(scopes: readonly string[]) {
  const other = ['annotationTag:list', 'tag:list'].find((s) => !scopes.includes(s))!;
  return t.createKey([other], 'lacking the route’s scope');
}

/** The ids of every item of a list, page after page. */
async function everyIdListed(url: string, key: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await t.app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}${query}`, headers: { 'x-n8n-api-key': key } });
    const body = page.json() as Json;
    ids.push(...(body.data as Json[]).map((item) => String(item.id)));
    cursor = body.nextCursor ?? null;
  } while (cursor);
  return ids;
}

describe('authorization matrix', () => {
  it('covers every route that takes a scoped key', () => {
    const covered = routes().map((r) => `${r.method} ${r.url}`);
    expect(covered.filter((key) => !ROUTE_FIXTURES[key])).toEqual([]);
    expect(Object.keys(KIND).filter((key) => !covered.includes(key))).toEqual([]);
  });

  it('answers each caller as their roles in the project touched allow, and leaks nothing they may not see', async () => {
    const mismatches: string[] = [];
    let cases = 0;
    for (const route of routes()) {
      const name = `${route.method} ${route.url}`;
      for (const actor of ACTORS) {
        const ctx = await caseContext();
        const sample = await ROUTE_FIXTURES[name]!(t, ctx);
        const key = actor === 'lackingScope' ? await lackingKey(route.scopes) : keys[actor];
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: sample.url,
          headers: { 'x-n8n-api-key': key },
          ...(sample.payload !== undefined ? { payload: sample.payload as object } : {}),
        });
        cases++;
        const want = expected(name, route.scopes, actor);
        const got = res.statusCode;
        const ok = want === 'ok' ? got >= 200 && got < 300 : got === want;
        if (!ok) mismatches.push(`${name} as ${actor}: expected ${want}, got ${got} ${res.body.slice(0, 200)}`);
        // Refusals say nothing of what was asked for: no names, no values.
        if (got >= 400 && res.body.includes(FIXTURE_SECRET)) mismatches.push(`${name} as ${actor}: the ${got} answer leaks ${res.body}`);
        // A list shows the case project's item exactly to who may see that project.
        if (sample.listed && got === 200) {
          const sees = actor === 'owner' || actor === 'admin' || actor === 'lackingScope' || PROJECT_ROLE[actor] !== undefined;
          if ((await everyIdListed(sample.url, key)).includes(sample.listed) !== sees) {
            mismatches.push(`${name} as ${actor}: the case project's item ${sees ? 'is missing' : 'leaks into the list'}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases).toBe(routes().length * ACTORS.length);
  }, 300_000);
});

function routes() {
  return t.app.routeContracts.filter((r) => r.method !== 'HEAD' && !r.hidden && !r.public && !r.anyKey);
}
