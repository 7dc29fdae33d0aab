import type { SqlClient } from '../../db/client.ts';

/** A workflow tag. */
export interface Tag {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

interface TagRow {
  id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, created_at, updated_at';

const toTag = (row: TagRow): Tag => ({ id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at });

const first = (rows: TagRow[]) => (rows[0] ? toTag(rows[0]) : null);

export const tagsRepository = {
  async list(db: SqlClient, range: { offset: number; take: number }): Promise<Tag[]> {
    const { rows } = await db.query<TagRow>(`SELECT ${COLUMNS} FROM tag ORDER BY created_at, id LIMIT $1 OFFSET $2`, [
      range.take,
      range.offset,
    ]);
    return rows.map(toTag);
  },

  async findById(db: SqlClient, id: string): Promise<Tag | null> {
    return first((await db.query<TagRow>(`SELECT ${COLUMNS} FROM tag WHERE id = $1`, [id])).rows);
  },

  async findByIds(db: SqlClient, ids: string[]): Promise<Tag[]> {
    const { rows } = await db.query<TagRow>(`SELECT ${COLUMNS} FROM tag WHERE id = ANY($1::text[])`, [ids]);
    return rows.map(toTag);
  },

  /** Exact (case-sensitive) names. */
  async findByNames(db: SqlClient, names: string[]): Promise<Tag[]> {
    const { rows } = await db.query<TagRow>(`SELECT ${COLUMNS} FROM tag WHERE name = ANY($1::text[])`, [names]);
    return rows.map(toTag);
  },

  /** A unique violation (23505) when the name is taken. */
  async insert(db: SqlClient, tag: { id: string; name: string }): Promise<Tag> {
    const { rows } = await db.query<TagRow>(`INSERT INTO tag (id, name, updated_at) VALUES ($1, $2, now()) RETURNING ${COLUMNS}`, [
      tag.id,
      tag.name,
    ]);
    return toTag(rows[0]!);
  },

  /** The renamed tag, or null when it does not exist; a unique violation when the name is taken. */
  async rename(db: SqlClient, id: string, name: string): Promise<Tag | null> {
    const { rows } = await db.query<TagRow>(`UPDATE tag SET name = $2, updated_at = clock_timestamp() WHERE id = $1 RETURNING ${COLUMNS}`, [
      id,
      name,
    ]);
    return first(rows);
  },

  /** The deleted tag, or null when it did not exist (workflow_tag rows go with it: ON DELETE CASCADE). */
  async delete(db: SqlClient, id: string): Promise<Tag | null> {
    return first((await db.query<TagRow>(`DELETE FROM tag WHERE id = $1 RETURNING ${COLUMNS}`, [id])).rows);
  },

  /**
   * One tag per name, in the order given: an existing tag whose name matches case-insensitively, else a new one.
   * A name created concurrently by another transaction is taken over rather than failing (ON CONFLICT).
   */
  async findOrCreateByNames(db: SqlClient, names: string[], newTagId: () => string): Promise<Tag[]> {
    if (!names.length) return [];
    const { rows } = await db.query<TagRow>(`SELECT ${COLUMNS} FROM tag WHERE lower(name) = ANY($1::text[])`, [
      names.map((n) => n.toLowerCase()),
    ]);
    const tags: Tag[] = [];
    for (const name of names) {
      const existing = rows.find((t) => t.name.toLowerCase() === name.toLowerCase());
      if (existing) {
        tags.push(toTag(existing));
        continue;
      }
      const created = await db.query<TagRow>(
        `INSERT INTO tag (id, name, updated_at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING ${COLUMNS}`,
        [newTagId(), name],
      );
      tags.push(toTag(created.rows[0]!));
    }
    return tags;
  },
};
