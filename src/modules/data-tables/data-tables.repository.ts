import type { SqlClient } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { type ColumnDef, type ColumnType, SQL_TYPE } from './data-table-values.ts';

export interface DataTableColumn extends ColumnDef {
  id: string;
  dataTableId: string;
  index: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DataTable {
  id: string;
  name: string;
  projectId: string;
  createdAt: Date;
  updatedAt: Date;
  columns: DataTableColumn[];
}

interface TableRow {
  id: string;
  name: string;
  project_id: string;
  created_at: Date;
  updated_at: Date;
  columns: { id: string; name: string; type: ColumnType; index: number; createdAt: string; updatedAt: string }[];
}

/** The physical table holding a data table's rows (ids are [0-9A-Za-z]: quoting keeps their case). */
export const rowsTable = (id: string) => `"data_table_user_${id}"`;

const SELECT = `SELECT t.id, t.name, t.project_id, t.created_at, t.updated_at,
  COALESCE((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'type', c.type, 'index', c.index,
    'createdAt', c.created_at, 'updatedAt', c.updated_at) ORDER BY c.index) FROM data_table_column c WHERE c.data_table_id = t.id), '[]') AS columns
  FROM data_table t`;

const toTable = (row: TableRow): DataTable => ({
  id: row.id,
  name: row.name,
  projectId: row.project_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  columns: row.columns.map((c) => ({
    ...c,
    dataTableId: row.id,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  })),
});

export const TABLE_ORDERS = {
  'name:asc': 't.name ASC, t.id',
  'name:desc': 't.name DESC, t.id',
  'createdAt:asc': 't.created_at ASC, t.id',
  'createdAt:desc': 't.created_at DESC, t.id',
  'updatedAt:asc': 't.updated_at ASC, t.id',
  'updatedAt:desc': 't.updated_at DESC, t.id',
} as const;
export type TableOrder = keyof typeof TABLE_ORDERS;

export const dataTablesRepository = {
  async list(
    db: SqlClient,
    filter: { projectIds?: string[]; projectId?: string; name?: string; id?: string },
    order: TableOrder,
    range: { offset: number; take: number },
  ): Promise<DataTable[]> {
    const { rows } = await db.query<TableRow>(
      `${SELECT} WHERE ($1::varchar[] IS NULL OR t.project_id = ANY($1)) AND ($2::varchar IS NULL OR t.project_id = $2)
         AND ($3::text IS NULL OR t.name ILIKE '%' || $3 || '%') AND ($4::varchar IS NULL OR t.id = $4)
       ORDER BY ${TABLE_ORDERS[order]} LIMIT $5 OFFSET $6`,
      [filter.projectIds ?? null, filter.projectId ?? null, filter.name ?? null, filter.id ?? null, range.take, range.offset],
    );
    return rows.map(toTable);
  },

  async findById(db: SqlClient, id: string): Promise<DataTable | null> {
    const { rows } = await db.query<TableRow>(`${SELECT} WHERE t.id = $1`, [id]);
    return rows[0] ? toTable(rows[0]) : null;
  },

  async findByName(db: SqlClient, projectId: string, name: string): Promise<DataTable | null> {
    const { rows } = await db.query<TableRow>(`${SELECT} WHERE t.project_id = $1 AND t.name = $2`, [projectId, name]);
    return rows[0] ? toTable(rows[0]) : null;
  },

  /** Locks the table's row: column changes and writes of one table queue up behind each other. */
  async lockById(tx: SqlClient, id: string): Promise<DataTable | null> {
    await tx.query('SELECT 1 FROM data_table WHERE id = $1 FOR UPDATE', [id]);
    return this.findById(tx, id);
  },

  async nameTaken(db: SqlClient, projectId: string, name: string, exceptId?: string): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM data_table WHERE project_id = $1 AND name = $2 AND id <> $3', [
      projectId,
      name,
      exceptId ?? '',
    ]);
    return rows.length > 0;
  },

  /** The table, its columns and its physical rows table, in the caller's transaction. */
  async create(tx: SqlClient, table: { name: string; projectId: string; columns: readonly ColumnDef[] }): Promise<string> {
    const id = newId();
    await tx.query(`INSERT INTO data_table (id, name, project_id, updated_at) VALUES ($1, $2, $3, now())`, [
      id,
      table.name,
      table.projectId,
    ]);
    const userColumns = table.columns.map((c) => `"${c.name}" ${SQL_TYPE[c.type]}`);
    await tx.query(
      `CREATE TABLE ${rowsTable(id)} (id serial PRIMARY KEY, created_at timestamptz(3) NOT NULL DEFAULT now(),
       updated_at timestamptz(3) NOT NULL DEFAULT now()${userColumns.map((c) => `, ${c}`).join('')})`,
    );
    for (const [index, column] of table.columns.entries()) await this.insertColumn(tx, id, column, index);
    return id;
  },

  async insertColumn(tx: SqlClient, tableId: string, column: ColumnDef, index: number): Promise<string> {
    const id = newId();
    await tx.query(`INSERT INTO data_table_column (id, data_table_id, name, type, index, updated_at) VALUES ($1, $2, $3, $4, $5, now())`, [
      id,
      tableId,
      column.name,
      column.type,
      index,
    ]);
    return id;
  },

  /** A new column of the physical table, and its place among the others (those at or after `index` move one on). */
  async addColumn(tx: SqlClient, tableId: string, column: ColumnDef, index: number): Promise<string> {
    await tx.query(`ALTER TABLE ${rowsTable(tableId)} ADD COLUMN "${column.name}" ${SQL_TYPE[column.type]}`);
    await tx.query('UPDATE data_table_column SET index = index + 1 WHERE data_table_id = $1 AND index >= $2', [tableId, index]);
    return this.insertColumn(tx, tableId, column, index);
  },

  async renameColumn(tx: SqlClient, tableId: string, column: { id: string; from: string; to: string }): Promise<void> {
    await tx.query(`ALTER TABLE ${rowsTable(tableId)} RENAME COLUMN "${column.from}" TO "${column.to}"`);
    await tx.query('UPDATE data_table_column SET name = $2, updated_at = now() WHERE id = $1', [column.id, column.to]);
  },

  /** Writes the columns' order as given (their ids, first to last). */
  async reorderColumns(tx: SqlClient, ids: readonly string[]): Promise<void> {
    await tx.query(
      `UPDATE data_table_column c SET index = o.ord - 1, updated_at = now() FROM unnest($1::varchar[]) WITH ORDINALITY AS o(id, ord)
       WHERE c.id = o.id AND c.index <> o.ord - 1`,
      [ids],
    );
  },

  async dropColumn(tx: SqlClient, tableId: string, column: { id: string; name: string }): Promise<void> {
    await tx.query(`ALTER TABLE ${rowsTable(tableId)} DROP COLUMN "${column.name}"`);
    await tx.query('DELETE FROM data_table_column WHERE id = $1', [column.id]);
  },

  async rename(tx: SqlClient, id: string, name: string): Promise<void> {
    await tx.query('UPDATE data_table SET name = $2, updated_at = now() WHERE id = $1', [id, name]);
  },

  async touch(tx: SqlClient, id: string): Promise<void> {
    await tx.query('UPDATE data_table SET updated_at = now() WHERE id = $1', [id]);
  },

  async drop(tx: SqlClient, id: string): Promise<void> {
    await tx.query(`DROP TABLE IF EXISTS ${rowsTable(id)}`);
    await tx.query('DELETE FROM data_table WHERE id = $1', [id]);
  },

  /** Drops the data tables of a project (deleting the project): their rows tables are not reached by its cascade. */
  async dropAllOfProject(tx: SqlClient, projectId: string): Promise<void> {
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM data_table WHERE project_id = $1', [projectId]);
    for (const row of rows) await this.drop(tx, row.id);
  },

  /** Bytes on disk of one data table's rows (with indexes and TOAST), or of all of them. */
  async sizeBytes(db: SqlClient, id?: string): Promise<number> {
    const { rows } = await db.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
       WHERE c.relkind = 'r' AND c.relname LIKE 'data\\_table\\_user\\_%' AND ($1::text IS NULL OR c.relname = 'data_table_user_' || $1)`,
      [id ?? null],
    );
    return Number(rows[0]?.bytes ?? 0);
  },
};
