import pg from 'pg';
import type { AddressPolicy } from '../../../lib/net/address-policy.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';
import { nodeAddress } from '../node-address.ts';
import { columnValues, conditionsSql, type Dialect, nameOf, outputColumns, queryValues, sortSql } from './sql-parts.ts';

const OPERATIONS = ['executeQuery', 'select', 'insert', 'update', 'upsert', 'deleteTable'];
const CONNECT_TIMEOUT_MS = 20_000;

const postgresDialect: Dialect = {
  quote: (name) => pg.escapeIdentifier(name),
  placeholder: (index) => `$${index}`,
};

async function connect(ctx: NodeContext, policy: AddressPolicy): Promise<pg.Client> {
  const secret = await ctx.getCredentials('postgres');
  const host = String(secret.host || 'localhost');
  const port = Number(secret.port || 5432);
  const address = await nodeAddress(policy, host, port, 'database');
  const ssl = String(secret.ssl ?? 'disable');
  const client = new pg.Client({
    host: address,
    port,
    database: String(secret.database ?? 'postgres'),
    user: String(secret.user ?? 'postgres'),
    password: String(secret.password ?? ''),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(ssl === 'disable' ? {} : { ssl: { rejectUnauthorized: secret.allowUnauthorizedCerts !== true, servername: host } }),
  });
  try {
    await client.connect();
  } catch (error) {
    throw new NodeOperationError(`Could not connect to PostgreSQL at ${host}:${port}: ${(error as Error).message}`);
  }
  return client;
}

/**
 * n8n's Postgres node (v2.x): execute a query with `$1` parameters, select with conditions, sort and a limit, insert,
 * update, upsert (by the matching columns) and delete/truncate/drop a table. Identifiers are quoted, values always
 * passed as parameters. The connection goes through the HTTP Request node's address policy, so a workflow cannot
 * reach this server's own database. `queryBatching`: one transaction for all items (`single`, `transaction`) or each
 * item on its own (`independently`).
 */
export function createPostgresNode(policy: AddressPolicy): NodeType {
  return {
    type: 'n8n-nodes-base.postgres',
    typeVersions: [2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6],
    operations: OPERATIONS,
    async execute(ctx) {
      const operation = ctx.getParam<string>('operation', 0, 'insert');
      if (!OPERATIONS.includes(operation)) {
        throw new NodeOperationError(`The Postgres operation "${operation}" is not supported by this server`, {
          description: `Supported: ${OPERATIONS.join(', ')}.`,
        });
      }
      const client = await connect(ctx, policy);
      const together = ctx.getParam<string>('options.queryBatching', 0, 'single') !== 'independently';
      const output: Item[] = [];
      try {
        if (together) await client.query('BEGIN');
        for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
          const statements = statementsFor(ctx, operation, itemIndex);
          for (const statement of statements) {
            let rows: JsonObject[];
            try {
              rows = (await client.query(statement.text, statement.values)).rows as JsonObject[];
            } catch (error) {
              throw new NodeOperationError((error as Error).message, { itemIndex, description: `Failing query: ${statement.text}` });
            }
            const shown = rows.length || statement.rowsExpected ? rows : [{ success: true }];
            for (const row of shown) output.push({ json: row, pairedItem: { item: itemIndex } });
          }
        }
        if (together) await client.query('COMMIT');
      } catch (error) {
        if (together) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await client.end().catch(() => undefined);
      }
      return [output];
    },
  };
}

interface Statement {
  text: string;
  values: unknown[];
  /** A select answers with its rows even when there are none (n8n outputs nothing then, not `{ success }`). */
  rowsExpected?: boolean;
}

function tableOf(ctx: NodeContext, itemIndex: number): string {
  const schema = nameOf(ctx.getParam('schema', itemIndex, 'public')) || 'public';
  const table = nameOf(ctx.getParam('table', itemIndex, ''));
  if (!table) throw new NodeOperationError('No table given', { itemIndex });
  return `${postgresDialect.quote(schema)}.${postgresDialect.quote(table)}`;
}

function statementsFor(ctx: NodeContext, operation: string, itemIndex: number): Statement[] {
  const item = ctx.items[itemIndex] ?? { json: {} };
  const returning = `RETURNING ${outputColumns(ctx, itemIndex, postgresDialect)}`;
  switch (operation) {
    case 'executeQuery': {
      const query = ctx.getParam<string>('query', itemIndex, '');
      return [{ text: query, values: queryValues(ctx.getParam('options.queryReplacement', itemIndex, '')) }];
    }
    case 'select': {
      const where = conditionsSql(ctx, itemIndex, postgresDialect, 1);
      const returnAll = ctx.getParam<boolean>('returnAll', itemIndex, false) === true;
      const limit = returnAll ? '' : ` LIMIT ${Math.max(0, Math.floor(Number(ctx.getParam('limit', itemIndex, 50))))}`;
      return [
        {
          text: `SELECT ${outputColumns(ctx, itemIndex, postgresDialect)} FROM ${tableOf(ctx, itemIndex)}${where.text}${sortSql(ctx, itemIndex, postgresDialect)}${limit}`,
          values: where.values,
          rowsExpected: true,
        },
      ];
    }
    case 'insert': {
      const values = columnValues(ctx, item, itemIndex);
      const names = Object.keys(values);
      const conflict = ctx.getParam<boolean>('options.skipOnConflict', itemIndex, false) === true ? ' ON CONFLICT DO NOTHING' : '';
      if (!names.length) return [{ text: `INSERT INTO ${tableOf(ctx, itemIndex)} DEFAULT VALUES${conflict} ${returning}`, values: [] }];
      return [
        {
          text: `INSERT INTO ${tableOf(ctx, itemIndex)} (${names.map(postgresDialect.quote).join(', ')}) VALUES (${names.map((_n, i) => `$${i + 1}`).join(', ')})${conflict} ${returning}`,
          values: Object.values(values),
          rowsExpected: true,
        },
      ];
    }
    case 'update':
    case 'upsert': {
      const values = columnValues(ctx, item, itemIndex);
      const matching = matchingColumns(ctx, itemIndex, values);
      const rest = Object.keys(values).filter((name) => !matching.includes(name));
      if (operation === 'update') {
        if (!rest.length) throw new NodeOperationError('Nothing to update: give a column beside the ones to match on', { itemIndex });
        const set = rest.map((name, i) => `${postgresDialect.quote(name)} = $${i + 1}`).join(', ');
        const match = matching.map((name, i) => `${postgresDialect.quote(name)} = $${rest.length + i + 1}`).join(' AND ');
        return [
          {
            text: `UPDATE ${tableOf(ctx, itemIndex)} SET ${set} WHERE ${match} ${returning}`,
            values: [...rest.map((name) => values[name]), ...matching.map((name) => values[name])],
            rowsExpected: true,
          },
        ];
      }
      const names = [...matching, ...rest];
      const update = rest.length
        ? `DO UPDATE SET ${rest.map((name) => `${postgresDialect.quote(name)} = EXCLUDED.${postgresDialect.quote(name)}`).join(', ')}`
        : 'DO NOTHING';
      return [
        {
          text: `INSERT INTO ${tableOf(ctx, itemIndex)} (${names.map(postgresDialect.quote).join(', ')}) VALUES (${names.map((_n, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (${matching.map(postgresDialect.quote).join(', ')}) ${update} ${returning}`,
          values: names.map((name) => values[name]),
          rowsExpected: true,
        },
      ];
    }
    default: {
      const command = ctx.getParam<string>('deleteCommand', itemIndex, 'truncate');
      const table = tableOf(ctx, itemIndex);
      if (command === 'drop')
        return [
          { text: `DROP TABLE IF EXISTS ${table}${ctx.getParam('options.cascade', itemIndex, false) ? ' CASCADE' : ''}`, values: [] },
        ];
      if (command === 'delete') {
        const where = conditionsSql(ctx, itemIndex, postgresDialect, 1);
        return [{ text: `DELETE FROM ${table}${where.text}`, values: where.values }];
      }
      const restart = ctx.getParam<boolean>('restartSequences', itemIndex, false) === true ? ' RESTART IDENTITY' : '';
      return [
        { text: `TRUNCATE TABLE ${table}${restart}${ctx.getParam('options.cascade', itemIndex, false) ? ' CASCADE' : ''}`, values: [] },
      ];
    }
  }
}

/** The columns that identify a row: `columns.matchingColumns` (v2.5+) or the older `columnToMatchOn`. */
function matchingColumns(ctx: NodeContext, itemIndex: number, values: JsonObject): string[] {
  const listed = ctx.getParam<string[]>('columns.matchingColumns', itemIndex, []);
  const legacy = ctx.getParam<string>('columnToMatchOn', itemIndex, '');
  if (legacy && !(legacy in values)) values[legacy] = ctx.getParam('valueToMatchOn', itemIndex, undefined);
  const matching = Array.isArray(listed) && listed.length ? listed.map(String) : legacy ? [legacy] : [];
  if (!matching.length) throw new NodeOperationError('No column to match on: set "Columns to match on"', { itemIndex });
  for (const name of matching) {
    if (!(name in values)) throw new NodeOperationError(`The column to match on, "${name}", has no value in the item`, { itemIndex });
  }
  return matching;
}
