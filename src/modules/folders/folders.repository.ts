import type { SqlClient } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { containsPattern } from '../../lib/like-pattern.ts';

/** n8n's name for a project's top level where a folder id is expected. */
export const PROJECT_ROOT = '0';

/** A folder of a project's workflows. */
export interface Folder {
  id: string;
  name: string;
  projectId: string;
  parentFolderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface FolderRow {
  id: string;
  name: string;
  project_id: string;
  parent_folder_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'f.id, f.name, f.project_id, f.parent_folder_id, f.created_at, f.updated_at';

const toFolder = (row: FolderRow): Folder => ({
  id: row.id,
  name: row.name,
  projectId: row.project_id,
  parentFolderId: row.parent_folder_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The orders n8n's sortBy names, as SQL (a fixed set: never built from input). */
export const FOLDER_ORDERS = {
  'name:asc': 'f.name ASC, f.id',
  'name:desc': 'f.name DESC, f.id',
  'createdAt:asc': 'f.created_at ASC, f.id',
  'createdAt:desc': 'f.created_at DESC, f.id',
  'updatedAt:asc': 'f.updated_at ASC, f.id',
  'updatedAt:desc': 'f.updated_at DESC, f.id',
} as const;

export type FolderOrder = keyof typeof FOLDER_ORDERS;

export interface FolderFilter {
  /** Only the folders directly in this one; null for the project's top level; undefined for all. */
  parentFolderId?: string | null;
  /** Only names containing this (any case). */
  name?: string;
}

// The folder and everything under it, by the parent links (a tree: moves that would make a cycle are refused).
const TREE = `WITH RECURSIVE tree AS (
    SELECT id FROM folder WHERE id = $1
    UNION ALL SELECT c.id FROM folder c JOIN tree ON c.parent_folder_id = tree.id
  )`;

export const foldersRepository = {
  async list(
    db: SqlClient,
    projectId: string,
    filter: FolderFilter,
    page: { order: FolderOrder; skip: number; take: number },
  ): Promise<{ count: number; folders: Folder[] }> {
    const params: unknown[] = [projectId];
    const where = ['f.project_id = $1'];
    if (filter.parentFolderId === null) where.push('f.parent_folder_id IS NULL');
    else if (filter.parentFolderId !== undefined) where.push(`f.parent_folder_id = $${params.push(filter.parentFolderId)}`);
    if (filter.name) where.push(`f.name ILIKE $${params.push(containsPattern(filter.name))}`);
    const { rows } = await db.query<FolderRow & { total: number }>(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM folder f WHERE ${where.join(' AND ')}
       ORDER BY ${FOLDER_ORDERS[page.order]} OFFSET $${params.push(page.skip)} LIMIT $${params.push(page.take)}`,
      params,
    );
    const count =
      rows[0]?.total ??
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM folder f WHERE ${where.join(' AND ')}`, params.slice(0, -2))).rows[0]!
        .n;
    return { count, folders: rows.map(toFolder) };
  },

  async findById(db: SqlClient, id: string): Promise<Folder | null> {
    const { rows } = await db.query<FolderRow>(`SELECT ${COLUMNS} FROM folder f WHERE f.id = $1`, [id]);
    return rows[0] ? toFolder(rows[0]) : null;
  },

  async findInProject(db: SqlClient, projectId: string, id: string): Promise<Folder | null> {
    const { rows } = await db.query<FolderRow>(`SELECT ${COLUMNS} FROM folder f WHERE f.id = $1 AND f.project_id = $2`, [id, projectId]);
    return rows[0] ? toFolder(rows[0]) : null;
  },

  /** Locks the folder for the transaction (moves and deletes of one folder queue up). */
  async lockInProject(tx: SqlClient, projectId: string, id: string): Promise<Folder | null> {
    const { rows } = await tx.query<FolderRow>(`SELECT ${COLUMNS} FROM folder f WHERE f.id = $1 AND f.project_id = $2 FOR UPDATE`, [
      id,
      projectId,
    ]);
    return rows[0] ? toFolder(rows[0]) : null;
  },

  async insert(db: SqlClient, folder: { name: string; projectId: string; parentFolderId: string | null }): Promise<Folder> {
    const { rows } = await db.query<FolderRow>(
      `INSERT INTO folder AS f (id, name, project_id, parent_folder_id, updated_at) VALUES ($1, $2, $3, $4, now()) RETURNING ${COLUMNS}`,
      [newId(), folder.name, folder.projectId, folder.parentFolderId],
    );
    return toFolder(rows[0]!);
  },

  async update(tx: SqlClient, id: string, change: { name: string; parentFolderId: string | null }): Promise<Folder> {
    const { rows } = await tx.query<FolderRow>(
      `UPDATE folder AS f SET name = $2, parent_folder_id = $3, updated_at = now() WHERE f.id = $1 RETURNING ${COLUMNS}`,
      [id, change.name, change.parentFolderId],
    );
    return toFolder(rows[0]!);
  },

  /** The folder's id and those of every folder under it. */
  async treeIds(db: SqlClient, id: string): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(`${TREE} SELECT id FROM tree`, [id]);
    return rows.map((row) => row.id);
  },

  /** The workflows in the folder or any folder under it. */
  async workflowsInTree(db: SqlClient, id: string): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `${TREE} SELECT w.id FROM workflow w WHERE w.parent_folder_id IN (SELECT id FROM tree) ORDER BY w.id`,
      [id],
    );
    return rows.map((row) => row.id);
  },

  /** How many folders and workflows are directly in the folder. */
  async counts(db: SqlClient, id: string): Promise<{ totalSubFolders: number; totalWorkflows: number }> {
    const { rows } = await db.query<{ folders: number; workflows: number }>(
      `SELECT (SELECT count(*)::int FROM folder WHERE parent_folder_id = $1) AS folders,
              (SELECT count(*)::int FROM workflow WHERE parent_folder_id = $1) AS workflows`,
      [id],
    );
    return { totalSubFolders: rows[0]!.folders, totalWorkflows: rows[0]!.workflows };
  },

  /** Moves what is directly in a folder (subfolders and workflows) into another (null: the project's top level). */
  async moveContent(tx: SqlClient, fromId: string, toId: string | null): Promise<void> {
    await tx.query('UPDATE folder SET parent_folder_id = $2, updated_at = now() WHERE parent_folder_id = $1', [fromId, toId]);
    await tx.query('UPDATE workflow SET parent_folder_id = $2, updated_at = clock_timestamp() WHERE parent_folder_id = $1', [fromId, toId]);
  },

  /** Deletes a folder and the folders under it (the parent link cascades). */
  async delete(tx: SqlClient, id: string): Promise<void> {
    await tx.query('DELETE FROM folder WHERE id = $1', [id]);
  },
};
