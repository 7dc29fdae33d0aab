import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json } from '../helpers/team.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let tableId = '';
beforeAll(async () => {
  t = await buildTestApp();
  const created = await call(t, 'POST', '/data-tables', t.ownerKey, {
    name: 'Leads',
    columns: [
      { name: 'email', type: 'string' },
      { name: 'score', type: 'number' },
      { name: 'vip', type: 'boolean' },
      { name: 'contactedAt', type: 'date' },
    ],
  });
  expect(created.status, created.text).toBe(201);
  tableId = created.body.id;
});
afterAll(() => t.close());

const tableRef = (value = tableId, cachedResultName = 'Leads') => ({ __rl: true, mode: 'list', value, cachedResultName });

/** Manual trigger → Code (the items) → Data Table node with `parameters`: the node's output items. */
async function runNode(parameters: Json, items: Json[], typeVersion = 1) {
  const workflow = await call(t, 'POST', '/workflows', t.ownerKey, {
    name: `Data table ${parameters.operation ?? 'insert'}`,
    nodes: [
      { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      {
        name: 'Items',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        position: [200, 0],
        parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
      },
      { name: 'Table', type: 'n8n-nodes-base.dataTable', typeVersion, position: [400, 0], parameters },
    ],
    connections: {
      Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
      Items: { main: [[{ node: 'Table', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
  });
  expect(workflow.status, workflow.text).toBe(200);
  const run = await call(t, 'POST', `/workflows/${workflow.body.id}/run`, t.ownerKey, { wait: true });
  expect(run.status, run.text).toBe(200);
  const result = run.body.data.resultData;
  if (run.body.status !== 'success') return { error: result.error?.message as string, items: [] as Json[] };
  return { error: undefined, items: (result.runData.Table[0].data.main[0] as Json[]).map((i) => i.json) };
}

const schema = ['email', 'score', 'vip', 'contactedAt'].map((id) => ({ id, type: 'string', display: true, removed: false }));

describe('the Data Table node, as the community templates use it', () => {
  it('inserts mapped rows (defineBelow with expressions, and autoMapInputData), converting "3" to a number', async () => {
    const mapped = await runNode(
      {
        dataTableId: tableRef(),
        columns: { mappingMode: 'defineBelow', value: { email: '={{ $json.mail }}', score: '={{ $json.points }}', vip: 'true' }, schema },
      },
      [
        { mail: 'a@x.io', points: '3' },
        { mail: 'b@x.io', points: 7 },
      ],
    );
    expect(mapped.error).toBeUndefined();
    expect(mapped.items.map((r) => [r.email, r.score, r.vip, typeof r.id])).toEqual([
      ['a@x.io', 3, true, 'number'],
      ['b@x.io', 7, true, 'number'],
    ]);
    const auto = await runNode(
      { operation: 'insert', dataTableId: tableRef(), columns: { mappingMode: 'autoMapInputData', value: {}, schema } },
      [{ email: 'c@x.io', score: 1, vip: false, ignored: 'not a column' }],
      1.1,
    );
    expect(auto.items).toEqual([expect.objectContaining({ email: 'c@x.io', score: 1, vip: false, contactedAt: null })]);
  });

  it('gets rows by conditions (any or all), with a limit or all of them', async () => {
    const any = await runNode(
      {
        operation: 'get',
        dataTableId: tableRef(),
        filters: {
          conditions: [
            { keyName: 'email', keyValue: 'a@x.io' },
            { keyName: 'score', condition: 'gte', keyValue: '7' },
          ],
        },
        returnAll: true,
      },
      [{}],
    );
    expect(any.items.map((r) => r.email)).toEqual(['a@x.io', 'b@x.io']);
    const all = await runNode(
      {
        operation: 'get',
        dataTableId: tableRef(),
        matchType: 'allConditions',
        filters: {
          conditions: [
            { keyName: 'vip', condition: 'isTrue' },
            { keyName: 'score', condition: 'lt', keyValue: 5 },
          ],
        },
      },
      [{}],
    );
    expect(all.items.map((r) => r.email)).toEqual(['a@x.io']);
    const limited = await runNode({ operation: 'get', dataTableId: tableRef(), limit: 2 }, [{}]);
    expect(limited.items).toHaveLength(2);
    const empty = await runNode(
      {
        operation: 'get',
        dataTableId: tableRef(),
        filters: { conditions: [{ keyName: 'contactedAt', condition: 'isEmpty' }] },
        returnAll: true,
      },
      [{}],
    );
    expect(empty.items).toHaveLength(3);
  });

  it('updates and upserts by key, and passes items on by whether their row exists', async () => {
    const updated = await runNode(
      {
        operation: 'update',
        dataTableId: tableRef(),
        filters: { conditions: [{ keyName: 'email', keyValue: '={{ $json.email }}' }] },
        columns: { mappingMode: 'defineBelow', value: { contactedAt: '2026-12-01T10:00:00.000Z' }, schema },
      },
      [{ email: 'a@x.io' }],
    );
    expect(updated.items).toEqual([expect.objectContaining({ email: 'a@x.io', contactedAt: '2026-12-01T10:00:00.000Z' })]);
    const upsert = (email: string, score: number) =>
      runNode(
        {
          operation: 'upsert',
          dataTableId: tableRef(),
          filters: { conditions: [{ keyName: 'email', keyValue: '={{ $json.email }}' }] },
          columns: { mappingMode: 'defineBelow', value: { email: '={{ $json.email }}', score: '={{ $json.score }}' }, schema },
        },
        [{ email, score }],
      );
    expect((await upsert('d@x.io', 4)).items).toEqual([expect.objectContaining({ email: 'd@x.io', score: 4 })]);
    expect((await upsert('d@x.io', 9)).items).toEqual([expect.objectContaining({ email: 'd@x.io', score: 9 })]);
    const rows = await call(t, 'GET', `/data-tables/${tableId}/rows?limit=250`, t.ownerKey);
    expect(rows.body.data.filter((r: Json) => r.email === 'd@x.io')).toHaveLength(1);

    const candidates = [
      { email: 'a@x.io', tag: 'known' },
      { email: 'new@x.io', tag: 'new' },
    ];
    const exists = await runNode(
      { operation: 'rowExists', dataTableId: tableRef(), filters: { conditions: [{ keyName: 'email', keyValue: '={{ $json.email }}' }] } },
      candidates,
    );
    expect(exists.items).toEqual([{ email: 'a@x.io', tag: 'known' }]);
    const notExists = await runNode(
      {
        operation: 'rowNotExists',
        dataTableId: tableRef(),
        filters: { conditions: [{ keyName: 'email', keyValue: '={{ $json.email }}' }] },
      },
      candidates,
    );
    expect(notExists.items).toEqual([{ email: 'new@x.io', tag: 'new' }]);
  });

  it('deletes rows by conditions, and finds an imported workflow’s table by the name it was saved with', async () => {
    const deleted = await runNode(
      {
        operation: 'deleteRows',
        dataTableId: tableRef('IdFromAnotherServer', 'Leads'),
        filters: { conditions: [{ keyName: 'score', condition: 'lt', keyValue: '2' }] },
        options: {},
      },
      [{}],
    );
    expect(deleted.error).toBeUndefined();
    expect(deleted.items.map((r) => r.email)).toEqual(['c@x.io']);
    const noCondition = await runNode({ operation: 'deleteRows', dataTableId: tableRef(), filters: { conditions: [] } }, [{}]);
    expect(noCondition.error).toBe('At least one condition is required');
  });

  it('reaches only its own project’s tables', async () => {
    const team = (await call(t, 'POST', '/projects', t.ownerKey, { name: 'Elsewhere' })).body.id as string;
    const other = await call(t, 'POST', '/data-tables', t.ownerKey, {
      name: 'Theirs',
      projectId: team,
      columns: [{ name: 'a', type: 'string' }],
    });
    const run = await runNode({ operation: 'get', dataTableId: tableRef(other.body.id, 'Theirs') }, [{}]);
    expect(run.error).toBe('Data table "Theirs" was not found in this workflow\'s project');
  });
});
