import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersTcp } from '../../../../test/helpers/redis.ts';
import { createAddressPolicy } from '../../../lib/net/address-policy.ts';
import { jsonOf, runNode } from '../test-support.ts';
import { createMySqlNode } from './mysql.ts';

/** The MySQL node against the machine's MariaDB (root, no password, database `test`), in a table of its own. */
const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };
const available = await answersTcp(SERVER.host, SERVER.port);
const node = createMySqlNode(
  createAddressPolicy({ blockPrivate: false, blockedRanges: [], allowedRanges: [], allowedHostnames: [], internalPorts: [] }),
);
const table = `flowgate_node_${process.pid}`;
const credentials = { mySql: { ...SERVER } };
const run = async (parameters: Record<string, unknown>, items: { json: Record<string, unknown> }[] = [{ json: {} }]) =>
  jsonOf((await runNode(node, { node: { typeVersion: 2.4 }, parameters, items, credentials })).result);
const tableParam = { __rl: true, mode: 'list', value: table };

describe.skipIf(!available)('MySQL node (skipped: no MariaDB/MySQL answers on 127.0.0.1:3306)', () => {
  let admin: mysql.Connection;
  beforeAll(async () => {
    admin = await mysql.createConnection(SERVER);
    await admin.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, tier VARCHAR(20))`);
  });
  afterAll(async () => {
    await admin?.query(`DROP TABLE IF EXISTS \`${table}\``);
    await admin?.end();
  });

  it('inserts items and defined values, answering the server’s OK packet, with values never spliced into SQL', async () => {
    const inserted = await run({ operation: 'insert', table: tableParam }, [
      { json: { id: 1, name: "O'Hara`); DROP TABLE x; --", tier: 'gold' } },
      { json: { id: 2, name: 'Alan' } },
    ]);
    expect(inserted).toEqual([expect.objectContaining({ affectedRows: 1 }), expect.objectContaining({ affectedRows: 1 })]);
    await run({
      operation: 'insert',
      table: tableParam,
      dataMode: 'defineBelow',
      valuesToSend: {
        values: [
          { column: 'id', value: 3 },
          { column: 'name', value: 'Grace' },
        ],
      },
    });
    const [rows] = await admin.query(`SELECT id, name FROM \`${table}\` ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, name: "O'Hara`); DROP TABLE x; --" },
      { id: 2, name: 'Alan' },
      { id: 3, name: 'Grace' },
    ]);
  });

  it('selects with conditions, sort and limit, and runs a query with ? parameters', async () => {
    expect(
      await run({
        operation: 'select',
        table: tableParam,
        where: { values: [{ column: 'id', condition: '>', value: 1 }] },
        sort: { values: [{ column: 'id', direction: 'DESC' }] },
        limit: 1,
      }),
    ).toEqual([{ id: 3, name: 'Grace', tier: null }]);
    expect(
      await run({
        operation: 'executeQuery',
        query: `SELECT name FROM \`${table}\` WHERE id = ? OR tier = ?`,
        options: { queryReplacement: '2, gold' },
      }),
    ).toEqual([{ name: "O'Hara`); DROP TABLE x; --" }, { name: 'Alan' }]);
  });

  it('updates and upserts by the column to match on, in one transaction per run, and deletes by conditions', async () => {
    await run({ operation: 'update', table: tableParam, columnToMatchOn: 'id' }, [{ json: { id: 2, tier: 'silver' } }]);
    await run({ operation: 'upsert', table: tableParam, columnToMatchOn: 'id' }, [
      { json: { id: 3, name: 'Grace Hopper' } },
      { json: { id: 4, name: 'Edsger' } },
    ]);
    const [rows] = await admin.query(`SELECT id, name, tier FROM \`${table}\` ORDER BY id`);
    expect((rows as { id: number; name: string; tier: string | null }[]).slice(1)).toEqual([
      { id: 2, name: 'Alan', tier: 'silver' },
      { id: 3, name: 'Grace Hopper', tier: null },
      { id: 4, name: 'Edsger', tier: null },
    ]);
    await expect(
      run({ operation: 'insert', table: tableParam }, [{ json: { id: 10, name: 'kept?' } }, { json: { id: 11 } }]),
    ).rejects.toThrow(/name/);
    const [left] = await admin.query(`SELECT count(*) AS n FROM \`${table}\` WHERE id = 10`);
    expect((left as { n: number }[])[0]?.n).toBe(0);
    await run({
      operation: 'deleteTable',
      deleteCommand: 'delete',
      table: tableParam,
      where: { values: [{ column: 'tier', value: 'silver' }] },
    });
    const [after] = await admin.query(`SELECT id FROM \`${table}\` ORDER BY id`);
    expect((after as { id: number }[]).map((r) => r.id)).toEqual([1, 3, 4]);
  });
});
