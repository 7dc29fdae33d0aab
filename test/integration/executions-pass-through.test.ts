import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExecutionDto } from '../../src/modules/executions/executions.dto.ts';
import { ExecutionSchema } from '../../src/modules/executions/executions.schemas.ts';
import { api } from '../helpers/api.ts';
import { asCaller, ownerPrincipal } from '../helpers/principals.ts';
import { fixtureExecution } from '../helpers/route-fixtures.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * GET /executions/:id?includeData=true answers from a pass-through read (run data and workflow as PostgreSQL's
 * stored JSON text). Each answer is compared with the validated path: the same execution read parsed, mapped by
 * toExecutionDto and serialized through the route's response schema.
 */

let t: TestApp;
const ids: number[] = [];

const validated = (value: unknown) =>
  JSON.parse(
    (serializerCompiler({ schema: ExecutionSchema, method: 'GET', url: '/', httpStatus: '200' } as never) as (v: unknown) => string)(value),
  );

const OWNER = asCaller(ownerPrincipal());

/** A run whose data carries many items with awkward text (made by a Code node). */
async function manyItemsExecution() {
  const jsCode = `return Array.from({ length: 50 }, (_, i) => ({
    json: { i, text: 'ünïcode ✓ "quoted" \\\\ slash ' + i, nested: { list: [i, null, true, { deep: 'x' }] }, empty: {} },
  }));`;
  const workflow = await t.app.services.workflows.create(
    {
      name: 'Many items',
      nodes: [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { name: 'Make', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } },
        { name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
      ],
      connections: {
        Start: { main: [[{ node: 'Make', type: 'main', index: 0 }]] },
        Make: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] },
      },
      settings: { executionOrder: 'v1' },
    } as never,
    OWNER,
  );
  const run = await t.app.services.executions.run(workflow.id, {}, true, OWNER.grant);
  return run.execution!;
}

beforeAll(async () => {
  t = await buildTestApp();
  for (const outcome of ['success', 'error', 'waiting'] as const) ids.push(Number((await fixtureExecution(t, outcome)).id));
  ids.push(Number((await manyItemsExecution()).id));
  // Rows as an older or interrupted save may leave them: no data row, data that is JSON null, no workflow.
  const bare = Number((await fixtureExecution(t, 'success')).id);
  await t.app.runtime.sql.query('DELETE FROM execution_data WHERE execution_id = $1', [bare]);
  const nulls = Number((await fixtureExecution(t, 'success')).id);
  await t.app.runtime.sql.query(`UPDATE execution_data SET data = 'null', workflow_data = 'null' WHERE execution_id = $1`, [nulls]);
  const onlyStack = Number((await fixtureExecution(t, 'waiting')).id);
  await t.app.runtime.sql.query(
    `UPDATE execution_data SET data = json_build_object('executionData', data->'executionData') WHERE execution_id = $1`,
    [onlyStack],
  );
  // Escapes the json type stores but json_each cannot take apart (a NUL, a lone surrogate): answered parsed.
  const escapes = Number((await fixtureExecution(t, 'success')).id);
  await t.app.runtime.sql.query(
    `UPDATE execution_data SET data = '{"version": 1, "startData": {}, "resultData": {"runData": {}, "note": "a\\u0000b \\ud800"}}'
     WHERE execution_id = $1`,
    [escapes],
  );
  const odd = Number((await fixtureExecution(t, 'success')).id);
  await t.app.runtime.sql.query(`UPDATE execution_data SET data = '[1, 2]', workflow_data = '"text"' WHERE execution_id = $1`, [odd]);
  ids.push(bare, nulls, onlyStack, escapes, odd);
}, 120_000);
afterAll(() => t?.close());

describe('GET /executions/:id?includeData=true passes the run data through', () => {
  it('answers exactly what the validated path answers, for every shape', async () => {
    let withStack = 0;
    for (const id of ids) {
      const res = await api(t, 'GET', `/executions/${id}?includeData=true`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const expected = validated(toExecutionDto(await t.app.services.executions.get(id, true, OWNER.grant), true, false));
      expect(res.json()).toEqual(expected);
      expect(Object.keys(res.json())).toEqual(Object.keys(expected));
      if (expected.data.executionData?.nodeExecutionStack?.length) withStack++;
    }
    // The shapes the loop must have met: a parked run whose stack shows its nodes, and the empty run.
    expect(withStack).toBeGreaterThanOrEqual(2);
    const empty = (await api(t, 'GET', `/executions/${ids[4]}?includeData=true`)).json();
    expect(empty.data).toEqual({ version: 1, startData: {}, resultData: { runData: {} } });
    const escaped = (await api(t, 'GET', `/executions/${ids[7]}?includeData=true`)).json();
    expect(escaped.data.resultData.note).toBe('a\u0000b \ud800');
    const pinned = (await api(t, 'GET', `/executions/${ids[3]}?includeData=true`)).json();
    expect(pinned.data.resultData.runData.Pass[0].data.main[0]).toHaveLength(50);
  });

  it('still redacts on request, and answers 404 for an unknown execution', async () => {
    const redacted = (await api(t, 'GET', `/executions/${ids[3]}?includeData=true&redactExecutionData=true`)).json();
    expect(redacted.data.resultData.runData.Pass[0].data.main[0][0].json).toEqual({});
    expect((await api(t, 'GET', '/executions/999999?includeData=true')).statusCode).toBe(404);
  });
});
