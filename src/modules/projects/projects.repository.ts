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

async function firstPersonal(db: SqlClient): Promise<Project | null> {
  const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM project WHERE type = 'personal' ORDER BY created_at LIMIT 1`);
  return rows[0] ? toProject(rows[0]) : null;
}

export const projectsRepository = {
  async findById(db: SqlClient, id: string): Promise<Project | null> {
    const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM project WHERE id = $1`, [id]);
    return rows[0] ? toProject(rows[0]) : null;
  },

  /**
   * The owner's personal project, created on first use. The advisory lock makes concurrent first calls (several
   * instances booting) agree on one project; it is transaction-scoped, so `tx` must be inside a transaction.
   */
  async ensureDefault(tx: SqlClient): Promise<Project> {
    const existing = await firstPersonal(tx);
    if (existing) return existing;
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [DEFAULT_PROJECT_LOCK]);
    const created = await firstPersonal(tx);
    if (created) return created;
    const { rows } = await tx.query<ProjectRow>(
      `INSERT INTO project (id, name, type, updated_at) VALUES ($1, $2, 'personal', now()) RETURNING ${COLUMNS}`,
      [newId(), DEFAULT_PROJECT_NAME],
    );
    return toProject(rows[0]!);
  },
};
