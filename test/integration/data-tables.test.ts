import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, userWithKey } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const api = (method: string, url: string, payload?: unknown) => call(t, method, url, t.ownerKey, payload);
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const ROW_KEYS = ['id', 'createdAt', 'updatedAt'];

describe('data tables, as n8n 2.39 answers them', () => {
  it('walks the captured sequence: tables, columns, rows, filters, upsert, dry runs, clear, delete', async () => {
    const created = await api('POST', '/data-tables', {
      name: 'dt-customers',
      columns: [
        { name: 'email', type: 'string' },
        { name: 'score', type: 'number' },
        { name: 'vip', type: 'boolean' },
        { name: 'seen', type: 'date' },
      ],
    });
    expect(created.status, created.text).toBe(201);
    expect(Object.keys(created.body)).toEqual(['updatedAt', 'createdAt', 'id', 'name', 'projectId', 'columns', 'sizeBytes']);
    expect(created.body.columns.map((c: Json) => [c.name, c.type, c.index, c.dataTableId])).toEqual([
      ['email', 'string', 0, created.body.id],
      ['score', 'number', 1, created.body.id],
      ['vip', 'boolean', 2, created.body.id],
      ['seen', 'date', 3, created.body.id],
    ]);
    expect(created.body.sizeBytes).toBeGreaterThan(0);
    const id = created.body.id as string;
    const table = `/data-tables/${id}`;

    const duplicate = await api('POST', '/data-tables', { name: 'dt-customers', columns: [] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toBe("Data table with name 'dt-customers' already exists in this project");
    const badType = await api('POST', '/data-tables', { name: 'dt2', columns: [{ name: 'x', type: 'blob' }] });
    expect(badType.status).toBe(400);
    expect(badType.body.message).toContain('request/body/columns/0/type');

    const list = await api('GET', '/data-tables?limit=5');
    expect(list.status).toBe(200);
    const listed = list.body.data.find((d: Json) => d.id === id);
    expect(listed.columns[0]).not.toHaveProperty('dataTableId');
    expect((await api('GET', table)).body.name).toBe('dt-customers');
    const renamed = await api('PATCH', table, { name: 'dt-customers-renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('dt-customers-renamed');

    const note = await api('POST', `${table}/columns`, { name: 'note', type: 'string' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ dataTableId: id, name: 'note', type: 'string', index: 4 });
    expect((await api('GET', `${table}/columns`)).body.map((c: Json) => c.name)).toEqual(['email', 'score', 'vip', 'seen', 'note']);

    const inserted = await api('POST', `${table}/rows`, {
      data: [
        { email: 'a@x.io', score: 3, vip: true, seen: '2026-01-02T00:00:00.000Z' },
        { email: 'b@x.io', score: 7, vip: false },
      ],
      returnType: 'all',
    });
    expect(inserted.status, inserted.text).toBe(200);
    expect(inserted.body[0]).toEqual({
      email: 'a@x.io',
      score: 3,
      vip: true,
      seen: '2026-01-02T00:00:00.000Z',
      note: null,
      id: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(Object.keys(inserted.body[1])).toEqual(['email', 'score', 'vip', 'seen', 'note', ...ROW_KEYS]);
    expect((await api('POST', `${table}/rows`, { data: [{ email: 'c@x.io', score: 1 }], returnType: 'count' })).body).toEqual({
      success: true,
      insertedRows: 1,
    });
    const unknown = await api('POST', `${table}/rows`, { data: [{ nope: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe("Validation error with data table request: unknown column name 'nope'");
    const wrongType = await api('POST', `${table}/rows`, { data: [{ score: 'high' }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toBe(
      "Validation error with data table request: value 'high' does not match column type 'number': 'score' expects a number but we got 'high'",
    );

    const page = await api('GET', `${table}/rows?limit=2`);
    expect(page.body.data.map((r: Json) => r.email)).toEqual(['a@x.io', 'b@x.io']);
    expect(page.body.nextCursor).toBe('eyJsaW1pdCI6Miwib2Zmc2V0IjoyfQ==');
    const filtered = await api(
      'GET',
      `${table}/rows?filter=${q({ type: 'and', filters: [{ columnName: 'score', condition: 'gt', value: 2 }] })}&sortBy=score%3Adesc`,
    );
    expect(filtered.body.data.map((r: Json) => r.email)).toEqual(['b@x.io', 'a@x.io']);
    expect(filtered.body.nextCursor).toBeNull();
    expect((await api('GET', `${table}/rows?search=b%40x`)).body.data.map((r: Json) => r.email)).toEqual(['b@x.io']);

    const updated = await api('PATCH', `${table}/rows/update`, {
      filter: { type: 'and', filters: [{ columnName: 'email', condition: 'eq', value: 'a@x.io' }] },
      data: { score: 10 },
      returnData: true,
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toEqual([expect.objectContaining({ email: 'a@x.io', score: 10, id: 1 })]);
    const upserted = await api('POST', `${table}/rows/upsert`, {
      filter: { type: 'and', filters: [{ columnName: 'email', condition: 'eq', value: 'z@x.io' }] },
      data: { email: 'z@x.io', score: 5 },
      returnData: true,
    });
    expect(upserted.body).toEqual([expect.objectContaining({ email: 'z@x.io', score: 5, vip: null, id: 4 })]);

    const lowScores = q({ type: 'and', filters: [{ columnName: 'score', condition: 'lt', value: 4 }] });
    const dryRun = await api('DELETE', `${table}/rows/delete?filter=${lowScores}&dryRun=true&returnData=true`);
    expect(dryRun.body).toEqual([
      expect.objectContaining({ email: 'c@x.io', id: 3, dryRunState: 'before' }),
      { id: null, createdAt: null, updatedAt: null, email: null, score: null, vip: null, seen: null, note: null, dryRunState: 'after' },
    ]);
    expect((await api('GET', `${table}/rows`)).body.data).toHaveLength(4);
    const deleted = await api('DELETE', `${table}/rows/delete?filter=${lowScores}&returnData=true`);
    expect(deleted.body).toEqual([expect.objectContaining({ email: 'c@x.io', id: 3 })]);
    const noFilter = await api('DELETE', `${table}/rows/delete`);
    expect(noFilter.status).toBe(400);
    expect(noFilter.body.message).toContain('filter');

    const renamedColumn = await api('PATCH', `${table}/columns/${note.body.id}`, { name: 'notes' });
    expect(renamedColumn.body).toMatchObject({ name: 'notes', index: 4 });
    const moved = await api('PATCH', `${table}/columns/${note.body.id}`, { index: 0 });
    expect(moved.body.index).toBe(0);
    expect((await api('GET', `${table}/columns`)).body.map((c: Json) => c.name)).toEqual(['notes', 'email', 'score', 'vip', 'seen']);
    expect((await api('DELETE', `${table}/columns/${note.body.id}`)).status).toBe(204);
    expect(Object.keys((await api('GET', `${table}/rows`)).body.data[0])).toEqual(['email', 'score', 'vip', 'seen', ...ROW_KEYS]);
    expect((await api('DELETE', `${table}/rows/clear`)).body).toEqual({ deletedCount: 3 });
    expect((await api('DELETE', table)).status).toBe(204);
    const gone = await api('GET', table);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe(`Could not find the data table: '${id}'`);
    const [left] = await t.app.prisma.$queryRawUnsafe<{ rel: string | null }[]>(
      `SELECT to_regclass('"data_table_user_${id}"')::text AS rel`,
    );
    expect(left?.rel).toBeNull();
  });

  it('filters with or, neq, like, ilike, isEmpty and isNotEmpty, and sorts by any column', async () => {
    const created = await api('POST', '/data-tables', {
      name: 'dt-filters',
      columns: [
        { name: 'name', type: 'string' },
        { name: 'n', type: 'number' },
        { name: 'meta', type: 'json' },
      ],
    });
    const table = `/data-tables/${created.body.id}`;
    await api('POST', `${table}/rows`, {
      data: [{ name: 'Alpha', n: 1, meta: { tag: 'x' } }, { name: 'beta', n: 2 }, { name: '', n: 3 }, { n: 4 }],
    });
    const names = async (filter: unknown, sortBy = 'n:asc') =>
      (await api('GET', `${table}/rows?filter=${q(filter)}&sortBy=${encodeURIComponent(sortBy)}`)).body.data.map((r: Json) => r.n);
    expect(
      await names({
        type: 'or',
        filters: [
          { columnName: 'n', condition: 'eq', value: 1 },
          { columnName: 'n', condition: 'gte', value: 4 },
        ],
      }),
    ).toEqual([1, 4]);
    expect(await names({ filters: [{ columnName: 'name', condition: 'neq', value: 'beta' }] })).toEqual([1, 3, 4]);
    expect(await names({ filters: [{ columnName: 'name', condition: 'like', value: 'A%' }] })).toEqual([1]);
    expect(await names({ filters: [{ columnName: 'name', condition: 'ilike', value: '%A%' }] })).toEqual([1, 2]);
    expect(await names({ filters: [{ columnName: 'name', condition: 'isEmpty' }] })).toEqual([3, 4]);
    expect(await names({ filters: [{ columnName: 'name', condition: 'isNotEmpty' }] }, 'name:desc')).toEqual([2, 1]);
    const json = (await api('GET', `${table}/rows?sortBy=n:asc`)).body.data[0];
    expect(json.meta).toEqual({ tag: 'x' });
    const badColumn = await api('GET', `${table}/rows?filter=${q({ filters: [{ columnName: 'x"; DROP', condition: 'eq', value: 1 }] })}`);
    expect(badColumn.status).toBe(400);
    expect(badColumn.body.message).toBe("Validation error with data table request: unknown column name 'x\"; DROP'");
    expect((await api('GET', `${table}/rows?sortBy=nope:asc`)).status).toBe(400);
  });

  it('never makes two rows of one key when upserts race', async () => {
    const created = await api('POST', '/data-tables', {
      name: 'dt-race',
      columns: [
        { name: 'key', type: 'string' },
        { name: 'hits', type: 'number' },
      ],
    });
    const table = `/data-tables/${created.body.id}`;
    const upsert = (i: number) =>
      api('POST', `${table}/rows/upsert`, {
        filter: { filters: [{ columnName: 'key', condition: 'eq', value: 'k' }] },
        data: { key: 'k', hits: i },
      });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => upsert(i)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect((await api('GET', `${table}/rows`)).body.data).toHaveLength(1);
  });

  it('keeps tables to their project: invisible is missing, a viewer may read but not write', async () => {
    const viewer = await userWithKey(t, 'dt-viewer', { extraScopes: ['dataTable:*', 'dataTableRow:*', 'dataTableColumn:*'] });
    const outsider = await userWithKey(t, 'dt-outsider', { extraScopes: ['dataTable:*', 'dataTableRow:*', 'dataTableColumn:*'] });
    const team = (await api('POST', '/projects', { name: 'Data team' })).body.id as string;
    await api('POST', `/projects/${team}/users`, { relations: [{ userId: viewer.id, role: 'project:viewer' }] });
    const created = await api('POST', '/data-tables', { name: 'dt-team', projectId: team, columns: [{ name: 'a', type: 'string' }] });
    expect(created.body.projectId).toBe(team);
    const table = `/data-tables/${created.body.id}`;
    await api('POST', `${table}/rows`, { data: [{ a: 'secret' }] });
    expect((await call(t, 'GET', `${table}/rows`, viewer.key)).body.data).toHaveLength(1);
    expect((await call(t, 'POST', `${table}/rows`, viewer.key, { data: [{ a: 'x' }] })).status).toBe(403);
    expect((await call(t, 'GET', table, outsider.key)).status).toBe(404);
    expect((await call(t, 'GET', '/data-tables', outsider.key)).body.data.map((d: Json) => d.id)).not.toContain(created.body.id);
    // A member's own table goes to their personal project.
    const own = await call(t, 'POST', '/data-tables', outsider.key, { name: 'mine', columns: [] });
    expect(own.status, own.text).toBe(201);
    expect(own.body.projectId).not.toBe(team);
  });

  it('refuses writes past N8N_DATA_TABLES_MAX_SIZE_BYTES with a clear 400, and keeps what is there', async () => {
    const small = await buildTestApp({ N8N_DATA_TABLES_MAX_SIZE_BYTES: '40000' });
    try {
      const post = (url: string, payload: unknown) => call(small, 'POST', url, small.ownerKey, payload);
      const created = await post('/data-tables', { name: 'dt-big', columns: [{ name: 'text', type: 'string' }] });
      const table = `/data-tables/${created.body.id}`;
      const filler = Array.from({ length: 200 }, () => ({ text: 'x'.repeat(500) }));
      expect((await post(`${table}/rows`, { data: filler })).status).toBe(200);
      const refused = await post(`${table}/rows`, { data: filler });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/over this server's limit of 40000 \(N8N_DATA_TABLES_MAX_SIZE_BYTES\)/);
      expect((await call(small, 'GET', `${table}/rows?limit=250`, small.ownerKey)).body.data).toHaveLength(200);
    } finally {
      await small.close();
    }
  });
});
