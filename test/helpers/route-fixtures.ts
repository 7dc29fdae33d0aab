import { newId } from '../../src/lib/ids.ts';
import { asCaller, ownerPrincipal } from './principals.ts';
import type { TestApp } from './test-app.ts';

export interface SampleRequest {
  url: string;
  payload?: unknown;
  /** For a list route: the id of an item of the context's project the list must show exactly to those who see it. */
  listed?: string;
}

/**
 * Where a fixture puts what it makes: `projectId` holds the workflows, executions, credentials, variables and
 * folders (the owner's personal project when absent); `destinationProjectId` is where transfers go (a new team
 * project when absent).
 */
export interface FixtureContext {
  projectId?: string;
  destinationProjectId?: string;
}

/** A name no answer to someone who may not see it must ever contain (the authorization matrix looks for it). */
export const FIXTURE_SECRET = 'matrix-secret';

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

async function fixtureWorkflow(t: TestApp, ctx: FixtureContext = {}, body: object = sampleWorkflowBody(`Fixture ${FIXTURE_SECRET}`)) {
  const workflow = await t.app.services.workflows.create(body as never, OWNER);
  if (!ctx.projectId) return workflow;
  await t.app.services.workflows.transfer(workflow.id, ctx.projectId, OWNER.grant);
  return { ...workflow, projectId: ctx.projectId };
}

/** A finished execution: `error` ends in Stop and Error (so it can be retried), `waiting` parks in a long Wait. */
export async function fixtureExecution(t: TestApp, outcome: 'error' | 'success' | 'waiting' = 'error', ctx: FixtureContext = {}) {
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
  const workflow = await fixtureWorkflow(t, ctx, {
    name: `Execution fixture (${outcome})`,
    nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, last],
    connections: { Start: { main: [[{ node: 'Last', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  });
  const run = await t.app.services.executions.run(workflow.id, {}, true, OWNER.grant);
  if (!run.execution) throw new Error('fixture execution did not finish');
  return run.execution;
}

async function fixtureCredential(t: TestApp, ctx: FixtureContext = {}) {
  return t.app.services.credentials.create(
    { name: `Fixture ${FIXTURE_SECRET}`, type: 'httpBearerAuth', data: { token: 'fixture-token' }, projectId: ctx.projectId },
    OWNER.grant,
  );
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

/** A new team project of the owner's. */
export async function newTeamProject(t: TestApp, name = `Fixture team ${newId(6)}`) {
  return t.app.services.projects.create(name, (await realOwner(t)).grant);
}

/** The context's project, else a new team project. */
async function fixtureTeamProject(t: TestApp, ctx: FixtureContext = {}) {
  return ctx.projectId ? { id: ctx.projectId } : newTeamProject(t);
}

const destinationOf = async (t: TestApp, ctx: FixtureContext) => ctx.destinationProjectId ?? (await newTeamProject(t)).id;

/** Adds members to a project as the owner. */
export async function addMembers(t: TestApp, projectId: string, relations: { userId: string; role: string }[]) {
  await t.app.services.projects.addMembers(projectId, relations, (await realOwner(t)).grant);
}

/** A team project with one invited member (project:viewer). */
async function fixtureMembership(t: TestApp, ctx: FixtureContext = {}) {
  const project = await fixtureTeamProject(t, ctx);
  const user = await fixtureUser(t);
  await addMembers(t, project.id, [{ userId: user.id, role: 'project:viewer' }]);
  return { project, user };
}

async function fixtureVariable(t: TestApp, ctx: FixtureContext = {}) {
  return t.app.services.variables.create({ key: `FIXTURE_${newId(8)}`, value: FIXTURE_SECRET, projectId: ctx.projectId }, OWNER.grant);
}

async function fixtureFolder(t: TestApp, ctx: FixtureContext = {}) {
  const project = await fixtureTeamProject(t, ctx);
  const folder = await t.app.services.folders.create(project.id, { name: `Folder ${FIXTURE_SECRET}` }, OWNER.grant);
  return { project, folder };
}

async function fixtureDataTable(t: TestApp, ctx: FixtureContext = {}) {
  const table = await t.app.services.dataTables.create(
    {
      name: `Table ${FIXTURE_SECRET} ${newId(6)}`,
      columns: [
        { name: 'email', type: 'string' },
        { name: 'score', type: 'number' },
      ],
      projectId: ctx.projectId,
    },
    OWNER.grant,
  );
  await t.app.services.dataTables.insert(table.id, [{ email: 'a@x.io', score: 1 }], OWNER.grant);
  return table;
}

const rowFilter = { type: 'and', filters: [{ columnName: 'email', condition: 'eq', value: 'a@x.io' }] };

export const ROUTE_FIXTURES: Record<string, (t: TestApp, ctx: FixtureContext) => Promise<SampleRequest>> = {
  'GET /api/v1/insights/summary': async () => ({ url: '/api/v1/insights/summary' }),
  'POST /api/v1/credentials/:id/oauth2/authorize': async (t, ctx) => {
    const credential = await t.app.services.credentials.create(
      {
        name: `Fixture OAuth2 ${FIXTURE_SECRET}`,
        type: 'oAuth2Api',
        data: {
          authUrl: 'https://idp.example.com/authorize',
          accessTokenUrl: 'https://idp.example.com/token',
          clientId: 'id',
          clientSecret: 'secret',
        },
        projectId: ctx.projectId,
      },
      OWNER.grant,
    );
    return { url: `/api/v1/credentials/${credential.id}/oauth2/authorize` };
  },
  'POST /api/v1/credentials/:id/test': async (t, ctx) => ({ url: `/api/v1/credentials/${(await fixtureCredential(t, ctx)).id}/test` }),
  'POST /api/v1/audit': async () => ({ url: '/api/v1/audit', payload: { additionalOptions: { categories: ['instance'] } } }),
  'GET /api/v1/settings/otel': async () => ({ url: '/api/v1/settings/otel' }),
  'PUT /api/v1/settings/otel': async () => ({
    url: '/api/v1/settings/otel',
    payload: {
      enabled: false,
      exporterEndpoint: 'http://127.0.0.1:4318',
      exporterTracingPath: '/v1/traces',
      exporterServiceName: 'flowgate-matrix',
      exporterHeaders: '',
      tracesSampleRate: 1,
      startupConnectivityTimeoutMs: 500,
      includeNodeSpans: true,
      injectOutbound: false,
      productionExecutionsOnly: false,
    },
  }),
  'POST /api/v1/settings/otel/test-trace': async () => ({
    url: '/api/v1/settings/otel/test-trace',
    payload: {
      exporterEndpoint: 'http://127.0.0.1:9',
      exporterTracingPath: '/v1/traces',
      exporterServiceName: 'x',
      exporterHeaders: '',
      startupConnectivityTimeoutMs: 300,
    },
  }),
  'GET /api/v1/node-types': async () => ({ url: '/api/v1/node-types' }),
  'GET /api/v1/discover': async () => ({ url: '/api/v1/discover?include=schemas' }),
  'GET /api/v1/data-tables': async (t, ctx) => ({ url: '/api/v1/data-tables', listed: (await fixtureDataTable(t, ctx)).id }),
  'POST /api/v1/data-tables': async (_t, ctx) => ({
    url: '/api/v1/data-tables',
    payload: { name: `New ${newId(6)}`, columns: [{ name: 'a', type: 'string' }], ...(ctx.projectId ? { projectId: ctx.projectId } : {}) },
  }),
  'GET /api/v1/data-tables/:dataTableId': async (t, ctx) => ({ url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}` }),
  'PATCH /api/v1/data-tables/:dataTableId': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}`,
    payload: { name: `Renamed ${newId(6)}` },
  }),
  'DELETE /api/v1/data-tables/:dataTableId': async (t, ctx) => ({ url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}` }),
  'GET /api/v1/data-tables/:dataTableId/columns': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/columns`,
  }),
  'POST /api/v1/data-tables/:dataTableId/columns': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/columns`,
    payload: { name: 'note', type: 'string' },
  }),
  'PATCH /api/v1/data-tables/:dataTableId/columns/:columnId': async (t, ctx) => {
    const table = await fixtureDataTable(t, ctx);
    return { url: `/api/v1/data-tables/${table.id}/columns/${table.columns[0]!.id}`, payload: { name: 'mail' } };
  },
  'DELETE /api/v1/data-tables/:dataTableId/columns/:columnId': async (t, ctx) => {
    const table = await fixtureDataTable(t, ctx);
    return { url: `/api/v1/data-tables/${table.id}/columns/${table.columns[1]!.id}` };
  },
  'GET /api/v1/data-tables/:dataTableId/rows': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/rows`,
  }),
  'POST /api/v1/data-tables/:dataTableId/rows': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/rows`,
    payload: { data: [{ email: 'b@x.io', score: 2 }] },
  }),
  'PATCH /api/v1/data-tables/:dataTableId/rows/update': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/rows/update`,
    payload: { filter: rowFilter, data: { score: 5 } },
  }),
  'POST /api/v1/data-tables/:dataTableId/rows/upsert': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/rows/upsert`,
    payload: { filter: rowFilter, data: { score: 6 } },
  }),
  'DELETE /api/v1/data-tables/:dataTableId/rows/delete': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/rows/delete?filter=${encodeURIComponent(JSON.stringify(rowFilter))}`,
  }),
  'DELETE /api/v1/data-tables/:dataTableId/rows/clear': async (t, ctx) => ({
    url: `/api/v1/data-tables/${(await fixtureDataTable(t, ctx)).id}/rows/clear`,
  }),
  'GET /api/v1/projects/:projectId/folders': async (t, ctx) => ({
    url: `/api/v1/projects/${(await fixtureFolder(t, ctx)).project.id}/folders`,
  }),
  'POST /api/v1/projects/:projectId/folders': async (t, ctx) => ({
    url: `/api/v1/projects/${(await fixtureTeamProject(t, ctx)).id}/folders`,
    payload: { name: 'New folder' },
  }),
  'GET /api/v1/projects/:projectId/folders/:folderId': async (t, ctx) => {
    const { project, folder } = await fixtureFolder(t, ctx);
    return { url: `/api/v1/projects/${project.id}/folders/${folder.id}` };
  },
  'PATCH /api/v1/projects/:projectId/folders/:folderId': async (t, ctx) => {
    const { project, folder } = await fixtureFolder(t, ctx);
    return { url: `/api/v1/projects/${project.id}/folders/${folder.id}`, payload: { name: 'Renamed folder' } };
  },
  'DELETE /api/v1/projects/:projectId/folders/:folderId': async (t, ctx) => {
    const { project, folder } = await fixtureFolder(t, ctx);
    return { url: `/api/v1/projects/${project.id}/folders/${folder.id}` };
  },
  'GET /api/v1/variables': async (t, ctx) => ({ url: '/api/v1/variables', listed: (await fixtureVariable(t, ctx)).id }),
  'POST /api/v1/variables': async (_t, ctx) => ({
    url: '/api/v1/variables',
    payload: { key: `NEW_${newId(8)}`, value: 'value', ...(ctx.projectId ? { projectId: ctx.projectId } : {}) },
  }),
  'PUT /api/v1/variables/:id': async (t, ctx) => ({
    url: `/api/v1/variables/${(await fixtureVariable(t, ctx)).id}`,
    payload: { key: `CHANGED_${newId(8)}`, value: 'changed' },
  }),
  'DELETE /api/v1/variables/:id': async (t, ctx) => ({ url: `/api/v1/variables/${(await fixtureVariable(t, ctx)).id}` }),
  'GET /api/v1/projects': async (t, ctx) => ({ url: '/api/v1/projects', listed: (await fixtureTeamProject(t, ctx)).id }),
  'POST /api/v1/projects': async () => ({ url: '/api/v1/projects', payload: { name: `Team ${newId(6)}` } }),
  'PUT /api/v1/projects/:projectId': async (t, ctx) => ({
    url: `/api/v1/projects/${(await fixtureTeamProject(t, ctx)).id}`,
    payload: { name: 'Renamed team' },
  }),
  'DELETE /api/v1/projects/:projectId': async (t, ctx) => ({ url: `/api/v1/projects/${(await fixtureTeamProject(t, ctx)).id}` }),
  'GET /api/v1/projects/:projectId/users': async (t, ctx) => ({
    url: `/api/v1/projects/${(await fixtureMembership(t, ctx)).project.id}/users`,
  }),
  'POST /api/v1/projects/:projectId/users': async (t, ctx) => {
    const project = await fixtureTeamProject(t, ctx);
    const user = await fixtureUser(t);
    return { url: `/api/v1/projects/${project.id}/users`, payload: { relations: [{ userId: user.id, role: 'project:editor' }] } };
  },
  'PATCH /api/v1/projects/:projectId/users/:userId': async (t, ctx) => {
    const { project, user } = await fixtureMembership(t, ctx);
    return { url: `/api/v1/projects/${project.id}/users/${user.id}`, payload: { role: 'project:editor' } };
  },
  'DELETE /api/v1/projects/:projectId/users/:userId': async (t, ctx) => {
    const { project, user } = await fixtureMembership(t, ctx);
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
  'GET /api/v1/workflows': async (t, ctx) => ({ url: '/api/v1/workflows', listed: (await fixtureWorkflow(t, ctx)).id }),
  'GET /api/v1/workflows/:id': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}` }),
  'PUT /api/v1/workflows/:id': async (t, ctx) => ({
    url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}`,
    payload: sampleWorkflowBody('Replaced'),
  }),
  'PATCH /api/v1/workflows/:id': async (t, ctx) => ({
    url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}`,
    payload: { name: 'Patched' },
  }),
  'DELETE /api/v1/workflows/:id': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}` }),
  'POST /api/v1/workflows/:id/activate': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/activate` }),
  'POST /api/v1/workflows/:id/deactivate': async (t, ctx) => ({
    url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/deactivate`,
  }),
  'POST /api/v1/workflows/:id/archive': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/archive` }),
  'POST /api/v1/workflows/:id/unarchive': async (t, ctx) => {
    const workflow = await fixtureWorkflow(t, ctx);
    await t.app.services.workflowPublishing.archive(workflow.id, OWNER);
    return { url: `/api/v1/workflows/${workflow.id}/unarchive` };
  },
  'PUT /api/v1/workflows/:id/transfer': async (t, ctx) => {
    const workflow = await fixtureWorkflow(t, ctx);
    return { url: `/api/v1/workflows/${workflow.id}/transfer`, payload: { destinationProjectId: await destinationOf(t, ctx) } };
  },
  'GET /api/v1/workflows/:id/tags': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/tags` }),
  'PUT /api/v1/workflows/:id/tags': async (t, ctx) => {
    const tag = await t.app.services.tags.create(`t-${newId(8)}`);
    return { url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/tags`, payload: [{ id: tag.id }] };
  },
  'GET /api/v1/workflows/:id/history': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/history` }),
  'GET /api/v1/workflows/:id/versions/:versionId': async (t, ctx) => {
    const workflow = await fixtureWorkflow(t, ctx);
    return { url: `/api/v1/workflows/${workflow.id}/versions/${workflow.versionId}` };
  },
  'GET /api/v1/workflows/:id/:versionId': async (t, ctx) => {
    const workflow = await fixtureWorkflow(t, ctx);
    return { url: `/api/v1/workflows/${workflow.id}/${workflow.versionId}` };
  },
  'POST /api/v1/workflows/:id/versions/:versionId/restore': async (t, ctx) => {
    const workflow = await fixtureWorkflow(t, ctx);
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
  'POST /api/v1/credentials': async (_t, ctx) => ({
    url: '/api/v1/credentials',
    payload: {
      name: 'Fixture',
      type: 'httpBearerAuth',
      data: { token: 'fixture-token' },
      ...(ctx.projectId ? { projectId: ctx.projectId } : {}),
    },
  }),
  'GET /api/v1/credentials': async (t, ctx) => ({ url: '/api/v1/credentials', listed: (await fixtureCredential(t, ctx)).id }),
  'GET /api/v1/credentials/:id': async (t, ctx) => ({ url: `/api/v1/credentials/${(await fixtureCredential(t, ctx)).id}` }),
  'PATCH /api/v1/credentials/:id': async (t, ctx) => ({
    url: `/api/v1/credentials/${(await fixtureCredential(t, ctx)).id}`,
    payload: { name: 'Renamed' },
  }),
  'DELETE /api/v1/credentials/:id': async (t, ctx) => ({ url: `/api/v1/credentials/${(await fixtureCredential(t, ctx)).id}` }),
  'PUT /api/v1/credentials/:id/transfer': async (t, ctx) => {
    const credential = await fixtureCredential(t, ctx);
    return { url: `/api/v1/credentials/${credential.id}/transfer`, payload: { destinationProjectId: await destinationOf(t, ctx) } };
  },
  'GET /api/v1/credentials/schema/:credentialTypeName': async () => ({ url: '/api/v1/credentials/schema/httpBasicAuth' }),
  'GET /rest/settings': async () => ({ url: '/rest/settings' }),
  'POST /api/v1/workflows/:id/publish': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/publish` }),
  'POST /api/v1/workflows/:id/unpublish': async (t, ctx) => ({ url: `/api/v1/workflows/${(await fixtureWorkflow(t, ctx)).id}/unpublish` }),
  'GET /api/v1/executions': async (t, ctx) => ({
    url: '/api/v1/executions',
    listed: String((await fixtureExecution(t, 'success', ctx)).id),
  }),
  'GET /api/v1/executions/:id': async (t, ctx) => ({ url: `/api/v1/executions/${(await fixtureExecution(t, 'error', ctx)).id}` }),
  'DELETE /api/v1/executions/:id': async (t, ctx) => ({ url: `/api/v1/executions/${(await fixtureExecution(t, 'error', ctx)).id}` }),
  'POST /api/v1/executions/:id/retry': async (t, ctx) => ({
    url: `/api/v1/executions/${(await fixtureExecution(t, 'error', ctx)).id}/retry`,
    payload: {},
  }),
  'POST /api/v1/executions/:id/stop': async (t, ctx) => ({
    url: `/api/v1/executions/${(await fixtureExecution(t, 'waiting', ctx)).id}/stop`,
  }),
  'POST /api/v1/executions/stop': async (t, ctx) => {
    const execution = await fixtureExecution(t, 'waiting', ctx);
    return { url: '/api/v1/executions/stop', payload: { status: ['waiting'], workflowId: execution.workflowId } };
  },
  'GET /api/v1/executions/:id/tags': async (t, ctx) => ({ url: `/api/v1/executions/${(await fixtureExecution(t, 'error', ctx)).id}/tags` }),
  'PUT /api/v1/executions/:id/tags': async (t, ctx) => ({
    url: `/api/v1/executions/${(await fixtureExecution(t, 'error', ctx)).id}/tags`,
    payload: [],
  }),
  'GET /api/v1/annotation-tags': async () => ({ url: '/api/v1/annotation-tags' }),
  'POST /api/v1/annotation-tags': async () => ({ url: '/api/v1/annotation-tags', payload: { name: `a-${newId()}`.slice(0, 24) } }),
  'POST /api/v1/workflows/:id/run': async (t, ctx) => {
    const execution = await fixtureExecution(t, 'success', ctx);
    return { url: `/api/v1/workflows/${execution.workflowId}/run`, payload: { items: [{ a: 1 }] } };
  },
};
