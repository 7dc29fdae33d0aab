import { newId } from '../../src/lib/ids.ts';
import { asCaller, ownerPrincipal } from './principals.ts';
import type { TestApp } from './test-app.ts';

export interface SampleRequest {
  url: string;
  payload?: unknown;
}

/**
 * One valid request per route, keyed by `METHOD pattern`. The auth matrix uses it to prove each route answers
 * 401, 403 and 2xx as it should; a route without an entry here fails that test, so new routes must add one.
 */
/** A small valid workflow body (a webhook trigger feeding a Set node). */
export function sampleWorkflowBody(name = 'Fixture workflow') {
  return {
    name,
    nodes: [
      // A path of its own: two active workflows may not share one.
      { name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path: `fixture-${newId()}` } },
      { name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3, position: [200, 0], parameters: {} },
    ],
    connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

const OWNER = asCaller(ownerPrincipal());

async function fixtureWorkflow(t: TestApp) {
  return t.app.services.workflows.create(sampleWorkflowBody() as never, OWNER);
}

/** A finished execution: `error` ends in Stop and Error (so it can be retried), `waiting` parks in a long Wait. */
export async function fixtureExecution(t: TestApp, outcome: 'error' | 'success' | 'waiting' = 'error') {
  const last =
    outcome === 'error'
      ? {
          name: 'Last',
          type: 'n8n-nodes-base.stopAndError',
          typeVersion: 1,
          position: [200, 0],
          parameters: { errorMessage: 'fixture failure' },
        }
      : outcome === 'waiting'
        ? { name: 'Last', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [200, 0], parameters: { amount: 1, unit: 'hours' } }
        : { name: 'Last', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} };
  const workflow = await t.app.services.workflows.create(
    {
      name: `Execution fixture (${outcome})`,
      nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, last],
      connections: { Start: { main: [[{ node: 'Last', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1' },
    } as never,
    OWNER,
  );
  const run = await t.app.services.executions.run(workflow.id, {}, true, OWNER.grant);
  if (!run.execution) throw new Error('fixture execution did not finish');
  return run.execution;
}

async function fixtureCredential(t: TestApp) {
  return t.app.services.credentials.create({ name: 'Fixture', type: 'httpBearerAuth', data: { token: 'fixture-token' } }, OWNER.grant);
}

async function fixtureUser(t: TestApp) {
  const [invited] = await t.app.services.users.invite([{ email: `user-${newId(8).toLowerCase()}@example.com` }]);
  return invited!.user;
}

async function fixtureRole(t: TestApp) {
  return t.app.services.roles.create({ displayName: `Fixture ${newId(6)}`, roleType: 'project', scopes: ['workflow:read'] });
}

/** The owner as the server knows them (their real user id), for what records who did it (a project's creator). */
async function realOwner(t: TestApp) {
  const principal = await t.app.services.apiKeys.authenticate(t.ownerKey);
  if (!principal) throw new Error('the test app’s owner key does not authenticate');
  return asCaller(principal);
}

async function fixtureTeamProject(t: TestApp) {
  return t.app.services.projects.create(`Fixture team ${newId(6)}`, (await realOwner(t)).grant);
}

/** A team project with one invited member (project:viewer). */
async function fixtureMembership(t: TestApp) {
  const project = await fixtureTeamProject(t);
  const user = await fixtureUser(t);
  await t.app.services.projects.addMembers(project.id, [{ userId: user.id, role: 'project:viewer' }], (await realOwner(t)).grant);
  return { project, user };
}

async function fixtureVariable(t: TestApp) {
  return t.app.services.variables.create({ key: `FIXTURE_${newId(8)}`, value: 'v' }, OWNER.grant);
}

export const ROUTE_FIXTURES: Record<string, (t: TestApp) => Promise<SampleRequest>> = {
  'GET /api/v1/variables': async () => ({ url: '/api/v1/variables' }),
  'POST /api/v1/variables': async () => ({ url: '/api/v1/variables', payload: { key: `NEW_${newId(8)}`, value: 'value' } }),
  'PUT /api/v1/variables/:id': async (t) => ({
    url: `/api/v1/variables/${(await fixtureVariable(t)).id}`,
    payload: { key: `CHANGED_${newId(8)}`, value: 'changed' },
  }),
  'DELETE /api/v1/variables/:id': async (t) => ({ url: `/api/v1/variables/${(await fixtureVariable(t)).id}` }),
  'GET /api/v1/projects': async () => ({ url: '/api/v1/projects' }),
  'POST /api/v1/projects': async () => ({ url: '/api/v1/projects', payload: { name: `Team ${newId(6)}` } }),
  'PUT /api/v1/projects/:projectId': async (t) => ({
    url: `/api/v1/projects/${(await fixtureTeamProject(t)).id}`,
    payload: { name: 'Renamed team' },
  }),
  'DELETE /api/v1/projects/:projectId': async (t) => ({ url: `/api/v1/projects/${(await fixtureTeamProject(t)).id}` }),
  'GET /api/v1/projects/:projectId/users': async (t) => ({ url: `/api/v1/projects/${(await fixtureMembership(t)).project.id}/users` }),
  'POST /api/v1/projects/:projectId/users': async (t) => {
    const project = await fixtureTeamProject(t);
    const user = await fixtureUser(t);
    return { url: `/api/v1/projects/${project.id}/users`, payload: { relations: [{ userId: user.id, role: 'project:editor' }] } };
  },
  'PATCH /api/v1/projects/:projectId/users/:userId': async (t) => {
    const { project, user } = await fixtureMembership(t);
    return { url: `/api/v1/projects/${project.id}/users/${user.id}`, payload: { role: 'project:editor' } };
  },
  'DELETE /api/v1/projects/:projectId/users/:userId': async (t) => {
    const { project, user } = await fixtureMembership(t);
    return { url: `/api/v1/projects/${project.id}/users/${user.id}` };
  },
  'GET /api/v1/users': async () => ({ url: '/api/v1/users' }),
  'POST /api/v1/users': async () => ({ url: '/api/v1/users', payload: [{ email: `invited-${newId(8).toLowerCase()}@example.com` }] }),
  'GET /api/v1/users/:id': async (t) => ({ url: `/api/v1/users/${(await fixtureUser(t)).id}` }),
  'DELETE /api/v1/users/:id': async (t) => ({ url: `/api/v1/users/${(await fixtureUser(t)).id}` }),
  'PATCH /api/v1/users/:id/role': async (t) => ({
    url: `/api/v1/users/${(await fixtureUser(t)).id}/role`,
    payload: { newRoleName: 'global:admin' },
  }),
  'GET /api/v1/roles': async () => ({ url: '/api/v1/roles' }),
  'GET /api/v1/roles/:slug': async () => ({ url: '/api/v1/roles/project:editor' }),
  'POST /api/v1/roles': async () => ({
    url: '/api/v1/roles',
    payload: { displayName: `Matrix ${newId(6)}`, roleType: 'project', scopes: ['workflow:read', 'workflow:list'] },
  }),
  'PUT /api/v1/roles/:slug': async (t) => ({
    url: `/api/v1/roles/${(await fixtureRole(t)).slug}`,
    payload: { displayName: 'Renamed fixture role', scopes: ['workflow:read', 'workflow:update'] },
  }),
  'DELETE /api/v1/roles/:slug': async (t) => ({ url: `/api/v1/roles/${(await fixtureRole(t)).slug}` }),
  'GET /healthz': async () => ({ url: '/healthz' }),
  'GET /healthz/readiness': async () => ({ url: '/healthz/readiness' }),
  'GET /api/v1/openapi.json': async () => ({ url: '/api/v1/openapi.json' }),
  'GET /api/v1/api-keys': async () => ({ url: '/api/v1/api-keys' }),
  'POST /api/v1/api-keys': async () => ({
    url: '/api/v1/api-keys',
    // Only scopes the caller holds: a key with exactly apiKey:create may mint another such key.
    payload: { label: 'matrix', scopes: ['apiKey:create'] },
  }),
  'DELETE /api/v1/api-keys/:id': async (t) => {
    // Only keys whose scopes the caller holds: a key with exactly apiKey:delete may revoke another such key.
    const { apiKey } = await t.app.services.apiKeys.create({ label: 'to revoke', scopes: ['apiKey:delete'] });
    return { url: `/api/v1/api-keys/${apiKey.id}` };
  },
  'POST /api/v1/workflows': async () => ({ url: '/api/v1/workflows', payload: sampleWorkflowBody() }),
  'GET /api/v1/workflows': async () => ({ url: '/api/v1/workflows' }),
  'GET /api/v1/workflows/:id': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}` }),
  'PUT /api/v1/workflows/:id': async (t) => ({
    url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}`,
    payload: sampleWorkflowBody('Replaced'),
  }),
  'PATCH /api/v1/workflows/:id': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}`, payload: { name: 'Patched' } }),
  'DELETE /api/v1/workflows/:id': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}` }),
  'POST /api/v1/workflows/:id/activate': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/activate` }),
  'POST /api/v1/workflows/:id/deactivate': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/deactivate` }),
  'POST /api/v1/workflows/:id/archive': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/archive` }),
  'POST /api/v1/workflows/:id/unarchive': async (t) => {
    const workflow = await fixtureWorkflow(t);
    await t.app.services.workflowPublishing.archive(workflow.id, OWNER);
    return { url: `/api/v1/workflows/${workflow.id}/unarchive` };
  },
  'PUT /api/v1/workflows/:id/transfer': async (t) => {
    const workflow = await fixtureWorkflow(t);
    const project = await fixtureTeamProject(t);
    return { url: `/api/v1/workflows/${workflow.id}/transfer`, payload: { destinationProjectId: project.id } };
  },
  'GET /api/v1/workflows/:id/tags': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/tags` }),
  'PUT /api/v1/workflows/:id/tags': async (t) => {
    const tag = await t.app.services.tags.create(`t-${newId(8)}`);
    return { url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/tags`, payload: [{ id: tag.id }] };
  },
  'GET /api/v1/workflows/:id/history': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/history` }),
  'GET /api/v1/workflows/:id/versions/:versionId': async (t) => {
    const workflow = await fixtureWorkflow(t);
    return { url: `/api/v1/workflows/${workflow.id}/versions/${workflow.versionId}` };
  },
  'GET /api/v1/workflows/:id/:versionId': async (t) => {
    const workflow = await fixtureWorkflow(t);
    return { url: `/api/v1/workflows/${workflow.id}/${workflow.versionId}` };
  },
  'POST /api/v1/workflows/:id/versions/:versionId/restore': async (t) => {
    const workflow = await fixtureWorkflow(t);
    return { url: `/api/v1/workflows/${workflow.id}/versions/${workflow.versionId}/restore` };
  },
  'GET /api/v1/tags': async () => ({ url: '/api/v1/tags' }),
  'POST /api/v1/tags': async () => ({ url: '/api/v1/tags', payload: { name: `t-${newId(8)}` } }),
  'GET /api/v1/tags/:id': async (t) => ({ url: `/api/v1/tags/${(await t.app.services.tags.create(`t-${newId(8)}`)).id}` }),
  'PUT /api/v1/tags/:id': async (t) => ({
    url: `/api/v1/tags/${(await t.app.services.tags.create(`t-${newId(8)}`)).id}`,
    payload: { name: `t-${newId(8)}` },
  }),
  'DELETE /api/v1/tags/:id': async (t) => ({ url: `/api/v1/tags/${(await t.app.services.tags.create(`t-${newId(8)}`)).id}` }),
  'POST /api/v1/credentials': async () => ({
    url: '/api/v1/credentials',
    payload: { name: 'Fixture', type: 'httpBearerAuth', data: { token: 'fixture-token' } },
  }),
  'GET /api/v1/credentials': async () => ({ url: '/api/v1/credentials' }),
  'GET /api/v1/credentials/:id': async (t) => ({ url: `/api/v1/credentials/${(await fixtureCredential(t)).id}` }),
  'PATCH /api/v1/credentials/:id': async (t) => ({
    url: `/api/v1/credentials/${(await fixtureCredential(t)).id}`,
    payload: { name: 'Renamed' },
  }),
  'DELETE /api/v1/credentials/:id': async (t) => ({ url: `/api/v1/credentials/${(await fixtureCredential(t)).id}` }),
  'PUT /api/v1/credentials/:id/transfer': async (t) => {
    const project = await fixtureTeamProject(t);
    return { url: `/api/v1/credentials/${(await fixtureCredential(t)).id}/transfer`, payload: { destinationProjectId: project.id } };
  },
  'GET /api/v1/credentials/schema/:credentialTypeName': async () => ({ url: '/api/v1/credentials/schema/httpBasicAuth' }),
  'GET /rest/settings': async () => ({ url: '/rest/settings' }),
  'POST /api/v1/workflows/:id/publish': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/publish` }),
  'POST /api/v1/workflows/:id/unpublish': async (t) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t)).id}/unpublish` }),
  'GET /api/v1/executions': async () => ({ url: '/api/v1/executions' }),
  'GET /api/v1/executions/:id': async (t) => ({ url: `/api/v1/executions/${(await fixtureExecution(t)).id}` }),
  'DELETE /api/v1/executions/:id': async (t) => ({ url: `/api/v1/executions/${(await fixtureExecution(t)).id}` }),
  'POST /api/v1/executions/:id/retry': async (t) => ({ url: `/api/v1/executions/${(await fixtureExecution(t)).id}/retry`, payload: {} }),
  'POST /api/v1/executions/:id/stop': async (t) => ({ url: `/api/v1/executions/${(await fixtureExecution(t, 'waiting')).id}/stop` }),
  'POST /api/v1/executions/stop': async (t) => {
    await fixtureExecution(t, 'waiting');
    return { url: '/api/v1/executions/stop', payload: { status: ['waiting'] } };
  },
  'GET /api/v1/executions/:id/tags': async (t) => ({ url: `/api/v1/executions/${(await fixtureExecution(t)).id}/tags` }),
  'PUT /api/v1/executions/:id/tags': async (t) => ({ url: `/api/v1/executions/${(await fixtureExecution(t)).id}/tags`, payload: [] }),
  'GET /api/v1/annotation-tags': async () => ({ url: '/api/v1/annotation-tags' }),
  'POST /api/v1/annotation-tags': async () => ({ url: '/api/v1/annotation-tags', payload: { name: `a-${newId()}`.slice(0, 24) } }),
  'POST /api/v1/workflows/:id/run': async (t) => {
    const execution = await fixtureExecution(t, 'success');
    return { url: `/api/v1/workflows/${execution.workflowId}/run`, payload: { items: [{ a: 1 }] } };
  },
};
