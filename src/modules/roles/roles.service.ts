import { randomBytes } from 'node:crypto';
import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { isUniqueViolation } from '../../lib/database-errors.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { usersRepository } from '../users/users.repository.ts';
import { type CustomRole, rolesRepository as repo } from './roles.repository.ts';
import { SYSTEM_ROLES, SYSTEM_ROLES_DEFINED_AT, type SystemRole } from './system-roles.ts';

/** A role as answered: a system role or a custom one. */
export interface RoleView {
  slug: string;
  displayName: string;
  description: string | null;
  systemRole: boolean;
  roleType: 'global' | 'project';
  scopes: readonly string[];
  createdAt: Date;
  updatedAt: Date;
  usedByUsers?: number;
}

export type RolesService = ReturnType<typeof createRolesService>;

const SYSTEM_SLUGS = new Set(SYSTEM_ROLES.map((r) => r.slug));

/** The scopes a custom role of each type may hold: those n8n's system roles of that type use. */
const ASSIGNABLE_SCOPES = {
  global: new Set(SYSTEM_ROLES.filter((r) => r.roleType === 'global').flatMap((r) => r.scopes)),
  project: new Set(SYSTEM_ROLES.filter((r) => r.roleType === 'project').flatMap((r) => r.scopes)),
};

const fromSystem = (role: SystemRole): RoleView => ({
  ...role,
  systemRole: true,
  createdAt: SYSTEM_ROLES_DEFINED_AT,
  updatedAt: SYSTEM_ROLES_DEFINED_AT,
});

const fromCustom = (role: CustomRole): RoleView => ({ ...role, systemRole: false });

/** `project:<display name in kebab case>`, made unique with a suffix when taken. */
function slugFor(roleType: 'global' | 'project', displayName: string): string {
  const base =
    displayName
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'role';
  return `${roleType}:${base}`;
}

/**
 * Roles: n8n's system roles (fixed, in code) and custom roles (stored). Changing a custom role changes what its
 * holders' keys may do: `onChange` drops cached principals (other instances follow within the key-cache TTL).
 */
export function createRolesService(deps: { sql: SqlPool; onChange: () => void }) {
  const { sql, onChange } = deps;

  function assertScopes(roleType: 'global' | 'project', scopes: readonly string[]) {
    const unknown = scopes.filter((s) => !ASSIGNABLE_SCOPES[roleType].has(s));
    if (unknown.length) throw new ValidationError(`Unknown scope(s) for a ${roleType} role: ${unknown.join(', ')}`);
  }

  async function find(db: SqlClient, slug: string): Promise<RoleView | null> {
    const system = SYSTEM_ROLES.find((r) => r.slug === slug);
    if (system) return fromSystem(system);
    const custom = await repo.find(db, slug);
    return custom ? fromCustom(custom) : null;
  }

  async function findOrFail(db: SqlClient, slug: string): Promise<RoleView> {
    const role = await find(db, slug);
    if (!role) throw new NotFoundError(`Role ${slug} does not exist`);
    return role;
  }

  async function findCustomOrFail(db: SqlClient, slug: string): Promise<RoleView> {
    const role = await findOrFail(db, slug);
    if (role.systemRole) throw new ValidationError(`${slug} is a system role: it cannot be changed or deleted`);
    return role;
  }

  return {
    /** A role by slug, or null (inside the caller's transaction when it passes one). */
    find: (slug: string, db: SqlClient = sql) => find(db, slug),

    async list(withUsageCount: boolean) {
      const roles = [...SYSTEM_ROLES.map(fromSystem), ...(await repo.list(sql)).map(fromCustom)];
      const usage = withUsageCount ? await usersRepository.roleUsage(sql) : undefined;
      const views = roles.map((r) => (usage ? { ...r, usedByUsers: usage.get(r.slug) ?? 0 } : r));
      return { global: views.filter((r) => r.roleType === 'global'), project: views.filter((r) => r.roleType === 'project') };
    },

    async get(slug: string, withUsageCount: boolean) {
      const role = await findOrFail(sql, slug);
      if (!withUsageCount) return role;
      return { ...role, usedByUsers: (await usersRepository.roleUsage(sql)).get(slug) ?? 0 };
    },

    async create(input: { displayName: string; description?: string | null; roleType: 'global' | 'project'; scopes: string[] }) {
      assertScopes(input.roleType, input.scopes);
      let slug = slugFor(input.roleType, input.displayName);
      if (SYSTEM_SLUGS.has(slug) || (await repo.find(sql, slug))) slug = `${slug}-${randomBytes(3).toString('hex')}`;
      const created = await repo
        .insert(sql, {
          slug,
          displayName: input.displayName,
          description: input.description ?? null,
          roleType: input.roleType,
          scopes: [...new Set(input.scopes)],
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? new ConflictError(`A role with slug ${slug} exists already; try again`) : error;
        });
      return fromCustom(created);
    },

    async update(slug: string, change: { displayName: string; description?: string | null; scopes: string[] }) {
      const current = await findCustomOrFail(sql, slug);
      assertScopes(current.roleType, change.scopes);
      const updated = await repo.update(sql, slug, {
        displayName: change.displayName,
        description: change.description ?? null,
        scopes: [...new Set(change.scopes)],
      });
      if (!updated) throw new NotFoundError(`Role ${slug} does not exist`);
      onChange();
      return fromCustom(updated);
    },

    /** Deletes a custom role; whoever holds it must be given another role of the same type (reassignRoleSlug). */
    async delete(slug: string, reassignRoleSlug: string | undefined) {
      const deleted = await inTransaction(sql, async (tx) => {
        const role = await findCustomOrFail(tx, slug);
        const holders = await repo.holders(tx, slug);
        if (holders > 0) {
          if (!reassignRoleSlug) {
            throw new ValidationError(
              `Role ${slug} is held by ${holders} user(s) or membership(s): give reassignRoleSlug to move them to another role`,
            );
          }
          const replacement = await find(tx, reassignRoleSlug);
          if (!replacement || replacement.roleType !== role.roleType || replacement.slug === slug) {
            throw new ValidationError(`reassignRoleSlug must be another existing ${role.roleType} role`);
          }
          if (replacement.slug === 'global:owner')
            throw new ValidationError('Nobody can be reassigned to global:owner: a server has one owner');
          await repo.reassign(tx, slug, replacement.slug);
        }
        await repo.delete(tx, slug);
        return role;
      });
      onChange();
      return deleted;
    },
  };
}
