import type { SqlClient } from '../../db/client.ts';

/** A custom role as stored (system roles live in code: system-roles.ts). */
export interface CustomRole {
  slug: string;
  displayName: string;
  description: string | null;
  roleType: 'global' | 'project';
  scopes: string[];
  createdAt: Date;
  updatedAt: Date;
}

interface RoleRow {
  slug: string;
  display_name: string;
  description: string | null;
  role_type: 'global' | 'project';
  scopes: string[] | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'slug, display_name, description, role_type, scopes, created_at, updated_at';

const toRole = (row: RoleRow): CustomRole => ({
  slug: row.slug,
  displayName: row.display_name,
  description: row.description,
  roleType: row.role_type,
  scopes: row.scopes ?? [],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const rolesRepository = {
  async list(db: SqlClient): Promise<CustomRole[]> {
    return (await db.query<RoleRow>(`SELECT ${COLUMNS} FROM role ORDER BY created_at, slug`)).rows.map(toRole);
  },

  async find(db: SqlClient, slug: string): Promise<CustomRole | null> {
    const { rows } = await db.query<RoleRow>(`SELECT ${COLUMNS} FROM role WHERE slug = $1`, [slug]);
    return rows[0] ? toRole(rows[0]) : null;
  },

  async insert(db: SqlClient, role: Omit<CustomRole, 'createdAt' | 'updatedAt'>): Promise<CustomRole> {
    const { rows } = await db.query<RoleRow>(
      `INSERT INTO role (slug, display_name, description, role_type, scopes, updated_at) VALUES ($1, $2, $3, $4, $5::text[], now())
       RETURNING ${COLUMNS}`,
      [role.slug, role.displayName, role.description, role.roleType, role.scopes],
    );
    return toRole(rows[0]!);
  },

  async update(db: SqlClient, slug: string, change: { displayName: string; description: string | null; scopes: string[] }) {
    const { rows } = await db.query<RoleRow>(
      `UPDATE role SET display_name = $2, description = $3, scopes = $4::text[], updated_at = now() WHERE slug = $1 RETURNING ${COLUMNS}`,
      [slug, change.displayName, change.description, change.scopes],
    );
    return rows[0] ? toRole(rows[0]) : null;
  },

  async delete(db: SqlClient, slug: string): Promise<void> {
    await db.query('DELETE FROM role WHERE slug = $1', [slug]);
  },

  /** Gives everyone holding `slug` (globally or in a project) `replacement` instead, before the role is deleted. */
  async reassign(db: SqlClient, slug: string, replacement: string): Promise<void> {
    await db.query('UPDATE user_account SET role = $2, updated_at = now() WHERE role = $1', [slug, replacement]);
    await db.query('UPDATE project_relation SET role = $2, updated_at = now() WHERE role = $1', [slug, replacement]);
  },

  /** How many users and project memberships hold the role. */
  async holders(db: SqlClient, slug: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM user_account WHERE role = $1) + (SELECT count(*) FROM project_relation WHERE role = $1) AS n`,
      [slug],
    );
    return Number(rows[0]!.n);
  },
};
