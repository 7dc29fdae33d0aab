/**
 * n8n-as-code (`n8nac`, the CLI and library for managing n8n workflows as code) against a real flowgate server
 * over HTTP, through its N8nApiClient: the class every `n8nac` command builds from N8N_HOST / N8N_API_KEY and
 * calls for `list`, `pull`/`push`, `workflow activate|deactivate`, `test`, `execution list|get` and
 * `credential schema|list|get|create|delete`.
 *
 * The CLI binary itself is not spawned here: every command starts a detached background `update-ai` process
 * that outlives the command, which a test cannot clean up after.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { N8nApiClient } from 'n8nac/dist/core/services/n8n-api-client.js';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

type Json = Record<string, unknown>;

let t: TestApp;
let baseUrl: string;
let client: N8nApiClient;
let warn: MockInstance<typeof console.warn>;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  client = new N8nApiClient({ host: `${baseUrl}/`, apiKey: t.ownerKey });
  // The client narrates PUTs and fallbacks on console.warn; keep the output quiet but inspectable.
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterAll(async () => {
  warn?.mockRestore();
  await t?.close();
});

const setAssignments = (fields: Record<string, string>) => ({
  assignments: Object.entries(fields).map(([name, value], i) => ({ id: `a${i}`, name, value, type: 'string' })),
});

/** Webhook (POST, answers with the last node's first item) → Set "Shape". */
function webhookWorkflow(name: string, webhookPath: string) {
  return {
    name,
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
      },
      {
        id: randomUUID(),
        name: 'Shape',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [220, 0],
        parameters: { assignments: setAssignments({ greeting: 'hello' }), includeOtherFields: true, options: {} },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Shape', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

describe('n8nac N8nApiClient against flowgate', () => {
  const webhookPath = `n8nac-${newId(8).toLowerCase()}`;
  let workflowId = '';
  let executionId = '';

  it('reads the instance id from /rest/settings', async () => {
    expect(await client.getInstanceIdentity()).toEqual({ id: 'flowgate' });
  });

  it("reports the version as unknown: it scrapes n8n's editor page, which flowgate does not serve", async () => {
    // n8nac looks for a `version` in /healthz (n8n answers {"status":"ok"} there too) and then for the release in
    // the editor HTML at "/". flowgate has no editor UI, so this stays "Unknown"; nothing else depends on it.
    expect(await client.getHealth()).toEqual({ version: 'Unknown' });
  });

  it('lists the real projects (an unlicensed n8n answers 403, and n8nac falls back to a placeholder)', async () => {
    const team = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: { 'x-n8n-api-key': t.ownerKey },
      payload: { name: 'n8nac team' },
    });
    expect(team.statusCode).toBe(201);
    const projects = await client.getProjects();
    expect(projects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Owner <owner@flowgate.local>', type: 'personal' }),
        expect.objectContaining({ id: team.json().id, name: 'n8nac team', type: 'team' }),
      ]),
    );
    expect(projects.some((p) => p.id === 'personal')).toBe(false);
  });

  it('creates a workflow (with a description, which it sets by a follow-up PUT) and reads it back', async () => {
    const created = await client.createWorkflow({ ...webhookWorkflow('n8nac workflow', webhookPath), description: 'made by n8nac' });
    expect(created.id).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(created).toMatchObject({ name: 'n8nac workflow', description: 'made by n8nac', active: false });
    workflowId = created.id;

    const fetched = await client.getWorkflow(workflowId);
    expect(fetched).not.toBeNull();
    expect(fetched).toMatchObject({ id: workflowId, name: 'n8nac workflow', description: 'made by n8nac', active: false, tags: [] });
    expect(fetched?.nodes.map((n: Json) => n.name)).toEqual(['Webhook', 'Shape']);
    // enrichWorkflowMetadata takes the project from shared[0].projectId.
    expect(fetched?.projectId).toEqual(expect.any(String));
    expect(fetched?.isArchived).toBe(false);
  });

  it('lists every workflow with getAllWorkflows, following nextCursor past the first page of 100', async () => {
    for (let i = 0; i < 101; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/workflows',
        headers: { 'x-n8n-api-key': t.ownerKey },
        payload: { name: `bulk ${String(i).padStart(3, '0')}`, nodes: [], connections: {}, settings: {} },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const all = await client.getAllWorkflows();
    expect(all).toHaveLength(102);
    expect(new Set(all.map((w) => w.id)).size).toBe(102);
    expect(all.map((w) => w.id)).toContain(workflowId);
  });

  it('updates the workflow with a PUT of the edited definition', async () => {
    const current = await client.getWorkflow(workflowId);
    if (!current) throw new Error('workflow vanished');
    const stamp = {
      id: randomUUID(),
      name: 'Stamp',
      type: 'n8n-nodes-base.set',
      typeVersion: 3.4,
      position: [440, 0],
      parameters: { assignments: setAssignments({ stamp: 'n8nac' }), includeOtherFields: true, options: {} },
    };
    const updated = await client.updateWorkflow(workflowId, {
      ...current,
      name: 'n8nac workflow (edited)',
      nodes: [...current.nodes, stamp],
      connections: { ...current.connections, Shape: { main: [[{ node: 'Stamp', type: 'main', index: 0 }]] } },
    });
    expect(updated).toMatchObject({ id: workflowId, name: 'n8nac workflow (edited)', description: 'made by n8nac' });
    expect(updated.nodes.map((n: Json) => n.name)).toEqual(['Webhook', 'Shape', 'Stamp']);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/PUT finished in \d+ms\. Status: 200/));
  });

  it('activates the workflow and runs it with `test --prod` (the production webhook)', async () => {
    const activated = await client.activateWorkflow(workflowId, true);
    expect(activated).toMatchObject({ id: workflowId, active: true });

    const plan = await client.getTestPlan(workflowId);
    expect(plan.testable).toBe(true);
    expect(plan.triggerInfo).toMatchObject({ type: 'webhook', httpMethod: 'POST', webhookPath, pathSource: 'explicit' });
    expect(plan.endpoints.productionUrl).toBe(`${baseUrl}/webhook/${webhookPath}`);

    const result = await client.testWorkflow(workflowId, { prod: true, data: { name: 'Ada' } });
    expect(result.errorMessage).toBeUndefined();
    expect(result).toMatchObject({ success: true, statusCode: 200, webhookUrl: `${baseUrl}/webhook/${webhookPath}` });
    // lastNode answers with the Stamp node's item: the webhook item (body, headers...) plus both Set fields.
    expect(result.responseData).toMatchObject({ body: { name: 'Ada' }, greeting: 'hello', stamp: 'n8nac' });
  });

  it('lists and reads the execution', async () => {
    const list = await client.listExecutions({ workflowId, status: 'success', limit: 5 });
    expect(list.nextCursor).toBeNull();
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ workflowId, mode: 'webhook', status: 'success', finished: true, retryOf: null });
    executionId = list.data[0]?.id as string;

    expect((await client.listExecutions({ workflowId, status: 'error' })).data).toEqual([]);

    const details = await client.getExecution(executionId, { includeData: true });
    expect(details).toMatchObject({ id: executionId, workflowId, status: 'success', mode: 'webhook' });
    const runData = (details.data as { resultData: { runData: Record<string, unknown> } }).resultData.runData;
    expect(Object.keys(runData).sort()).toEqual(['Shape', 'Stamp', 'Webhook']);
    expect((details.workflowData as { id: string }).id).toBe(workflowId);
  });

  it('deactivates the workflow; `test --prod` then reports the webhook as not registered', async () => {
    const deactivated = await client.activateWorkflow(workflowId, false);
    expect(deactivated).toMatchObject({ id: workflowId, active: false });
    const result = await client.testWorkflow(workflowId, { prod: true, data: {} });
    expect(result).toMatchObject({ success: false, statusCode: 404, errorClass: 'runtime-state' });
    expect(result.errorMessage).toBe(`The requested webhook "POST ${webhookPath}" is not registered.`);
  });

  it('creates, lists, sets and deletes tags', async () => {
    const ops = await client.createTag('n8nac-ops');
    const prod = await client.createTag('n8nac-prod');
    expect(ops).toEqual({ id: expect.any(String), name: 'n8nac-ops' });
    // A duplicate answers 409 "Tag already exists"; the client then returns the existing tag.
    expect(await client.createTag('n8nac-ops')).toEqual(ops);
    expect((await client.getTags()).map((tag) => tag.name).sort()).toEqual(['n8nac-ops', 'n8nac-prod']);

    const set = await client.updateWorkflowTags(workflowId, [ops, prod]);
    expect(set.map((tag) => tag.id).sort()).toEqual([ops.id, prod.id].sort());
    expect((await client.getWorkflowTags(workflowId)).map((tag) => tag.name).sort()).toEqual(['n8nac-ops', 'n8nac-prod']);
    expect((await client.getWorkflow(workflowId))?.tags?.map((tag) => tag.name).sort()).toEqual(['n8nac-ops', 'n8nac-prod']);

    expect(await client.deleteTag(ops.id)).toBe(true);
    expect(await client.getWorkflowTags(workflowId)).toEqual([prod]);
  });

  it('reads a credential schema, creates, lists, reads and deletes a credential', async () => {
    const schema = (await client.getCredentialSchema('httpBasicAuth')) as { properties: Json };
    expect(schema.properties).toMatchObject({ user: { type: 'string' }, password: { type: 'string' } });

    const created = await client.createCredential({
      type: 'httpBasicAuth',
      name: 'n8nac basic auth',
      data: { user: 'ada', password: 'n8nac-secret' },
    });
    expect(created).toMatchObject({ name: 'n8nac basic auth', type: 'httpBasicAuth' });
    expect(JSON.stringify(created)).not.toContain('n8nac-secret');
    const credentialId = created.id as string;

    const list = await client.listCredentials();
    expect(list.map((c) => c.id)).toContain(credentialId);
    expect(await client.getCredential(credentialId)).toMatchObject({ id: credentialId, name: 'n8nac basic auth' });

    expect(await client.deleteCredential(credentialId)).toBe(true);
    expect(await client.deleteCredential(credentialId)).toBe(false);
    expect((await client.listCredentials()).map((c) => c.id)).not.toContain(credentialId);
  });

  it('deletes the workflow; reading it afterwards gives null (404)', async () => {
    expect(await client.deleteWorkflow(workflowId)).toBe(true);
    expect(await client.getWorkflow(workflowId)).toBeNull();
  });
});
