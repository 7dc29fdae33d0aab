import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwaway-postgres.ts';
import { chain, type Json, node, outputOf } from '../helpers/workflow-builders.ts';

/**
 * The Postgres node against a real PostgreSQL of its own (a throwaway embedded one), through the API: every
 * operation with n8n's parameters, parameters never spliced into SQL, one transaction per run, and this server's own
 * database out of reach.
 */
let t: TestApp;
let db: ThrowawayPostgres;
let admin: pg.Client;
let credential: { id: string; name: string };

beforeAll(async () => {
  [t, db] = await Promise.all([buildTestApp(), startThrowawayPostgres({ prefix: 'flowgate-pg-node-', database: 'shop' })]);
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, tier text, tags jsonb)');
  const url = new URL(db.url);
  const created = await api(t, 'POST', '/credentials', {
    name: 'Shop DB',
    type: 'postgres',
    data: {
      host: '127.0.0.1',
      port: Number(url.port),
      database: 'shop',
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      ssl: 'disable',
    },
  });
  expect(created.statusCode, created.body).toBe(200);
  credential = { id: created.json().id, name: 'Shop DB' };
}, 60_000);
afterAll(async () => {
  await admin?.end();
  await db?.stop();
  await t?.close();
});

async function runPostgres(parameters: Json, items: Json[] = [{}], cred = credential) {
  const nodes = [node('Start', 'manualTrigger'), node('DB', 'postgres', parameters, 2.6, { credentials: { postgres: cred } })];
  const id = await createWorkflow(t, { name: `pg ${Math.random()}`, nodes, connections: chain(nodes), settings: {} });
  const res = await api(t, 'POST', `/workflows/${id}/run`, { wait: true, items });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Json;
}
const table = { __rl: true, mode: 'list', value: 'customers' };
const schema = { __rl: true, mode: 'list', value: 'public' };
const rowsOf = (execution: Json) => outputOf(execution, 'DB').map((item) => item.json);

describe('Postgres node', () => {
  it('inserts items (auto-mapped) and defined columns, returning the rows', async () => {
    const auto = await runPostgres({ schema, table, columns: { mappingMode: 'autoMapInputData', value: {} } }, [
      { id: 1, name: 'Ada', tier: 'gold', tags: ['vip'] },
      { id: 2, name: "O'Brien; DROP TABLE customers", tier: 'silver' },
    ]);
    expect(rowsOf(auto)).toEqual([
      { id: 1, name: 'Ada', tier: 'gold', tags: ['vip'] },
      { id: 2, name: "O'Brien; DROP TABLE customers", tier: 'silver', tags: null },
    ]);
    const defined = await runPostgres({ schema, table, columns: { mappingMode: 'defineBelow', value: { id: 3, name: 'Grace' } } });
    expect(rowsOf(defined)).toEqual([{ id: 3, name: 'Grace', tier: null, tags: null }]);
  });

  it('selects with conditions, sort and limit, and runs a query with $1 parameters', async () => {
    const selected = await runPostgres({
      operation: 'select',
      schema,
      table,
      where: {
        values: [
          { column: 'tier', condition: 'IS NOT NULL' },
          { column: 'id', condition: '>=', value: 1 },
        ],
      },
      sort: { values: [{ column: 'id', direction: 'DESC' }] },
      limit: 1,
      options: { outputColumns: ['id', 'name'] },
    });
    expect(rowsOf(selected)).toEqual([{ id: 2, name: "O'Brien; DROP TABLE customers" }]);
    const queried = await runPostgres({
      operation: 'executeQuery',
      query: 'SELECT name FROM customers WHERE tier = $1 OR id = $2 ORDER BY id',
      options: { queryReplacement: 'gold, 3' },
    });
    expect(rowsOf(queried)).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
    const nothing = await runPostgres({ operation: 'executeQuery', query: "UPDATE customers SET tier = 'x' WHERE id = 99" });
    expect(rowsOf(nothing)).toEqual([{ success: true }]);
  });

  it('updates and upserts by the matching columns', async () => {
    const updated = await runPostgres({
      operation: 'update',
      schema,
      table,
      columns: { mappingMode: 'defineBelow', value: { id: 3, tier: 'bronze' }, matchingColumns: ['id'] },
    });
    expect(rowsOf(updated)).toEqual([{ id: 3, name: 'Grace', tier: 'bronze', tags: null }]);
    const upserted = await runPostgres(
      { operation: 'upsert', schema, table, columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: ['id'] } },
      [
        { id: 3, name: 'Grace Hopper', tier: 'gold' },
        { id: 4, name: 'Alan', tier: 'silver' },
      ],
    );
    expect(rowsOf(upserted).map((row) => row.name)).toEqual(['Grace Hopper', 'Alan']);
    expect((await admin.query('SELECT count(*)::int AS n FROM customers')).rows[0].n).toBe(4);
  });

  it('writes nothing when one item of the run fails (one transaction), and deletes by conditions', async () => {
    const failed = await runPostgres({ schema, table, columns: { mappingMode: 'autoMapInputData', value: {} } }, [
      { id: 10, name: 'Kept?' },
      { id: 11 },
    ]);
    expect(failed.status).toBe('error');
    expect((failed.data as { resultData: { error: Json } }).resultData.error.message).toContain('null value in column "name"');
    expect((await admin.query('SELECT count(*)::int AS n FROM customers WHERE id = 10')).rows[0].n).toBe(0);
    const deleted = await runPostgres({
      operation: 'deleteTable',
      deleteCommand: 'delete',
      schema,
      table,
      where: { values: [{ column: 'tier', value: 'silver' }] },
    });
    expect(rowsOf(deleted)).toEqual([{ success: true }]);
    expect((await admin.query('SELECT id FROM customers ORDER BY id')).rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it('refuses to connect to this server’s own database', async () => {
    const own = new URL(t.db.url);
    const created = await api(t, 'POST', '/credentials', {
      name: 'Own DB',
      type: 'postgres',
      data: {
        host: '127.0.0.1',
        port: Number(own.port),
        database: own.pathname.slice(1),
        user: decodeURIComponent(own.username),
        password: decodeURIComponent(own.password),
      },
    });
    const execution = await runPostgres({ operation: 'executeQuery', query: 'SELECT 1' }, [{}], { id: created.json().id, name: 'Own DB' });
    expect(execution.status).toBe('error');
    expect((execution.data as { resultData: { error: Json } }).resultData.error.message).toMatch(
      new RegExp(`refused: port ${own.port} on this machine is this server's`),
    );
  });
});
