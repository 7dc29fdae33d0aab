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

/** The owner's personal project (other users' personal projects are theirs). */
async function ownersPersonal(db: SqlClient): Promise<Project | null> {
  const { rows } = await db.query<ProjectRow>(
    `SELECT ${COLUMNS.replace(/(\w+)/g, 'p.$1')} FROM project p
     JOIN project_relation r ON r.project_id = p.id AND r.role = 'project:personalOwner'
     JOIN user_account u ON u.id = r.user_id AND u.role = 'global:owner'
     WHERE p.type = 'personal' ORDER BY u.created_at, p.created_at LIMIT 1`,
  );
  return rows[0] ? toProject(rows[0]) : null;
}

export const projectsRepository = {
  async findById(db: SqlClient, id: string): Promise<Project | null> {
    const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM project WHERE id = $1`, [id]);
    return rows[0] ? toProject(rows[0]) : null;
  },

  /**
   * The owner's personal project (the default home of what keys create until projects are chosen), created on first use. The advisory lock makes concurrent first calls (several
   * instances booting) agree on one project; it is transaction-scoped, so `tx` must be inside a transaction.
   */
  async ensureDefault(tx: SqlClient): Promise<Project> {
    const existing = await ownersPersonal(tx);
    if (existing) return existing;
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [DEFAULT_PROJECT_LOCK]);
    const created = await ownersPersonal(tx);
    if (created) return created;
    const { rows } = await tx.query<ProjectRow>(
      `INSERT INTO project (id, name, type, updated_at) VALUES ($1, $2, 'personal', now()) RETURNING ${COLUMNS}`,
      [newId(), DEFAULT_PROJECT_NAME],
    );
    const { rowCount } = await tx.query(
      `INSERT INTO project_relation (project_id, user_id, role, updated_at)
       SELECT $1, id, 'project:personalOwner', now() FROM user_account WHERE role = 'global:owner' ORDER BY created_at, id LIMIT 1`,
      [rows[0]!.id],
    );
    if (!rowCount) throw new Error('this server has no owner user (the users migration makes one)');
    return toProject(rows[0]!);
  },
};
