import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Production webhooks end to end: registration at activation, every response mode, the n8n 404 bodies, paths
 * with parameters, the request item, authentication, path conflicts, re-registration on edit, and two
 * instances sharing one database.
 */

type Json = Record<string, unknown>;
type Node = Json & { name: string; type: string };

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const uniquePath = (label: string) => `${label}-${newId(8).toLowerCase()}`;

function webhookNode(parameters: Json, extra: Json = {}): Node {
  return {
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    webhookId: randomUUID(),
    parameters: { httpMethod: 'POST', ...parameters },
    ...extra,
  };
}

function setNode(name: string, fields: Record<string, string>, options: Json = {}): Node {
  return {
    name,
    type: 'n8n-nodes-base.set',
    typeVersion: 3.4,
    position: [200, 0],
    parameters: {
      assignments: {
        assignments: Object.entries(fields).map(([field, value], i) => ({ id: String(i), name: field, value, type: 'string' })),
      },
      options: {},
      ...options,
    },
  };
}

/** Nodes in a line: each feeds the next. */
function chain(nodes: Node[]) {
  const connections: Json = {};
  for (let i = 0; i < nodes.length - 1; i++) {
    connections[nodes[i]!.name] = { main: [[{ node: nodes[i + 1]!.name, type: 'main', index: 0 }]] };
  }
  return connections;
}

function createChainWorkflow(app: TestApp, nodes: Node[], name = 'Webhook test'): Promise<string> {
  return createWorkflow(app, { name, nodes, connections: chain(nodes), settings: { executionOrder: 'v1' } });
}

async function activate(app: TestApp, id: string) {
  const res = await api(app, 'POST', `/workflows/${id}/activate`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().active).toBe(true);
}

async function activeWorkflow(nodes: Node[], app = t): Promise<string> {
  const id = await createChainWorkflow(app, nodes);
  await activate(app, id);
  return id;
}

function callHook(path: string, options: Omit<InjectOptions, 'url'> = {}, app = t) {
  return app.app.inject({ method: 'POST', ...options, url: `/webhook/${path}` } as InjectOptions);
}

async function executionsOf(workflowId: string, app = t) {
  const res = await api(app, 'GET', `/executions?workflowId=${workflowId}&includeData=true`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Json[];
}

const NOT_REGISTERED_HINT =
  "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)";

function notRegisteredBody(method: string, path: string) {
  return { code: 404, message: `The requested webhook "${method} ${path}" is not registered.`, hint: NOT_REGISTERED_HINT };
}

describe('response modes', () => {
  it('onReceived answers at once with "Workflow was started" and runs the workflow in the background', async () => {
    const path = uniquePath('received');
    const id = await activeWorkflow([
      webhookNode({ path, responseMode: 'onReceived' }),
      setNode('Set', { greeting: '={{ "hello " + $json.body.name }}' }),
    ]);
    const res = await callHook(path, { payload: { name: 'Ada' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'Workflow was started' });

    const execution = await eventually(async () => (await executionsOf(id)).find((e) => e.status === 'success'), 'the execution');
    expect(execution).toMatchObject({ mode: 'webhook', finished: true, workflowId: id });
    const runData = (execution.data as { resultData: { runData: Record<string, { data: { main: { json: Json }[][] } }[]> } }).resultData
      .runData;
    expect(runData.Set![0]!.data.main[0]![0]!.json).toEqual({ greeting: 'hello Ada' });
  });

  it('onReceived uses options.responseCode', async () => {
    const path = uniquePath('received-code');
    await activeWorkflow([webhookNode({ path, responseMode: 'onReceived', options: { responseCode: 202 } })]);
    const res = await callHook(path);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ message: 'Workflow was started' });
  });

  it('lastNode answers with the first item of the last node (firstEntryJson is the default)', async () => {
    const path = uniquePath('last');
    await activeWorkflow([
      webhookNode({ path, responseMode: 'lastNode' }),
      setNode('Set', { greeting: '={{ "hello " + $json.body.name }}' }),
    ]);
    const res = await callHook(path, { payload: { name: 'Grace' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ greeting: 'hello Grace' });
  });

  it('lastNode with responseData allEntries answers with every item; noData with an empty body', async () => {
    const allPath = uniquePath('last-all');
    await activeWorkflow([
      webhookNode({ path: allPath, responseMode: 'lastNode', responseData: 'allEntries' }),
      {
        name: 'Split Out',
        type: 'n8n-nodes-base.splitOut',
        typeVersion: 1,
        position: [200, 0],
        parameters: { fieldToSplitOut: 'body.items', options: {} },
      },
    ]);
    const all = await callHook(allPath, { payload: { items: [{ n: 1 }, { n: 2 }, { n: 3 }] } });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    const nonePath = uniquePath('last-none');
    await activeWorkflow([webhookNode({ path: nonePath, responseMode: 'lastNode', responseData: 'noData' }), setNode('Set', { a: 'b' })]);
    const none = await callHook(nonePath);
    expect(none.statusCode).toBe(200);
    expect(none.body).toBe('');
  });

  it('lastNode answers 500 "Error in workflow" when the run fails, and records the error', async () => {
    const path = uniquePath('last-error');
    const id = await activeWorkflow([
      webhookNode({ path, responseMode: 'lastNode' }),
      {
        name: 'Fail',
        type: 'n8n-nodes-base.stopAndError',
        typeVersion: 1,
        position: [200, 0],
        parameters: { errorMessage: 'deliberate failure' },
      },
    ]);
    const res = await callHook(path);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ message: 'Error in workflow' });
    const execution = await eventually(async () => (await executionsOf(id)).find((e) => e.status === 'error'), 'the failed execution');
    expect(execution.mode).toBe('webhook');
  });

  it("a status the workflow chooses is sent with the workflow's body, even one the API uses for its errors", async () => {
    const path = uniquePath('last-status');
    await activeWorkflow([
      webhookNode({ path, responseMode: 'lastNode', options: { responseCode: 500 } }),
      setNode('Set', { state: 'degraded' }),
    ]);
    const res = await callHook(path);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ state: 'degraded' });

    const limitedPath = uniquePath('received-429');
    await activeWorkflow([webhookNode({ path: limitedPath, responseMode: 'onReceived', options: { responseCode: 429 } })]);
    const limited = await callHook(limitedPath);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ message: 'Workflow was started' });
  });

  it('responseNode answers with the Respond to Webhook node: status, headers and JSON body', async () => {
    const path = uniquePath('respond-json');
    await activeWorkflow([
      webhookNode({ path, responseMode: 'responseNode' }),
      {
        name: 'Respond',
        type: 'n8n-nodes-base.respondToWebhook',
        typeVersion: 1.1,
        position: [200, 0],
        parameters: {
          respondWith: 'json',
          responseBody: '={{ JSON.stringify({ received: $json.body.value, ok: true }) }}',
          options: {
            responseCode: 201,
            responseHeaders: { entries: [{ name: 'X-Flowgate-Test', value: 'yes' }] },
          },
        },
      },
    ]);
    const res = await callHook(path, { payload: { value: 42 } });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-flowgate-test']).toBe('yes');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ received: 42, ok: true });
  });

  it('responseNode with a text body and with all incoming items', async () => {
    const textPath = uniquePath('respond-text');
    await activeWorkflow([
      webhookNode({ path: textPath, responseMode: 'responseNode' }),
      {
        name: 'Respond',
        type: 'n8n-nodes-base.respondToWebhook',
        typeVersion: 1.1,
        position: [200, 0],
        parameters: { respondWith: 'text', responseBody: '=Hello {{ $json.query.who }}', options: { responseCode: 418 } },
      },
    ]);
    const text = await callHook(textPath, { query: { who: 'world' } });
    expect(text.statusCode).toBe(418);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe('Hello world');

    const itemsPath = uniquePath('respond-items');
    await activeWorkflow([
      webhookNode({ path: itemsPath, responseMode: 'responseNode' }),
      setNode('Set', { id: '={{ $json.body.id }}' }),
      {
        name: 'Respond',
        type: 'n8n-nodes-base.respondToWebhook',
        typeVersion: 1.1,
        position: [400, 0],
        parameters: { respondWith: 'allIncomingItems', options: {} },
      },
    ]);
    const items = await callHook(itemsPath, { payload: { id: 'abc' } });
    expect(items.statusCode).toBe(200);
    expect(items.json()).toEqual([{ id: 'abc' }]);
  });
});

describe('404 answers', () => {
  it('an unknown path answers n8n\'s "not registered" body', async () => {
    const path = uniquePath('nobody');
    const res = await callHook(path);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(notRegisteredBody('POST', path));
    const get = await callHook(path, { method: 'GET' });
    expect(get.json()).toEqual(notRegisteredBody('GET', path));
  });

  it('a registered path called with another method says which method it wants', async () => {
    const path = uniquePath('method');
    await activeWorkflow([webhookNode({ path, responseMode: 'onReceived' })]);
    const res = await callHook(path, { method: 'GET' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      code: 404,
      message: 'This webhook is not registered for GET requests. Did you mean to make a POST request?',
    });
    expect((await callHook(path)).statusCode).toBe(200);
  });

  for (const how of ['deactivate', 'delete', 'archive'] as const) {
    it(`the path is gone after ${how}`, async () => {
      const path = uniquePath(how);
      const id = await activeWorkflow([webhookNode({ path, responseMode: 'onReceived' })]);
      expect((await callHook(path)).statusCode).toBe(200);
      const res = how === 'delete' ? await api(t, 'DELETE', `/workflows/${id}`) : await api(t, 'POST', `/workflows/${id}/${how}`);
      expect(res.statusCode, res.body).toBe(200);
      const after = await callHook(path);
      expect(after.statusCode).toBe(404);
      expect(after.json()).toEqual(notRegisteredBody('POST', path));
    });
  }

  it('a reactivated workflow answers again', async () => {
    const path = uniquePath('reactivate');
    const id = await activeWorkflow([webhookNode({ path, responseMode: 'onReceived' })]);
    expect((await api(t, 'POST', `/workflows/${id}/deactivate`)).statusCode).toBe(200);
    expect((await callHook(path)).statusCode).toBe(404);
    await activate(t, id);
    expect((await callHook(path)).statusCode).toBe(200);
  });
});

describe('the request item', () => {
  it('a path with parameters is registered under the webhookId and fills $json.params', async () => {
    const webhookId = randomUUID();
    await activeWorkflow([
      webhookNode({ path: 'users/:userId/orders/:orderId', responseMode: 'lastNode', httpMethod: 'GET' }, { webhookId }),
      setNode('Set', { user: '={{ $json.params.userId }}', order: '={{ $json.params.orderId }}' }),
    ]);
    const res = await callHook(`${webhookId}/users/42/orders/a%20b`, { method: 'GET' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ user: '42', order: 'a b' });

    // Other shapes under the same webhookId are not matches.
    expect((await callHook(`${webhookId}/users/42/invoices/7`, { method: 'GET' })).statusCode).toBe(404);
    expect((await callHook(`${webhookId}/users/42/orders`, { method: 'GET' })).statusCode).toBe(404);
    expect((await callHook('users/42/orders/7', { method: 'GET' })).statusCode).toBe(404);
  });

  it('carries query, headers, body, webhookUrl and executionMode', async () => {
    const path = uniquePath('item');
    await activeWorkflow([webhookNode({ path, responseMode: 'lastNode' })]);
    const res = await callHook(path, {
      query: { a: '1', b: 'two' },
      headers: { 'x-custom-header': 'custom' },
      payload: { nested: { x: [1, 2] } },
    });
    expect(res.statusCode).toBe(200);
    const item = res.json();
    expect(item.query).toEqual({ a: '1', b: 'two' });
    expect(item.headers['x-custom-header']).toBe('custom');
    expect(item.headers['content-type']).toMatch(/^application\/json/);
    expect(item.body).toEqual({ nested: { x: [1, 2] } });
    expect(item.params).toEqual({});
    expect(item.webhookUrl).toMatch(new RegExp(`/webhook/${path}$`));
    expect(item.executionMode).toBe('production');
  });

  it('parses form bodies into objects and keeps text bodies as strings', async () => {
    const path = uniquePath('form');
    await activeWorkflow([webhookNode({ path, responseMode: 'lastNode' }), setNode('Set', {}, { includeOtherFields: true })]);
    const form = await callHook(path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Ada+Lovelace&lang=en&sym=%26',
    });
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json().body).toEqual({ name: 'Ada Lovelace', lang: 'en', sym: '&' });

    const text = await callHook(path, { headers: { 'content-type': 'text/plain' }, payload: 'just some text' });
    expect(text.statusCode, text.body).toBe(200);
    expect(text.json().body).toBe('just some text');
  });
});

describe('registration', () => {
  it('a second workflow cannot take an active method + path: 409, and the first keeps answering', async () => {
    const path = uniquePath('taken');
    const firstId = await activeWorkflow([
      webhookNode({ path, responseMode: 'lastNode' }, { name: 'First hook' }),
      setNode('Set', { owner: 'first' }),
    ]);
    const secondId = await createChainWorkflow(t, [
      webhookNode({ path, responseMode: 'lastNode' }, { name: 'Second hook' }),
      setNode('Set', { owner: 'second' }),
    ]);
    const res = await api(t, 'POST', `/workflows/${secondId}/activate`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('The URL path that the "Second hook" node uses is already taken. Please change it to something else.');
    expect((await api(t, 'GET', `/workflows/${secondId}`)).json().active).toBe(false);

    const call = await callHook(path);
    expect(call.statusCode).toBe(200);
    expect(call.json()).toEqual({ owner: 'first' });

    // Another method on the same path is free.
    const otherId = await createChainWorkflow(t, [
      webhookNode({ path, httpMethod: 'PUT', responseMode: 'lastNode' }),
      setNode('Set', { owner: 'put' }),
    ]);
    await activate(t, otherId);
    expect((await callHook(path, { method: 'PUT' })).json()).toEqual({ owner: 'put' });
    expect((await callHook(path)).json()).toEqual({ owner: 'first' });

    // Once the first lets go, the second can have it.
    expect((await api(t, 'POST', `/workflows/${firstId}/deactivate`)).statusCode).toBe(200);
    await activate(t, secondId);
    expect((await callHook(path)).json()).toEqual({ owner: 'second' });
  });

  it('editing an active workflow (PUT) into a taken path is a 409 that changes nothing', async () => {
    const taken = uniquePath('put-taken');
    await activeWorkflow([webhookNode({ path: taken, responseMode: 'lastNode' }), setNode('Set', { owner: 'holder' })]);
    const own = uniquePath('put-own');
    const id = await activeWorkflow([webhookNode({ path: own, responseMode: 'lastNode' }), setNode('Set', { owner: 'mover' })]);
    const nodes = [webhookNode({ path: taken, responseMode: 'lastNode' }), setNode('Set', { owner: 'mover' })];
    const res = await api(t, 'PUT', `/workflows/${id}`, { name: 'Mover', nodes, connections: chain(nodes), settings: {} });
    expect(res.statusCode).toBe(409);
    expect((await callHook(taken)).json()).toEqual({ owner: 'holder' });
    expect((await callHook(own)).json()).toEqual({ owner: 'mover' });
  });

  it('PUT of an active workflow with a new path re-registers it', async () => {
    const oldPath = uniquePath('put-old');
    const id = await activeWorkflow([webhookNode({ path: oldPath, responseMode: 'lastNode' }), setNode('Set', { version: 'one' })]);
    expect((await callHook(oldPath)).json()).toEqual({ version: 'one' });

    const newPath = uniquePath('put-new');
    const nodes = [webhookNode({ path: newPath, responseMode: 'lastNode' }), setNode('Set', { version: 'two' })];
    const res = await api(t, 'PUT', `/workflows/${id}`, { name: 'Renamed', nodes, connections: chain(nodes), settings: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(true);

    const old = await callHook(oldPath);
    expect(old.statusCode).toBe(404);
    expect(old.json()).toEqual(notRegisteredBody('POST', oldPath));
    const fresh = await callHook(newPath);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toEqual({ version: 'two' });
  });

  it('PATCH of an active workflow with a new path (and method) re-registers it', async () => {
    const oldPath = uniquePath('patch-old');
    const id = await activeWorkflow([webhookNode({ path: oldPath, responseMode: 'lastNode' }), setNode('Set', { version: 'one' })]);
    const newPath = uniquePath('patch-new');
    const nodes = [webhookNode({ path: newPath, httpMethod: 'PATCH', responseMode: 'lastNode' }), setNode('Set', { version: 'patched' })];
    const res = await api(t, 'PATCH', `/workflows/${id}`, { nodes, connections: chain(nodes) });
    expect(res.statusCode, res.body).toBe(200);

    expect((await callHook(oldPath)).statusCode).toBe(404);
    const wrongMethod = await callHook(newPath);
    expect(wrongMethod.statusCode).toBe(404);
    expect(wrongMethod.json().message).toBe('This webhook is not registered for POST requests. Did you mean to make a PATCH request?');
    const fresh = await callHook(newPath, { method: 'PATCH' });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toEqual({ version: 'patched' });
  });
});

describe('authentication', () => {
  async function credential(type: string, data: Json): Promise<{ id: string; name: string }> {
    const name = `${type} ${newId(6)}`;
    const res = await api(t, 'POST', '/credentials', { name, type, data });
    expect(res.statusCode, res.body).toBe(200);
    return { id: res.json().id, name };
  }

  it('basic auth: no credentials 401 with WWW-Authenticate, wrong ones 403, right ones 200', async () => {
    const cred = await credential('httpBasicAuth', { user: 'hook-user', password: 's3cret:with-colon' });
    const path = uniquePath('basic');
    const id = await activeWorkflow([
      webhookNode({ path, responseMode: 'lastNode', authentication: 'basicAuth' }, { credentials: { httpBasicAuth: cred } }),
      setNode('Set', { ok: 'yes' }),
    ]);
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    const missing = await callHook(path);
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Basic realm="Webhook"');
    expect(missing.body).toContain('Authorization is required!');

    const bearer = await callHook(path, { headers: { authorization: 'Bearer hook-user' } });
    expect(bearer.statusCode).toBe(401);

    for (const header of [basic('hook-user', 'wrong'), basic('someone', 's3cret:with-colon'), basic('hook-user', 's3cret:with-colo')]) {
      const wrong = await callHook(path, { headers: { authorization: header } });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.body).toContain('Authorization data is wrong!');
    }
    // Refused calls start no execution.
    expect(await executionsOf(id)).toEqual([]);

    const right = await callHook(path, { headers: { authorization: basic('hook-user', 's3cret:with-colon') } });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ ok: 'yes' });
  });

  it('header auth: missing or wrong header 403, the right one 200', async () => {
    const cred = await credential('httpHeaderAuth', { name: 'X-Hook-Token', value: 'token-123' });
    const path = uniquePath('header');
    await activeWorkflow([
      webhookNode({ path, responseMode: 'lastNode', authentication: 'headerAuth' }, { credentials: { httpHeaderAuth: cred } }),
      setNode('Set', { ok: 'yes' }),
    ]);
    const missing = await callHook(path);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Authorization data is wrong!');
    const wrong = await callHook(path, { headers: { 'x-hook-token': 'token-124' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('Authorization data is wrong!');

    const right = await callHook(path, { headers: { 'x-hook-token': 'token-123' } });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ ok: 'yes' });
  });
});

describe('two instances on one database', () => {
  let b: TestApp;
  beforeAll(async () => {
    b = await buildTestApp({}, t.db);
  });
  afterAll(() => b.close());

  it('a webhook activated on instance A answers on instance B, and is gone on B as soon as A deactivates it', async () => {
    const path = uniquePath('shared');
    const id = await activeWorkflow([webhookNode({ path, responseMode: 'lastNode' }), setNode('Set', { served: 'yes' })], t);

    const onB = await callHook(path, {}, b);
    expect(onB.statusCode, onB.body).toBe(200);
    expect(onB.json()).toEqual({ served: 'yes' });
    // B ran it: the execution is recorded in the shared database.
    const execution = await eventually(async () => (await executionsOf(id, t)).find((e) => e.status === 'success'), 'the execution');
    expect(execution.mode).toBe('webhook');

    expect((await api(t, 'POST', `/workflows/${id}/deactivate`)).statusCode).toBe(200);
    const afterOnB = await callHook(path, {}, b);
    expect(afterOnB.statusCode).toBe(404);
    expect(afterOnB.json()).toEqual(notRegisteredBody('POST', path));
  });

  it('a change published on A is what B runs at once (no stale cached version)', async () => {
    const path = uniquePath('shared-edit');
    const id = await activeWorkflow([webhookNode({ path, responseMode: 'lastNode' }), setNode('Set', { version: 'one' })], t);
    expect((await callHook(path, {}, b)).json()).toEqual({ version: 'one' });
    const nodes = [webhookNode({ path, responseMode: 'lastNode' }), setNode('Set', { version: 'two' })];
    const res = await api(t, 'PUT', `/workflows/${id}`, { name: 'Edited', nodes, connections: chain(nodes), settings: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect((await callHook(path, {}, b)).json()).toEqual({ version: 'two' });
  });
});
