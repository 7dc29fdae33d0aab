import { describe, expect, it, vi } from 'vitest';
import type { SqlClient } from '../../db/client.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import type { JsonObject, WorkflowDefinition } from '../../engine/types.ts';
import type { FinishedRun, StartRun } from '../executions/execution-runner.ts';
import { createWebhooksService, type WebhookRequest } from './webhooks.service.ts';

/** A database holding one registration (or none); `methodsForPath` answers `methods`. */
function fakeSql(registered: { method: string; path: string } | undefined, methods: string[] = []): SqlClient {
  const query = vi.fn(async (text: string, values: unknown[]) => {
    if (text.startsWith('SELECT method')) return { rows: methods.map((method) => ({ method })) };
    const hit = registered && values[0] === registered.method && values[1] === registered.path;
    return { rows: hit ? [{ workflow_id: 'wf', node: 'Webhook', path: registered.path, active_version_id: 'v1', project_id: 'p1' }] : [] };
  });
  return { query } as unknown as SqlClient;
}

function workflowWith(parameters: JsonObject): WorkflowDefinition {
  return {
    id: 'wf',
    name: 'Hook',
    active: true,
    nodes: [{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters }],
    connections: {},
    settings: {},
    projectId: 'p1',
  } as WorkflowDefinition;
}

function service(opts: { parameters?: JsonObject; nodeResponse?: WebhookResponse; methods?: string[]; secret?: JsonObject }) {
  const started: StartRun[] = [];
  const finished: FinishedRun = { id: 1, status: 'success', data: { resultData: { runData: {} } } } as unknown as FinishedRun;
  const webhooks = createWebhooksService({
    sql: fakeSql({ method: 'POST', path: 'hook' }, opts.methods),
    runner: {
      start: async (run) => {
        started.push(run);
        if (opts.nodeResponse) run.onResponse?.(opts.nodeResponse);
        return { id: 1, done: opts.nodeResponse ? new Promise<FinishedRun>(() => {}) : Promise.resolve(finished) };
      },
    },
    loader: { published: async () => workflowWith(opts.parameters ?? {}) },
    credentials: {
      decryptForNode: async () => {
        if (!opts.secret) throw new Error('no credential');
        return opts.secret;
      },
    },
    baseUrl: 'http://localhost:5678/',
    basePath: 'webhook',
    binaryData: undefined,
  });
  return { webhooks, started };
}

const call = (over: Partial<WebhookRequest> = {}): WebhookRequest => ({
  method: 'POST',
  path: 'hook',
  headers: {},
  query: {},
  readBody: async () => ({ body: { a: 1 }, files: [] }),
  ...over,
});

describe('webhooks service', () => {
  it('starts the workflow with n8n’s webhook item and answers at once by default', async () => {
    const { webhooks, started } = service({});
    const answer = await webhooks.handle(call({ query: { q: '1' } }));
    expect(answer).toEqual({ status: 200, headers: {}, body: { message: 'Workflow was started' } });
    expect(started[0]?.mode).toBe('webhook');
    expect(started[0]?.start?.items[0]?.json).toMatchObject({
      params: {},
      query: { q: '1' },
      body: { a: 1 },
      webhookUrl: 'http://localhost:5678/webhook/hook',
      executionMode: 'production',
    });
  });

  it('says which method a path is registered for, and treats HEAD as GET', async () => {
    const { webhooks } = service({ methods: ['POST'] });
    const answer = await webhooks.handle(call({ method: 'HEAD' }));
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ message: expect.stringContaining('not registered for GET requests') });
  });

  it('asks for basic auth before running anything', async () => {
    const { webhooks, started } = service({ parameters: { authentication: 'basicAuth' }, secret: { user: 'u', password: 'p' } });
    const answer = await webhooks.handle(call());
    expect(answer).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="Webhook"' },
      body: { message: 'Authorization is required!' },
    });
    expect(started).toHaveLength(0);
  });

  it('sends a Respond to Webhook object body as JSON, over the content type the node set', async () => {
    const nodeResponse = { statusCode: 201, headers: { 'Content-Type': 'text/plain', 'x-a': '1' }, body: { ok: true } };
    const { webhooks } = service({ parameters: { responseMode: 'responseNode' }, nodeResponse });
    const answer = await webhooks.handle(call());
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('{"ok":true}');
    // Header names are case-insensitive; the last one written wins.
    expect(Object.entries(answer.headers).at(-1)).toEqual(['content-type', 'application/json; charset=utf-8']);
    expect(answer.headers['x-a']).toBe('1');
  });
});
