import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffOperations, diffWorkflowBody, equivalentPutBody } from '../bench/diff-fixtures.ts';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const headers = (extra: Record<string, string> = {}) => ({ 'x-n8n-api-key': t.ownerKey, ...extra });
const url = (id: string) => `/api/v1/workflows/${id}`;

async function create(body: object): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers: headers(), payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id;
}

const patch = (id: string, payload: object, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'PATCH', url: url(id), headers: headers(extra), payload });

const get = async (id: string) => (await t.app.inject({ url: url(id), headers: headers() })).json();

const MINIMAL_KEYS = ['active', 'id', 'name', 'nodes', 'removedNodes', 'updatedAt', 'versionCounter', 'versionId'];

describe('PATCH with Prefer: return=minimal', () => {
  it('answers only what the 10-parameter edit of a 200-node workflow changed: under 5% of the bytes of GET + PUT', async () => {
    const body = diffWorkflowBody();
    const names = body.nodes.map((n) => n.name);
    const operations = diffOperations(names);
    const patched = await create(body);
    const request = JSON.stringify({ intent: 'tune', operations });
    const res = await t.app.inject({
      method: 'PATCH',
      url: url(patched),
      headers: headers({ prefer: 'return=minimal', 'content-type': 'application/json' }),
      payload: request,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['preference-applied']).toBe('return=minimal');
    const answer = res.json();
    expect(answer).toMatchObject({ success: true, details: { applied: operations.map((_, i) => i), failed: [] } });
    expect(Object.keys(answer.data).sort()).toEqual(MINIMAL_KEYS);

    // Every touched node, in its saved state, and nothing else: the same nodes a GET now returns.
    const saved = await get(patched);
    const touched = operations.map((op) => op.nodeName);
    expect(answer.data.nodes.map((n: { name: string }) => n.name)).toEqual(touched);
    for (const node of answer.data.nodes) expect(node).toEqual(saved.nodes.find((n: { name: string }) => n.name === node.name));
    expect(answer.data).toMatchObject({
      id: patched,
      name: saved.name,
      versionId: saved.versionId,
      versionCounter: saved.versionCounter,
      active: false,
      updatedAt: saved.updatedAt,
      removedNodes: [],
    });

    // The same edit without PATCH: read the whole workflow, send it back whole.
    const other = await create(body);
    const read = await t.app.inject({ url: url(other), headers: headers() });
    const putBody = JSON.stringify(equivalentPutBody(body));
    const put = await t.app.inject({
      method: 'PUT',
      url: url(other),
      headers: headers({ 'content-type': 'application/json' }),
      payload: putBody,
    });
    expect(put.statusCode, put.body).toBe(200);
    const minimalBytes = Buffer.byteLength(request) + res.rawPayload.length;
    const getPutBytes = read.rawPayload.length + Buffer.byteLength(putBody) + put.rawPayload.length;
    expect(minimalBytes / getPutBytes).toBeLessThan(0.05);
  });

  it('takes the body flag too, and without either answers the whole workflow as before', async () => {
    const id = await create(sampleWorkflowBody('Flag'));
    const flagged = await patch(id, { return: 'minimal', operations: [{ type: 'moveNode', nodeName: 'Set', position: [10, 10] }] });
    expect(flagged.statusCode, flagged.body).toBe(200);
    expect(flagged.headers['preference-applied']).toBeUndefined();
    expect(Object.keys(flagged.json().data).sort()).toEqual(MINIMAL_KEYS);
    expect(flagged.json().data.nodes).toEqual([expect.objectContaining({ name: 'Set', position: [10, 10] })]);

    const full = await patch(id, { operations: [{ type: 'moveNode', nodeName: 'Set', position: [20, 20] }] });
    expect(full.headers['preference-applied']).toBeUndefined();
    expect(full.json().data).toEqual(await get(id));
  });

  it('reads the preference among others, quoted or not, and lets the body decide when both are sent', async () => {
    const id = await create(sampleWorkflowBody('Parse'));
    const move = (x: number) => [{ type: 'moveNode', nodeName: 'Set', position: [x, 0] }];
    const among = await patch(id, { operations: move(1) }, { prefer: 'handling=lenient, RETURN="minimal"; x=1' });
    expect(among.headers['preference-applied']).toBe('return=minimal');
    expect(among.json().data.nodes).toHaveLength(1);
    const representation = await patch(id, { operations: move(2) }, { prefer: 'return=representation' });
    expect(representation.headers['preference-applied']).toBeUndefined();
    expect(representation.json().data.nodes).toHaveLength(2);
    const bodyWins = await patch(id, { return: 'representation', operations: move(3) }, { prefer: 'return=minimal' });
    expect(bodyWins.headers['preference-applied']).toBeUndefined();
    expect(bodyWins.json().data.shared).toBeDefined();
  });

  it('lists added nodes with their new ids and removed nodes by name; validateOnly answers the same and saves nothing', async () => {
    const id = await create(sampleWorkflowBody('Add and remove'));
    const before = await get(id);
    const operations = [
      { type: 'removeNode', nodeName: 'Set' },
      { type: 'addNode', node: { name: 'Later', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0] } },
      { type: 'addConnection', source: 'Webhook', target: 'Later' },
    ];
    const preview = await patch(id, { validateOnly: true, operations }, { prefer: 'return=minimal' });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().data).toMatchObject({ removedNodes: ['Set'], nodes: [expect.objectContaining({ name: 'Later' })] });
    expect(await get(id)).toEqual(before);

    const res = await patch(id, { operations }, { prefer: 'return=minimal' });
    const { data } = res.json();
    expect(data.removedNodes).toEqual(['Set']);
    expect(data.nodes).toHaveLength(1);
    const saved = await get(id);
    expect(data.nodes[0]).toEqual(saved.nodes.find((n: { name: string }) => n.name === 'Later'));
    expect(data.nodes[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.versionId).toBe(saved.versionId);
  });

  it('answers a refused batch exactly as without the preference', async () => {
    const id = await create(sampleWorkflowBody('Refused'));
    const operations = [{ type: 'updateNode', nodeName: 'Nope', changes: { notes: 'x' } }];
    const plain = await patch(id, { operations });
    const minimal = await patch(id, { operations }, { prefer: 'return=minimal' });
    expect(minimal.statusCode).toBe(400);
    expect(plain.statusCode).toBe(400);
    const { requestId: _a, ...plainBody } = plain.json();
    const { requestId: _b, ...minimalBody } = minimal.json();
    expect(minimalBody).toEqual(plainBody);
    expect(minimalBody.data).toBeNull();
  });
});
