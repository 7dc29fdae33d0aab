import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { sampleWorkflowBody } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const NANOID = /^[0-9A-Za-z]{16}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function call(method: Method, url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-n8n-api-key': t.ownerKey },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** A tag name unique to this run, well under the 24-character limit. */
const uniqueName = (prefix = 'tag') => `${prefix}-${newId(8)}`;

async function createTag(name = uniqueName()) {
  const res = await call('POST', '/tags', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const dbTag = (id: string) => t.app.prisma.tag.findUnique({ where: { id } });

function isoOf(tag: { id: string; name: string; createdAt: Date; updatedAt: Date } | null) {
  return tag && { id: tag.id, name: tag.name, createdAt: tag.createdAt.toISOString(), updatedAt: tag.updatedAt.toISOString() };
}

describe('POST /tags', () => {
  it('creates a tag with 201, a trimmed name and createdAt == updatedAt', async () => {
    const name = uniqueName('Tag');
    const res = await call('POST', '/tags', { name: `  ${name}  ` });
    expect(res.statusCode).toBe(201);
    const tag = res.json();
    expect(Object.keys(tag).sort()).toEqual(['createdAt', 'id', 'name', 'updatedAt']);
    expect(tag.id).toMatch(NANOID);
    expect(tag.name).toBe(name);
    expect(tag.createdAt).toBe(tag.updatedAt);
    expect(new Date(tag.createdAt).toISOString()).toBe(tag.createdAt);
    expect(isoOf(await dbTag(tag.id))).toEqual(tag);
  });

  it('answers 409 "Tag already exists" for a duplicate name, also after trimming', async () => {
    const tag = await createTag();
    const before = await t.app.prisma.tag.count();
    for (const name of [tag.name, ` ${tag.name} `]) {
      const res = await call('POST', '/tags', { name });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ message: 'Tag already exists', code: 'CONFLICT' });
    }
    expect(await t.app.prisma.tag.count()).toBe(before);
  });

  it('lets exactly one of several concurrent creates of the same name win', async () => {
    const name = uniqueName('race');
    const responses = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/tags', { name })));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await t.app.prisma.tag.count({ where: { name } })).toBe(1);
  });

  it('validates the name: required, 1 to 24 characters, nothing else in the body', async () => {
    const cases: { body: unknown; message: string | RegExp }[] = [
      { body: {}, message: "request/body must have required property 'name'" },
      { body: { name: 'x'.repeat(25) }, message: /^request\/body\/name / },
      { body: { name: '' }, message: /^request\/body\/name / },
      { body: { name: '    ' }, message: /^request\/body\/name / },
      { body: { name: 5 }, message: /^request\/body\/name / },
      { body: { name: uniqueName(), id: 'abcdefghijklmnop' }, message: /^request\/body .*'id'/ },
    ];
    const before = await t.app.prisma.tag.count();
    for (const c of cases) {
      const res = await call('POST', '/tags', c.body);
      expect(res.statusCode, JSON.stringify(c.body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_ERROR');
      if (typeof c.message === 'string') expect(res.json().message).toBe(c.message);
      else expect(res.json().message).toMatch(c.message);
    }
    expect(await t.app.prisma.tag.count()).toBe(before);

    // 24 characters is still fine, and so is 24 after trimming.
    const max = `${newId(20)}abcd`;
    expect((await createTag(max)).name).toBe(max);
    const padded = `${newId(24)}`;
    expect((await createTag(`  ${padded}  `)).name).toBe(padded);
  });
});

describe('GET /tags', () => {
  it('lists every tag with n8n’s fields, and pages with limit and cursor', async () => {
    for (let i = 0; i < 5; i++) await createTag();
    const all = await call('GET', '/tags?limit=250');
    expect(all.statusCode).toBe(200);
    const everything = all.json().data;
    expect(all.json().nextCursor).toBeNull();
    expect(everything.length).toBeGreaterThanOrEqual(5);
    expect(everything.length).toBe(await t.app.prisma.tag.count());
    for (const tag of everything) expect(Object.keys(tag).sort()).toEqual(['createdAt', 'id', 'name', 'updatedAt']);

    const paged: { id: string }[] = [];
    const cursors: string[] = [];
    let url = '/tags?limit=2';
    for (;;) {
      const res = await call('GET', url);
      expect(res.statusCode).toBe(200);
      const { data, nextCursor } = res.json();
      paged.push(...data);
      if (!nextCursor) break;
      expect(data).toHaveLength(2);
      cursors.push(nextCursor);
      url = `/tags?cursor=${encodeURIComponent(nextCursor)}`;
    }
    expect(paged.map((tag) => tag.id)).toEqual(everything.map((tag: { id: string }) => tag.id));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(JSON.parse(Buffer.from(cursors[0]!, 'base64').toString())).toEqual({ limit: 2, offset: 2 });

    const one = await call('GET', '/tags?limit=1');
    expect(one.json().data).toHaveLength(1);
    const next = await call('GET', `/tags?limit=1&cursor=${encodeURIComponent(one.json().nextCursor)}`);
    expect(next.json().data).toHaveLength(1);
    expect(next.json().data[0].id).not.toBe(one.json().data[0].id);
    expect(next.json().nextCursor).not.toBe(one.json().nextCursor);

    // limit is clamped rather than rejected
    expect((await call('GET', '/tags?limit=0')).statusCode).toBe(200);
    expect((await call('GET', '/tags?limit=999')).statusCode).toBe(200);
  });

  it('answers 400 for an invalid cursor', async () => {
    const res = await call('GET', '/tags?cursor=garbage');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: 'An invalid cursor was provided', code: 'VALIDATION_ERROR' });
  });
});

describe('GET /tags/:id', () => {
  it('returns the stored tag', async () => {
    const tag = await createTag();
    const res = await call('GET', `/tags/${tag.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(tag);
    expect(res.json()).toEqual(isoOf(await dbTag(tag.id)));
  });

  it('answers 404 "Not Found" for an unknown id', async () => {
    const res = await call('GET', '/tags/gZqmqiGAuo1dHT7q');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ message: 'Not Found', code: 'NOT_FOUND' });
  });
});

describe('PUT /tags/:id', () => {
  it('renames a tag, trimming the name and bumping updatedAt', async () => {
    const tag = await createTag();
    await sleep(5);
    const name = uniqueName('renamed');
    const res = await call('PUT', `/tags/${tag.id}`, { name: ` ${name} ` });
    expect(res.statusCode).toBe(200);
    const renamed = res.json();
    expect(renamed).toMatchObject({ id: tag.id, name, createdAt: tag.createdAt });
    expect(renamed.updatedAt).not.toBe(tag.updatedAt);
    expect(new Date(renamed.updatedAt).getTime()).toBeGreaterThan(new Date(tag.updatedAt).getTime());
    const row = await dbTag(tag.id);
    expect(isoOf(row)).toEqual(renamed);

    // The new name is what workflows and the tag filter see.
    const wf = (await call('POST', '/workflows', sampleWorkflowBody(uniqueName('wf')))).json();
    await call('PUT', `/workflows/${wf.id}/tags`, [{ id: tag.id }]);
    const listed = await call('GET', `/workflows?tags=${encodeURIComponent(name)}`);
    expect(listed.json().data.map((w: { id: string }) => w.id)).toEqual([wf.id]);
    expect(listed.json().data[0].tags[0]).toEqual(renamed);
  });

  it('keeps its own name without a conflict', async () => {
    const tag = await createTag();
    const res = await call('PUT', `/tags/${tag.id}`, { name: tag.name });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe(tag.name);
  });

  it('answers 409 when renaming to another tag’s name, changing neither', async () => {
    const a = await createTag();
    const b = await createTag();
    const before = [await dbTag(a.id), await dbTag(b.id)];
    const res = await call('PUT', `/tags/${a.id}`, { name: b.name });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ message: 'Tag already exists', code: 'CONFLICT' });
    expect([await dbTag(a.id), await dbTag(b.id)]).toEqual(before);
  });

  it('answers 404 for an unknown tag and 400 for a bad body', async () => {
    const missing = await call('PUT', '/tags/gZqmqiGAuo1dHT7q', { name: 'testing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('Not Found');
    const tag = await createTag();
    for (const body of [{}, { name: '' }, { name: 'y'.repeat(25) }]) {
      const res = await call('PUT', `/tags/${tag.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_ERROR');
    }
    expect(isoOf(await dbTag(tag.id))).toEqual(tag);
  });
});

describe('DELETE /tags/:id', () => {
  it('returns the deleted tag and removes it from every workflow', async () => {
    const tag = await createTag();
    const other = await createTag();
    const workflows = [];
    for (let i = 0; i < 2; i++) {
      const wf = (await call('POST', '/workflows', sampleWorkflowBody(uniqueName('wf')))).json();
      expect((await call('PUT', `/workflows/${wf.id}/tags`, [{ id: tag.id }, { id: other.id }])).statusCode).toBe(200);
      workflows.push(wf);
    }

    const res = await call('DELETE', `/tags/${tag.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(tag);
    expect(await dbTag(tag.id)).toBeNull();
    expect(await t.app.prisma.workflowTag.count({ where: { tagId: tag.id } })).toBe(0);

    for (const wf of workflows) {
      const tags = await call('GET', `/workflows/${wf.id}/tags`);
      expect(tags.json().map((x: { id: string }) => x.id)).toEqual([other.id]);
      expect((await call('GET', `/workflows/${wf.id}`)).json().tags.map((x: { id: string }) => x.id)).toEqual([other.id]);
    }
    // The workflows themselves stay.
    expect(await t.app.prisma.workflow.count({ where: { id: { in: workflows.map((w) => w.id) } } })).toBe(2);
    // A filter on the deleted name no longer matches anything.
    expect((await call('GET', `/workflows?tags=${encodeURIComponent(tag.name)}`)).json()).toEqual({ data: [], nextCursor: null });

    expect((await call('GET', `/tags/${tag.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/tags/${tag.id}`)).statusCode).toBe(404);
  });

  it('answers 404 "Not Found" for an unknown tag', async () => {
    const res = await call('DELETE', '/tags/gZqmqiGAuo1dHT7q');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('Not Found');
  });
});
