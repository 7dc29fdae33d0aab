import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { toVersionDto, toWorkflowDto, toWorkflowListItemDto } from '../../src/modules/workflows/workflows.dto.ts';
import { VersionSchema, WorkflowListSchema, WorkflowSchema } from '../../src/modules/workflows/workflows.schemas.ts';
import { api } from '../helpers/api.ts';
import { ownerGrant } from '../helpers/principals.ts';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { createBodyOf, loadTemplates } from '../helpers/template-corpus.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * GET /workflows/:id and GET /workflows answer from pass-through reads (the documents as PostgreSQL's JSON text,
 * never parsed or re-serialized). Here each answer is compared with the validated path: the same record read
 * parsed, mapped by the same DTO functions and serialized through the route's zod response schema, as every other
 * workflow answer is. Content must be equal (JSON objects are unordered; top-level keys keep their order too).
 */

let t: TestApp;
const ids: string[] = [];

/** The validated path's JSON text for a value and response schema, as Fastify's serializer makes it. */
const validated = (schema: z.ZodType, value: unknown) =>
  JSON.parse((serializerCompiler({ schema, method: 'GET', url: '/', httpStatus: '200' } as never) as (v: unknown) => string)(value));

async function create(body: unknown) {
  const res = await api(t, 'POST', '/workflows', body);
  expect(res.statusCode, res.body).toBe(200);
  ids.push(res.json().id);
  return res.json().id as string;
}

beforeAll(async () => {
  t = await buildTestApp();
  // Real workflows: every 8th template of the n8n-mcp corpus that n8n accepts (about 290 of them).
  const templates = loadTemplates().filter((_, i) => i % 8 === 0);
  for (const template of templates) {
    const res = await api(t, 'POST', '/workflows', createBodyOf(template));
    if (res.statusCode === 200) ids.push(res.json().id);
  }
  // Every field a workflow can carry: description, pinned and static data, node groups, tags.
  const full = {
    ...sampleWorkflowBody('Everything set'),
    description: 'all the optional fields',
    pinData: { Webhook: [{ json: { pinned: true, text: 'ünïcode ✓ "quoted" \\ slash' } }] },
    staticData: { lastId: 41 },
    nodeGroups: [{ id: 'g1', name: 'Group', nodeIds: [] }],
  };
  const everything = await create(full);
  const tag = (await api(t, 'POST', '/tags', { name: 'pass-through' })).json();
  await api(t, 'PUT', `/workflows/${everything}/tags`, [{ id: tag.id }]);
  // Published, with a publish history; then a draft on top, so the active version differs from the current one.
  const published = await create(sampleWorkflowBody('Published'));
  expect((await api(t, 'POST', `/workflows/${published}/activate`)).statusCode).toBe(200);
  await api(t, 'POST', `/workflows/${published}/deactivate`);
  expect((await api(t, 'POST', `/workflows/${published}/activate`)).statusCode).toBe(200);
  const draft = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/workflows/${published}?publishIfActive=false`,
    headers: { 'x-n8n-api-key': t.ownerKey },
    payload: { ...sampleWorkflowBody('Published, draft on top'), settings: {} },
  });
  expect(draft.statusCode, draft.body).toBe(200);
  const archived = await create(sampleWorkflowBody('Archived'));
  await api(t, 'POST', `/workflows/${archived}/archive`);
}, 240_000);
afterAll(() => t?.close());

describe('pass-through reads answer exactly what the validated path answers', () => {
  it('GET /workflows/:id, with and without excludePinnedData, for every workflow', async () => {
    expect(ids.length).toBeGreaterThan(250);
    for (const excludePinnedData of [false, true]) {
      for (const id of ids) {
        const res = await api(t, 'GET', `/workflows/${id}${excludePinnedData ? '?excludePinnedData=true' : ''}`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        const { workflow, activeVersion } = await t.app.services.workflows.get(id, ownerGrant());
        const expected = validated(WorkflowSchema, toWorkflowDto(workflow, { activeVersion, excludePinnedData }));
        const actual = res.json();
        expect(actual).toEqual(expected);
        expect(Object.keys(actual)).toEqual(Object.keys(expected));
      }
    }
    // The shapes the loop must have met: an active version with its history, pinned data present and left out.
    const published = (await api(t, 'GET', `/workflows?name=${encodeURIComponent('Published, draft on top')}`)).json().data[0];
    const one = (await api(t, 'GET', `/workflows/${published.id}`)).json();
    expect(one.activeVersion.workflowPublishHistory.map((e: { event: string }) => e.event)).toEqual([
      'activated',
      'deactivated',
      'activated',
    ]);
    expect(one.activeVersion.versionId).not.toBe(one.versionId);
  });

  it('GET /workflows pages, with and without excludePinnedData, across every page', async () => {
    for (const excludePinnedData of [false, true]) {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const query = { limit: 100, cursor, excludePinnedData };
        const qs = new URLSearchParams({ limit: '100', excludePinnedData: String(excludePinnedData), ...(cursor ? { cursor } : {}) });
        const res = await api(t, 'GET', `/workflows?${qs}`);
        expect(res.statusCode).toBe(200);
        const page = await t.app.services.workflows.list(query, ownerGrant());
        const expected = validated(WorkflowListSchema, {
          data: page.data.map((w) => toWorkflowListItemDto(w, excludePinnedData)),
          nextCursor: page.nextCursor,
        });
        expect(res.json()).toEqual(expected);
        seen += res.json().data.length;
        cursor = res.json().nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toBe(ids.length);
    }
  });

  it('GET /workflows/:id/versions/:versionId and n8n’s /workflows/:id/:versionId, for every saved version', async () => {
    let checked = 0;
    const shapes = new Set<string>();
    for (const id of ids) {
      const { data } = await t.app.services.workflowHistory.list(id, ownerGrant(), { limit: 100 });
      for (const { versionId } of data) {
        const expected = validated(VersionSchema, toVersionDto(await t.app.services.workflowHistory.get(id, versionId, ownerGrant())));
        for (const url of [`/workflows/${id}/versions/${versionId}`, `/workflows/${id}/${versionId}`]) {
          const res = await api(t, 'GET', url);
          expect(res.statusCode, res.body).toBe(200);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(res.json()).toEqual(expected);
          expect(Object.keys(res.json())).toEqual(Object.keys(expected));
        }
        shapes.add(`${expected.pinData ? 'pinned' : 'unpinned'}:${expected.message ?? 'no message'}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(ids.length);
    // Met on the way: a version with pinned data, and the entries that archive and publish-as-draft leave.
    expect([...shapes].some((shape) => shape.startsWith('pinned'))).toBe(true);
    expect([...shapes].some((shape) => shape.endsWith(':archived'))).toBe(true);
    expect((await api(t, 'GET', `/workflows/${ids[0]}/versions/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });

  it('lists a changed workflow with its new documents at once (the document cache is keyed by version)', async () => {
    const listed = async () => (await api(t, 'GET', '/workflows?limit=250&name=Everything')).json().data[0];
    const before = await listed();
    const id = before.id as string;
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}`,
      headers: { 'x-n8n-api-key': t.ownerKey },
      payload: { operations: [{ type: 'updateNode', nodeName: 'Set', changes: { notes: 'changed after listing' } }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await listed();
    expect(after.versionId).not.toBe(before.versionId);
    expect(after.nodes.find((n: { name: string }) => n.name === 'Set').notes).toBe('changed after listing');
    expect(after).toEqual((await api(t, 'GET', `/workflows?limit=1&name=Everything`)).json().data[0]);
  });

  it('answers the same with the document cache turned off', async () => {
    const uncached = await buildTestApp({ WORKFLOW_CACHE_MB: '0' });
    try {
      const id = (await api(uncached, 'POST', '/workflows', sampleWorkflowBody('Uncached'))).json().id;
      const page = (await api(uncached, 'GET', '/workflows')).json();
      expect(page.data).toHaveLength(1);
      const { workflow } = await uncached.app.services.workflows.get(id, ownerGrant());
      expect(page.data[0]).toEqual(
        validated(WorkflowListSchema, { data: [toWorkflowListItemDto(workflow, false)], nextCursor: null }).data[0],
      );
    } finally {
      await uncached.close();
    }
  });
});
