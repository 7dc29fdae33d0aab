import mysql from 'mysql2/promise';
import type { AddressPolicy } from '../../../lib/net/address-policy.ts';
import { type NodeContext, NodeOperationError, type NodeType, supportedOperation } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';
import { nodeAddress } from '../node-address.ts';
import { conditionsSql, type Dialect, nameOf, outputColumns, queryValues, sortSql } from './sql-parts.ts';

const OPERATIONS = ['executeQuery', 'select', 'insert', 'update', 'upsert', 'deleteTable'];
const mysqlDialect: Dialect = { quote: (name) => `\`${name.replace(/`/g, '``')}\``, placeholder: () => '?' };

/** What a write answers in MySQL (there is no RETURNING): n8n outputs the server's OK packet. */
const okPacket = (result: mysql.ResultSetHeader): JsonObject => ({
  fieldCount: result.fieldCount,
  affectedRows: result.affectedRows,
  insertId: result.insertId,
  info: result.info,
  serverStatus: result.serverStatus,
  warningStatus: result.warningStatus,
  changedRows: result.changedRows,
});

/** The row an insert or update writes: the item's fields, or MySQL v2's `valuesToSend` (or v2.4's `columns.value`). */
function rowOf(ctx: NodeContext, item: Item, itemIndex: number): JsonObject {
  const mode = ctx.getParam<string>('dataMode', itemIndex, ctx.getParam<string>('columns.mappingMode', itemIndex, 'autoMapInputData'));
  let chosen: JsonObject;
  if (mode === 'defineBelow') {
    const pairs = ctx.getParam<{ column?: string; value?: unknown }[]>('valuesToSend.values', itemIndex, []);
    chosen = pairs.length
      ? Object.fromEntries(pairs.map((pair) => [String(pair.column ?? ''), pair.value]))
      : ctx.getParam<JsonObject>('columns.value', itemIndex, {});
  } else {
    chosen = item.json;
  }
  return Object.fromEntries(
    Object.entries(chosen)
      .filter(([name, value]) => name && value !== undefined)
      .map(([name, value]) => [
        name,
        value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value,
      ]),
  );
}

/**
 * n8n's MySQL node (v2.x, also for MariaDB): execute a query with `?` parameters, select, insert, update and upsert
 * (by the column to match on) and delete/truncate/drop. Identifiers quoted, values bound, one transaction per run
 * unless `queryBatching: independently`; the connection goes through the HTTP Request node's address policy.
 */
export function createMySqlNode(policy: AddressPolicy): NodeType {
  return {
    type: 'n8n-nodes-base.mySql',
    typeVersions: [2, 2.1, 2.2, 2.3, 2.4, 2.5],
    operations: OPERATIONS,
    async execute(ctx) {
      const operation = supportedOperation(
        ctx.getParam<string>('operation', 0, 'insert'),
        OPERATIONS,
        (op) => `The MySQL operation "${op}"`,
      );
      const secret = await ctx.getCredentials('mySql');
      const host = String(secret.host || 'localhost');
      const port = Number(secret.port || 3306);
      const address = await nodeAddress(policy, host, port, 'database');
      const connection = await mysql
        .createConnection({
          // TLS checks the certificate against the name, so then the (checked) name is used to connect.
          host: secret.ssl === true ? host : address,
          port,
          database: String(secret.database ?? ''),
          user: String(secret.user ?? ''),
          password: String(secret.password ?? ''),
          connectTimeout: Number(secret.connectTimeout ?? 10_000),
          ...(secret.ssl === true ? { ssl: secret.caCertificate ? { ca: String(secret.caCertificate) } : {} } : {}),
        })
        .catch((error: Error) => {
          throw new NodeOperationError(`Could not connect to MySQL at ${host}:${port}: ${error.message}`);
        });
      const together = ctx.getParam<string>('options.queryBatching', 0, 'single') !== 'independently';
      const output: Item[] = [];
      try {
        if (together) await connection.beginTransaction();
        for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
          const { text, values } = statementFor(ctx, operation, itemIndex);
          let result: unknown;
          try {
            [result] = await connection.query(text, values);
          } catch (error) {
            throw new NodeOperationError((error as Error).message, { itemIndex, description: `Failing query: ${text}` });
          }
          const rows = Array.isArray(result) ? (result as JsonObject[]) : [okPacket(result as mysql.ResultSetHeader)];
          for (const row of rows) output.push({ json: { ...row }, pairedItem: { item: itemIndex } });
        }
        if (together) await connection.commit();
      } catch (error) {
        if (together) await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        await connection.end().catch(() => undefined);
      }
      return [output];
    },
  };
}

function statementFor(ctx: NodeContext, operation: string, itemIndex: number): { text: string; values: unknown[] } {
  const q = mysqlDialect.quote;
  const table = () => {
    const name = nameOf(ctx.getParam('table', itemIndex, ''));
    if (!name) throw new NodeOperationError('No table given', { itemIndex });
    return q(name);
  };
  const item = ctx.items[itemIndex] ?? { json: {} };
  switch (operation) {
    case 'executeQuery':
      return {
        text: ctx.getParam<string>('query', itemIndex, ''),
        values: queryValues(ctx.getParam('options.queryReplacement', itemIndex, '')),
      };
    case 'select': {
      const where = conditionsSql(ctx, itemIndex, mysqlDialect, 1);
      const returnAll = ctx.getParam<boolean>('returnAll', itemIndex, false) === true;
      const limit = returnAll ? '' : ` LIMIT ${Math.max(0, Math.floor(Number(ctx.getParam('limit', itemIndex, 50))))}`;
      return {
        text: `SELECT ${outputColumns(ctx, itemIndex, mysqlDialect)} FROM ${table()}${where.text}${sortSql(ctx, itemIndex, mysqlDialect)}${limit}`,
        values: where.values,
      };
    }
    case 'insert': {
      const row = rowOf(ctx, item, itemIndex);
      const names = Object.keys(row);
      const ignore = ctx.getParam<boolean>('options.skipOnConflict', itemIndex, false) === true ? ' IGNORE' : '';
      return {
        text: `INSERT${ignore} INTO ${table()} (${names.map(q).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        values: Object.values(row),
      };
    }
    case 'update':
    case 'upsert': {
      const row = rowOf(ctx, item, itemIndex);
      const match =
        ctx.getParam<string>('columnToMatchOn', itemIndex, '') || ctx.getParam<string[]>('columns.matchingColumns', itemIndex, [])[0] || '';
      if (!match) throw new NodeOperationError('No column to match on: set "Column to Match On"', { itemIndex });
      if (!(match in row)) row[match] = ctx.getParam('valueToMatchOn', itemIndex, undefined);
      const rest = Object.keys(row).filter((name) => name !== match);
      if (operation === 'update') {
        if (!rest.length) throw new NodeOperationError('Nothing to update: give a column beside the one to match on', { itemIndex });
        return {
          text: `UPDATE ${table()} SET ${rest.map((name) => `${q(name)} = ?`).join(', ')} WHERE ${q(match)} = ?`,
          values: [...rest.map((name) => row[name]), row[match]],
        };
      }
      const names = [match, ...rest];
      const update = rest.length ? rest.map((name) => `${q(name)} = VALUES(${q(name)})`).join(', ') : `${q(match)} = ${q(match)}`;
      return {
        text: `INSERT INTO ${table()} (${names.map(q).join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ON DUPLICATE KEY UPDATE ${update}`,
        values: names.map((name) => row[name]),
      };
    }
    default: {
      const command = ctx.getParam<string>('deleteCommand', itemIndex, 'truncate');
      if (command === 'drop') return { text: `DROP TABLE IF EXISTS ${table()}`, values: [] };
      if (command === 'delete') {
        const where = conditionsSql(ctx, itemIndex, mysqlDialect, 1);
        return { text: `DELETE FROM ${table()}${where.text}`, values: where.values };
      }
      return { text: `TRUNCATE TABLE ${table()}`, values: [] };
    }
  }
}
