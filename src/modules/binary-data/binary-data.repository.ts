import type { SqlClient } from '../../db/client.ts';

/** A file's row: written before its bytes (filesystem mode), so a file without a row is one whose owner is gone. */
export async function insertBinaryRow(
  sql: SqlClient,
  row: { id: string; executionId: string | null; size: number; data: Buffer | null },
): Promise<void> {
  await sql.query('INSERT INTO binary_data (id, execution_id, size, data) VALUES ($1, $2, $3, $4)', [
    row.id,
    row.executionId,
    row.size,
    row.data,
  ]);
}

export async function setBinarySize(sql: SqlClient, id: string, size: number): Promise<void> {
  await sql.query('UPDATE binary_data SET size = $2 WHERE id = $1', [id, size]);
}

/** The bytes of a database-mode file; undefined when there is no such file. */
export async function readBinaryBytes(sql: SqlClient, id: string): Promise<Buffer | undefined> {
  const { rows } = await sql.query<{ data: Buffer | null }>('SELECT data FROM binary_data WHERE id = $1', [id]);
  return rows[0]?.data ?? undefined;
}

/** Files uploaded before their execution existed now belong to it (and go when it goes). */
export async function adoptBinaryRows(sql: SqlClient, ids: string[], executionId: string): Promise<void> {
  if (!ids.length) return;
  await sql.query('UPDATE binary_data SET execution_id = $2 WHERE id = ANY($1::uuid[]) AND execution_id IS NULL', [ids, executionId]);
}

/** Which of these ids still have a row. */
export async function existingBinaryIds(sql: SqlClient, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows } = await sql.query<{ id: string }>('SELECT id FROM binary_data WHERE id = ANY($1::uuid[])', [ids]);
  return new Set(rows.map((row) => row.id));
}

/** Uploads whose execution never started (its start failed): gone after `olderThan`. */
export async function deleteUnownedBinaryRows(sql: SqlClient, olderThan: Date): Promise<number> {
  const { rowCount } = await sql.query('DELETE FROM binary_data WHERE execution_id IS NULL AND created_at < $1', [olderThan]);
  return rowCount ?? 0;
}
