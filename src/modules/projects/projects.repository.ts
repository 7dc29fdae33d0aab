import type { SqlClient } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';

export const DEFAULT_PROJECT_NAME = 'Owner <owner@flowgate.local>';

/** n8n's project: every workflow and credential belongs to exactly one. */
export interface Project {
  id: string;
  name: string;
  type: string;
  /** jsonb as stored (n8n writes `{ type, value }`); null when unset. */
  icon: unknown;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProjectRow {
  id: string;
  name: string;
  type: string;
  icon: unknown;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, type, icon, description, created_at, updated_at';

// Its own key: it once shared 1718382446 with the credential key rotation, so creating the project waited for a rotation.
const DEFAULT_PROJECT_LOCK = 1718382447;

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    icon: row.icon,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const projectsRepository = {
  async findById(db: SqlClient, id: string): Promise<Project | null> {
    const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM project WHERE id = $1`, [id]);
    return rows[0] ? toProject(rows[0]) : null;
  },

  /** A user's personal project: the one they hold as project:personalOwner. */
  async findPersonalOf(db: SqlClient, userId: string): Promise<Project | null> {
    const { rows } = await db.query<ProjectRow>(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 'p.$1')} FROM project p
       JOIN project_relation r ON r.project_id = p.id AND r.role = 'project:personalOwner'
       WHERE r.user_id = $1 AND p.type = 'personal' LIMIT 1`,
      [userId],
    );
    return rows[0] ? toProject(rows[0]) : null;
  },

  /** A new personal project owned by `ownerId`, in the caller's transaction. */
  async insertPersonal(tx: SqlClient, project: { name: string; ownerId: string }): Promise<Project> {
    const { rows } = await tx.query<ProjectRow>(
      `INSERT INTO project (id, name, type, updated_at) VALUES ($1, $2, 'personal', now()) RETURNING ${COLUMNS}`,
      [newId(), project.name],
    );
    await tx.query(`INSERT INTO project_relation (project_id, user_id, role, updated_at) VALUES ($1, $2, 'project:personalOwner', now())`, [
      rows[0]!.id,
      project.ownerId,
    ]);
    return toProject(rows[0]!);
  },

  /**
   * The owner's personal project (the default home of what keys create until projects are chosen), created on
   * first use. The advisory lock makes concurrent first calls (several instances booting) agree on one project; it
   * is transaction-scoped, so `tx` must be inside a transaction.
   */
  async ensureDefault(tx: SqlClient, ownerId: string): Promise<Project> {
    const existing = await this.findPersonalOf(tx, ownerId);
    if (existing) return existing;
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [DEFAULT_PROJECT_LOCK]);
    return (await this.findPersonalOf(tx, ownerId)) ?? this.insertPersonal(tx, { name: DEFAULT_PROJECT_NAME, ownerId });
  },

  /** Hands everything in one project to another (deleting a user with transferId). */
  async moveContent(tx: SqlClient, fromProjectId: string, toProjectId: string): Promise<void> {
    await tx.query('UPDATE workflow SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
    await tx.query('UPDATE credential SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
  },

  /** Deletes a project and what is in it (workflows cascade to their executions, versions and triggers). */
  async deleteWithContent(tx: SqlClient, projectId: string): Promise<void> {
    await tx.query('DELETE FROM workflow WHERE project_id = $1', [projectId]);
    await tx.query('DELETE FROM credential WHERE project_id = $1', [projectId]);
    await tx.query('DELETE FROM project WHERE id = $1', [projectId]);
  },
};
