import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Edits read the current documents from the instance's cache when it holds the locked version. Two instances on
 * one database: each one's cache must never hide the other's writes.
 */

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await buildTestApp();
  b = await buildTestApp({}, a.db);
});
afterAll(async () => {
  await b.close();
  await a.close();
});

const patch = (t: TestApp, key: string, id: string, operations: object[]) =>
  t.app.inject({
    method: 'PATCH',
    url: `/api/v1/workflows/${id}`,
    headers: { 'x-n8n-api-key': key, prefer: 'return=minimal' },
    payload: { operations },
  });

const setParameter = (nodeName: string, value: string) => ({
  type: 'updateNode',
  nodeName,
  changes: { 'parameters.marker': value },
});

async function createWorkflow(name: string): Promise<string> {
  const created = await a.app.inject({
    method: 'POST',
    url: '/api/v1/workflows',
    headers: { 'x-n8n-api-key': a.ownerKey },
    payload: sampleWorkflowBody(name),
  });
  return created.json().id;
}

async function storedNodes(id: string) {
  const { rows } = await a.app.runtime.sql.query('SELECT nodes, version_id FROM workflow WHERE id = $1', [id]);
  return rows[0] as { nodes: { name: string; parameters: { marker?: string } }[]; version_id: string };
}

describe('edits through the document cache', () => {
  it('an instance editing after another one did sees that edit, and keeps it', async () => {
    const id = await createWorkflow('Shared between instances');
    const bKey = await b.createKey(['*'], 'b');
    expect((await patch(a, a.ownerKey, id, [setParameter('Set', 'a1')])).statusCode).toBe(200);
    expect((await patch(a, a.ownerKey, id, [setParameter('Set', 'a2')])).statusCode).toBe(200);
    const fromB = await patch(b, bKey, id, [setParameter('Webhook', 'b1')]);
    expect(fromB.statusCode, fromB.body).toBe(200);
    const last = await patch(a, a.ownerKey, id, [setParameter('Set', 'a3')]);
    expect(last.statusCode, last.body).toBe(200);

    const { nodes } = await storedNodes(id);
    expect(Object.fromEntries(nodes.map((n) => [n.name, n.parameters.marker]))).toEqual({ Webhook: 'b1', Set: 'a3' });
    const read = (await a.app.inject({ url: `/api/v1/workflows/${id}`, headers: { 'x-n8n-api-key': a.ownerKey } })).json();
    expect(read.nodes.map((n: { parameters: { marker?: string } }) => n.parameters.marker)).toEqual(['b1', 'a3']);
  });

  it('a row changed outside the server (same version and updatedAt) is read again, not overwritten from the cache', async () => {
    const id = await createWorkflow('Changed behind the cache');
    expect((await patch(a, a.ownerKey, id, [setParameter('Set', 'cached')])).statusCode).toBe(200);
    // Behind the app's back, keeping version_id and updated_at (as a hand-made SQL fix would).
    await a.app.runtime.sql.query(`UPDATE workflow SET nodes = jsonb_set(nodes, '{0,parameters,marker}', '"by hand"') WHERE id = $1`, [id]);
    expect((await patch(a, a.ownerKey, id, [setParameter('Set', 'next')])).statusCode).toBe(200);
    const { nodes } = await storedNodes(id);
    expect(nodes.map((n) => n.parameters.marker)).toEqual(['by hand', 'next']);
  });
});
