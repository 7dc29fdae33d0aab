import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';

export interface User {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  isPending: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role: string;
  is_pending: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'u.id, u.email, u.first_name, u.last_name, u.role, u.is_pending, u.created_at, u.updated_at';

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  role: row.role,
  isPending: row.is_pending,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const first = (rows: UserRow[]) => (rows[0] ? toUser(rows[0]) : null);

/**
 * For a row of `user_account u`: the user's project roles (`memberships`) and the custom roles among all their roles
 * (`custom_roles`, slug → scopes), as JSON, so that a request's access is read in the same round trip as its key.
 */
export const ACCESS_COLUMNS = `
  COALESCE((SELECT json_agg(json_build_object('projectId', r.project_id, 'role', r.role))
            FROM project_relation r WHERE r.user_id = u.id), '[]'::json) AS memberships,
  COALESCE((SELECT json_object_agg(c.slug, c.scopes) FROM role c
            WHERE c.slug = u.role OR c.slug IN (SELECT r.role FROM project_relation r WHERE r.user_id = u.id)), '{}'::json) AS custom_roles`;

/** n8n's name for a personal project: "First Last <email>", or "<email>" without a name. */
export function personalProjectName(user: Pick<User, 'email' | 'firstName' | 'lastName'>): string {
  return user.firstName && user.lastName ? `${user.firstName} ${user.lastName} <${user.email}>` : `<${user.email}>`;
}

export const usersRepository = {
  async findById(db: SqlClient, id: string): Promise<User | null> {
    return first((await db.query<UserRow>(`SELECT ${COLUMNS} FROM user_account u WHERE u.id = $1`, [id])).rows);
  },

  async findByEmail(db: SqlClient, email: string): Promise<User | null> {
    return first((await db.query<UserRow>(`SELECT ${COLUMNS} FROM user_account u WHERE u.email = $1`, [email.toLowerCase()])).rows);
  },

  async findManyByEmail(db: SqlClient, emails: string[]): Promise<User[]> {
    const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM user_account u WHERE u.email = ANY($1::text[])`, [emails]);
    return rows.map(toUser);
  },

  /** The owner: the first user holding global:owner (there is one; the migration made it). */
  async findOwner(db: SqlClient): Promise<User | null> {
    return first(
      (await db.query<UserRow>(`SELECT ${COLUMNS} FROM user_account u WHERE u.role = 'global:owner' ORDER BY u.created_at, u.id LIMIT 1`))
        .rows,
    );
  },

  /** Users in creation order, optionally only members of one project. */
  async list(db: SqlClient, filter: { projectId?: string }, range: { offset: number; take: number }): Promise<User[]> {
    const { rows } = await db.query<UserRow>(
      `SELECT ${COLUMNS} FROM user_account u
       WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM project_relation r WHERE r.user_id = u.id AND r.project_id = $1))
       ORDER BY u.created_at, u.id LIMIT $2 OFFSET $3`,
      [filter.projectId ?? null, range.take, range.offset],
    );
    return rows.map(toUser);
  },

  /** A new user with their personal project (they own it), in the caller's transaction. */
  async insertWithPersonalProject(tx: SqlClient, user: { email: string; role: string }): Promise<User> {
    const { rows } = await tx.query<UserRow>(
      `INSERT INTO user_account AS u (id, email, role, is_pending, updated_at) VALUES ($1, $2, $3, true, now()) RETURNING ${COLUMNS}`,
      [randomUUID(), user.email.toLowerCase(), user.role],
    );
    const created = toUser(rows[0]!);
    const projectId = newId();
    await tx.query(`INSERT INTO project (id, name, type, updated_at) VALUES ($1, $2, 'personal', now())`, [
      projectId,
      personalProjectName(created),
    ]);
    await tx.query(`INSERT INTO project_relation (project_id, user_id, role, updated_at) VALUES ($1, $2, 'project:personalOwner', now())`, [
      projectId,
      created.id,
    ]);
    return created;
  },

  /** What buildAccess needs for a user: their role, project roles, and the custom roles among them. */
  async accessInputs(db: SqlClient, userId: string) {
    const { rows } = await db.query<{
      id: string;
      email: string;
      role: string;
      memberships: { projectId: string; role: string }[];
      custom_roles: Record<string, string[]>;
    }>(`SELECT u.id, u.email, u.role, ${ACCESS_COLUMNS} FROM user_account u WHERE u.id = $1`, [userId]);
    const row = rows[0];
    if (!row) return null;
    return {
      userId: row.id,
      email: row.email,
      globalRole: row.role,
      memberships: row.memberships,
      customRoles: new Map(Object.entries(row.custom_roles)),
    };
  },

  async setRole(db: SqlClient, id: string, role: string): Promise<void> {
    await db.query('UPDATE user_account SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
  },

  /** The user has an API key now: no longer pending. */
  async markActive(db: SqlClient, id: string): Promise<void> {
    await db.query('UPDATE user_account SET is_pending = false, updated_at = now() WHERE id = $1 AND is_pending', [id]);
  },

  /** The id of the user's personal project (null only for a user whose project was never made: the owner before first use). */
  async personalProjectId(db: SqlClient, userId: string): Promise<string | null> {
    const { rows } = await db.query<{ project_id: string }>(
      `SELECT r.project_id FROM project_relation r JOIN project p ON p.id = r.project_id
       WHERE r.user_id = $1 AND r.role = 'project:personalOwner' AND p.type = 'personal' LIMIT 1`,
      [userId],
    );
    return rows[0]?.project_id ?? null;
  },

  /** Hands everything in one project to another (deleting a user with transferId). */
  async moveProjectContent(tx: SqlClient, fromProjectId: string, toProjectId: string): Promise<void> {
    await tx.query('UPDATE workflow SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
    await tx.query('UPDATE credential SET project_id = $2 WHERE project_id = $1', [fromProjectId, toProjectId]);
  },

  /** Deletes a project and what is in it (workflows cascade to their executions, versions and triggers). */
  async deleteProjectWithContent(tx: SqlClient, projectId: string): Promise<void> {
    await tx.query('DELETE FROM workflow WHERE project_id = $1', [projectId]);
    await tx.query('DELETE FROM credential WHERE project_id = $1', [projectId]);
    await tx.query('DELETE FROM project WHERE id = $1', [projectId]);
  },

  /** Deletes the user; their keys and memberships go with them (foreign keys cascade). */
  async delete(tx: SqlClient, id: string): Promise<void> {
    await tx.query('DELETE FROM user_account WHERE id = $1', [id]);
  },

  /** How many users hold each role (GET /roles?withUsageCount=true): global roles by user, project roles by membership. */
  async roleUsage(db: SqlClient): Promise<Map<string, number>> {
    const { rows } = await db.query<{ role: string; n: number }>(
      `SELECT role, count(*)::int AS n FROM user_account GROUP BY role
       UNION ALL SELECT role, count(DISTINCT user_id)::int AS n FROM project_relation GROUP BY role`,
    );
    return new Map(rows.map((r) => [r.role, r.n]));
  },
};
