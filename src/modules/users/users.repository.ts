import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../db/client.ts';
import type { AccessInputs } from '../roles/access.ts';

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
 * For a row of `user_account u`: the user, their project roles (`memberships`) and the custom roles among all their
 * roles (`custom_roles`, slug → scopes, as JSON), so that a request's access is read in the same round trip as its
 * key. `toAccessInputs` reads them.
 */
export const ACCESS_COLUMNS = `
  u.id AS access_user_id, u.email AS access_email, u.role AS access_role,
  COALESCE((SELECT json_agg(json_build_object('projectId', r.project_id, 'role', r.role))
            FROM project_relation r WHERE r.user_id = u.id), '[]'::json) AS memberships,
  COALESCE((SELECT json_object_agg(c.slug, c.scopes) FROM role c
            WHERE c.slug = u.role OR c.slug IN (SELECT r.role FROM project_relation r WHERE r.user_id = u.id)), '{}'::json) AS custom_roles`;

/** The columns ACCESS_COLUMNS adds to a row. */
export interface AccessRow {
  access_user_id: string;
  access_email: string;
  access_role: string;
  memberships: { projectId: string; role: string }[];
  custom_roles: Record<string, string[]>;
}

/** What buildAccess needs, from a row with ACCESS_COLUMNS. */
export function toAccessInputs(row: AccessRow): AccessInputs {
  return {
    userId: row.access_user_id,
    email: row.access_email,
    globalRole: row.access_role,
    memberships: row.memberships,
    customRoles: new Map(Object.entries(row.custom_roles)),
  };
}

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

  /** A new user (pending until their first API key), in the caller's transaction. */
  async insert(tx: SqlClient, user: { email: string; role: string }): Promise<User> {
    const { rows } = await tx.query<UserRow>(
      `INSERT INTO user_account AS u (id, email, role, is_pending, updated_at) VALUES ($1, $2, $3, true, now()) RETURNING ${COLUMNS}`,
      [randomUUID(), user.email.toLowerCase(), user.role],
    );
    return toUser(rows[0]!);
  },

  /** What buildAccess needs for a user: their role, project roles, and the custom roles among them. */
  async accessInputs(db: SqlClient, userId: string): Promise<AccessInputs | null> {
    const { rows } = await db.query<AccessRow>(`SELECT ${ACCESS_COLUMNS} FROM user_account u WHERE u.id = $1`, [userId]);
    return rows[0] ? toAccessInputs(rows[0]) : null;
  },

  async setRole(db: SqlClient, id: string, role: string): Promise<void> {
    await db.query('UPDATE user_account SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
  },

  /** The user has an API key now: no longer pending. */
  async markActive(db: SqlClient, id: string): Promise<void> {
    await db.query('UPDATE user_account SET is_pending = false, updated_at = now() WHERE id = $1 AND is_pending', [id]);
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
