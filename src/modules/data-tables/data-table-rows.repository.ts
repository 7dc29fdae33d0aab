import type { SqlClient } from '../../db/client.ts';
import { containsPattern } from '../../lib/like-pattern.ts';
import { filterToSql, type RowFilter, sortToSql } from './data-table-filter.ts';
import { type ColumnDef, fromStored, toStored } from './data-table-values.ts';
import { rowsTable } from './data-tables.repository.ts';

/** A row as answers carry it: the user's columns in their order, then id, createdAt and updatedAt. */
export type DataTableRow = Record<string, unknown>;

const RETURNING = (columns: readonly ColumnDef[]) => ['id', 'created_at', 'updated_at', ...columns.map((c) => `"${c.name}"`)].join(', ');

function toRow(columns: readonly ColumnDef[], row: Record<string, unknown>): DataTableRow {
  const out: DataTableRow = {};
  for (const c of columns) out[c.name] = fromStored(c.type, row[c.name]);
  out.id = row.id;
  out.createdAt = (row.created_at as Date).toISOString();
  out.updatedAt = (row.updated_at as Date).toISOString();
  return out;
}

/** The SQL values of a row's given columns, in `columns` order. */
const valuesOf = (columns: readonly ColumnDef[], data: Record<string, unknown>) => columns.map((c) => toStored(c, data[c.name]));

export interface RowQuery {
  filter?: RowFilter;
  /** Any string column contains this (any case). */
  search?: string;
  sortBy?: string;
}

function whereOf(columns: readonly ColumnDef[], query: RowQuery, params: unknown[]): string {
  const conditions = [filterToSql(query.filter, columns, params)];
  const text = columns.filter((c) => c.type === 'string');
  if (query.search) {
    const like = `$${params.push(containsPattern(query.search))}`;
    conditions.push(text.length ? `(${text.map((c) => `"${c.name}" ILIKE ${like}`).join(' OR ')})` : 'FALSE');
  }
  return conditions.join(' AND ');
}

export const dataTableRowsRepository = {
  /** Inserts rows (their columns already checked); answers them as stored, in order. */
  async insert(tx: SqlClient, tableId: string, columns: readonly ColumnDef[], rows: readonly Record<string, unknown>[]) {
    if (!rows.length) return [];
    const params: unknown[] = [];
    const names = columns.map((c) => `"${c.name}"`);
    const tuples = rows.map(
      (row) =>
        `(${valuesOf(columns, row)
          .map((v) => `$${params.push(v)}`)
          .join(', ')})`,
    );
    const sql = columns.length
      ? `INSERT INTO ${rowsTable(tableId)} (${names.join(', ')}) VALUES ${tuples.join(', ')} RETURNING ${RETURNING(columns)}`
      : `INSERT INTO ${rowsTable(tableId)} SELECT FROM generate_series(1, ${rows.length}) RETURNING ${RETURNING(columns)}`;
    const { rows: inserted } = await tx.query(sql, params);
    return inserted.map((row) => toRow(columns, row));
  },

  async page(db: SqlClient, tableId: string, columns: readonly ColumnDef[], query: RowQuery, range: { offset: number; take: number }) {
    const params: unknown[] = [];
    const where = whereOf(columns, query, params);
    const { rows } = await db.query(
      `SELECT ${RETURNING(columns)} FROM ${rowsTable(tableId)} WHERE ${where} ORDER BY ${sortToSql(query.sortBy, columns)}
       LIMIT $${params.push(range.take)} OFFSET $${params.push(range.offset)}`,
      params,
    );
    return rows.map((row) => toRow(columns, row));
  },

  /** The rows a filter matches, locked for the transaction (what an update or delete will change). */
  async lockMatching(tx: SqlClient, tableId: string, columns: readonly ColumnDef[], filter: RowFilter) {
    const params: unknown[] = [];
    const { rows } = await tx.query(
      `SELECT ${RETURNING(columns)} FROM ${rowsTable(tableId)} WHERE ${filterToSql(filter, columns, params)} ORDER BY id FOR UPDATE`,
      params,
    );
    return rows.map((row) => toRow(columns, row));
  },

  /** Sets `data`'s columns on the rows with these ids; answers them as stored. */
  async update(tx: SqlClient, tableId: string, columns: readonly ColumnDef[], ids: readonly number[], data: Record<string, unknown>) {
    const changed = columns.filter((c) => Object.hasOwn(data, c.name));
    const params: unknown[] = [ids];
    const sets = changed.map((c) => `"${c.name}" = $${params.push(toStored(c, data[c.name]))}`);
    const { rows } = await tx.query(
      `UPDATE ${rowsTable(tableId)} SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = ANY($1) RETURNING ${RETURNING(columns)}`,
      params,
    );
    return rows.map((row) => toRow(columns, row)).sort((a, b) => (a.id as number) - (b.id as number));
  },

  async deleteByIds(tx: SqlClient, tableId: string, ids: readonly number[]): Promise<void> {
    await tx.query(`DELETE FROM ${rowsTable(tableId)} WHERE id = ANY($1)`, [ids]);
  },

  async clear(tx: SqlClient, tableId: string): Promise<number> {
    const { rowCount } = await tx.query(`DELETE FROM ${rowsTable(tableId)}`);
    return rowCount ?? 0;
  },

  /** Upserts of one table wait for each other, so two of the same key never both insert. */
  async lockForUpsert(tx: SqlClient, tableId: string): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('data_table_upsert:' || $1))", [tableId]);
  },
};
