import type { SqlClient } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { dataTablesRepository } from '../data-tables/data-tables.repository.ts';

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

/** A member of a project, as GET /projects/:id/users lists them. */
export interface ProjectMember {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  createdAt: Date;
  updatedAt: Date;
}

interface MemberRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role: string;
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

  /** Projects in creation order; `ids` keeps to those (a member's), undefined lists all. */
  async list(db: SqlClient, ids: string[] | undefined, range: { offset: number; take: number }): Promise<Project[]> {
    const { rows } = await db.query<ProjectRow>(
      `SELECT ${COLUMNS} FROM project WHERE ($1::varchar[] IS NULL OR id = ANY($1)) ORDER BY created_at, id LIMIT $2 OFFSET $3`,
      [ids ?? null, range.take, range.offset],
    );
    return rows.map(toProject);
  },

  /** A new team project with its creator as project:admin, in the caller's transaction. */
  async insertTeam(tx: SqlClient, project: { name: string; creatorId: string }): Promise<Project> {
    const { rows } = await tx.query<ProjectRow>(
      `INSERT INTO project (id, name, type, updated_at) VALUES ($1, $2, 'team', now()) RETURNING ${COLUMNS}`,
      [newId(), project.name],
    );
    await this.setMember(tx, rows[0]!.id, project.creatorId, 'project:admin');
    return toProject(rows[0]!);
  },

  /** Locks a project's row for the transaction (membership and content changes of one project queue up). */
  async lockById(tx: SqlClient, id: string): Promise<Project | null> {
    const { rows } = await tx.query<ProjectRow>(`SELECT ${COLUMNS} FROM project WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toProject(rows[0]) : null;
  },

  async rename(tx: SqlClient, id: string, name: string): Promise<void> {
    await tx.query('UPDATE project SET name = $2, updated_at = now() WHERE id = $1', [id, name]);
  },

  /** Members with their role here, in the order they joined. */
  async members(db: SqlClient, projectId: string, range: { offset: number; take: number }): Promise<ProjectMember[]> {
    const { rows } = await db.query<MemberRow>(
      `SELECT u.id, u.email, u.first_name, u.last_name, r.role, u.created_at, u.updated_at
       FROM project_relation r JOIN user_account u ON u.id = r.user_id
       WHERE r.project_id = $1 ORDER BY r.created_at, u.id LIMIT $2 OFFSET $3`,
      [projectId, range.take, range.offset],
    );
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      role: row.role,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  },

  async memberIds(db: SqlClient, projectId: string): Promise<string[]> {
    const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM project_relation WHERE project_id = $1', [projectId]);
    return rows.map((row) => row.user_id);
  },

  async roleOf(db: SqlClient, projectId: string, userId: string): Promise<string | null> {
    const { rows } = await db.query<{ role: string }>('SELECT role FROM project_relation WHERE project_id = $1 AND user_id = $2', [
      projectId,
      userId,
    ]);
    return rows[0]?.role ?? null;
  },

  /** Adds a member, or changes the role of one who already is. */
  async setMember(tx: SqlClient, projectId: string, userId: string, role: string): Promise<void> {
    await tx.query(
      `INSERT INTO project_relation (project_id, user_id, role, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()`,
      [projectId, userId, role],
    );
  },

  async removeMember(tx: SqlClient, projectId: string, userId: string): Promise<void> {
    await tx.query('DELETE FROM project_relation WHERE project_id = $1 AND user_id = $2', [projectId, userId]);
  },

  /** Hands everything in one project to another (deleting a user with transferId). */
  async moveContent(tx: SqlClient, fromProjectId: string, toProjectId: string): Promise<void> {
    await tx.query('UPDATE workflow SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
    await tx.query('UPDATE credential SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
    await tx.query('UPDATE data_table SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
  },

  /** Deletes a project and what is in it (workflows cascade to their executions, versions and triggers). */
  async deleteWithContent(tx: SqlClient, projectId: string): Promise<void> {
    await dataTablesRepository.dropAllOfProject(tx, projectId);
    await tx.query('DELETE FROM workflow WHERE project_id = $1', [projectId]);
    await tx.query('DELETE FROM credential WHERE project_id = $1', [projectId]);
    await tx.query('DELETE FROM project WHERE id = $1', [projectId]);
  },
};
