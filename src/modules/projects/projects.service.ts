import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import type { Access } from '../roles/access.ts';
import { admit, type Grant, projectFilterOf } from '../roles/grant.ts';
import type { RolesService } from '../roles/roles.service.ts';
import { usersRepository } from '../users/users.repository.ts';
import { type Project, projectsRepository as repo } from './projects.repository.ts';

export type ProjectsService = ReturnType<typeof createProjectsService>;

/** The project roles that may be given to a member (a personal project's owner role is never given). */
const SYSTEM_MEMBER_ROLES = ['project:admin', 'project:editor', 'project:viewer'];

/** n8n's answer for a project that is not there, not a team project, or not visible to the caller. */
const projectNotFound = (id: string) => new NotFoundError(`Could not find project with ID: ${id}`);

type Page = { limit: number; cursor?: string };

/**
 * Projects: every user's personal project (made with the user) and team projects with members in roles. A
 * membership change drops the cached keys of whoever it concerns (`forgetUser`), here at once and on other
 * instances within the key-cache TTL, so what a key may reach follows its user's memberships.
 */
export function createProjectsService(deps: { sql: SqlPool; roles: Pick<RolesService, 'find'>; forgetUser: (userId: string) => void }) {
  const { sql, roles, forgetUser } = deps;
  // The project never changes once made: one transaction per process, retried after a failure (a database down at start).
  let defaultProjectPromise: Promise<Project> | undefined;

  /** A project the grant reaches, locked for the transaction; one it cannot see is "not found". */
  async function lockProject(tx: SqlClient, id: string, grant: Grant): Promise<Project> {
    const project = await repo.lockById(tx, id);
    if (!project) throw projectNotFound(id);
    admit(grant, project.id, 'project:read', () => {
      throw projectNotFound(id);
    });
    return project;
  }

  /** As lockProject, for what only team projects have (a name of their own, members). */
  async function lockTeamProject(tx: SqlClient, id: string, grant: Grant): Promise<Project> {
    const project = await lockProject(tx, id, grant);
    if (project.type !== 'team') throw projectNotFound(id);
    return project;
  }

  /** A role a member may be given: project:admin, editor or viewer, or a custom project role. */
  async function memberRole(db: SqlClient, slug: string): Promise<string> {
    if (SYSTEM_MEMBER_ROLES.includes(slug)) return slug;
    const role = await roles.find(slug, db);
    if (role?.roleType === 'project' && !role.systemRole) return slug;
    // n8n's words (its zod enum), naming what is allowed.
    const allowed = SYSTEM_MEMBER_ROLES.map((r) => `'${r}'`).join(' | ');
    throw new ValidationError(`Invalid enum value. Expected ${allowed} (or a custom project role), received '${slug}'`);
  }

  return {
    /** The owner's personal project (created on first use on a server from before users existed). */
    defaultProject(): Promise<Project> {
      defaultProjectPromise ??= inTransaction(sql, async (tx) => {
        const owner = await usersRepository.findOwner(tx);
        if (!owner) throw new Error('this server has no owner user (the users migration makes one)');
        return repo.ensureDefault(tx, owner.id);
      }).catch((err: unknown) => {
        defaultProjectPromise = undefined;
        throw err;
      });
      return defaultProjectPromise;
    },

    /**
     * The personal project of a key's user: where what they create goes. Every user gets one when invited; the
     * owner's may still be made on first use (a server from before users existed).
     */
    async personalProjectOf(access: Pick<Access, 'userId' | 'globalRole'>): Promise<Project> {
      const found = await repo.findPersonalOf(sql, access.userId);
      if (found) return found;
      if (access.globalRole === 'global:owner') return this.defaultProject();
      throw new Error(`user ${access.userId} has no personal project`);
    },

    /** A project by id, inside the caller's transaction when it passes one. */
    findById: (db: SqlClient, id: string): Promise<Project | null> => repo.findById(db, id),

    /** Owner and admin see every project (personal ones too, as in n8n); members see the projects they are in. */
    async list(query: Page, grant: Grant) {
      // The owner's personal project is made on first use; a list made before that must show it too.
      await this.defaultProject();
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => repo.list(sql, projectFilterOf(grant), range));
    },

    /** A team project with the caller as its project:admin; the answer carries their role and scopes there. */
    async create(name: string, grant: Grant) {
      const project = await inTransaction(sql, (tx) => repo.insertTeam(tx, { name, creatorId: grant.access.userId }));
      forgetUser(grant.access.userId);
      return project;
    },

    rename: (id: string, name: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        await lockTeamProject(tx, id, grant);
        await repo.rename(tx, id, name);
      }),

    /** Deletes a team project with its workflows (and their executions) and credentials; its members lose it. */
    async delete(id: string, grant: Grant) {
      const members = await inTransaction(sql, async (tx) => {
        const project = await lockProject(tx, id, grant);
        if (project.type !== 'team') throw new ValidationError(`Can't delete project. Project with ID "${id}" is not a team project.`);
        const memberIds = await repo.memberIds(tx, id);
        await repo.deleteWithContent(tx, id);
        return memberIds;
      });
      for (const userId of members) forgetUser(userId);
    },

    async members(id: string, query: Page, grant: Grant) {
      const project = await repo.findById(sql, id);
      const hidden = (): never => {
        throw projectNotFound(id);
      };
      if (!project) hidden();
      admit(grant, id, 'project:read', hidden);
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => repo.members(sql, id, range));
    },

    /** Adds members (or changes the role of those who already are), all or none. */
    async addMembers(id: string, relations: readonly { userId: string; role: string }[], grant: Grant) {
      await inTransaction(sql, async (tx) => {
        await lockTeamProject(tx, id, grant);
        for (const relation of relations) {
          const role = await memberRole(tx, relation.role);
          const user = await usersRepository.findById(tx, relation.userId);
          if (!user) throw new NotFoundError(`Could not find user with id: ${relation.userId}`);
          await repo.setMember(tx, id, user.id, role);
        }
      });
      for (const relation of relations) forgetUser(relation.userId);
    },

    async changeMemberRole(id: string, userId: string, role: string, grant: Grant) {
      await inTransaction(sql, async (tx) => {
        await lockTeamProject(tx, id, grant);
        const slug = await memberRole(tx, role);
        // n8n answers a user who is not a member with the project's message.
        if (!(await repo.roleOf(tx, id, userId))) throw projectNotFound(id);
        await repo.setMember(tx, id, userId, slug);
      });
      forgetUser(userId);
    },

    async removeMember(id: string, userId: string, grant: Grant) {
      await inTransaction(sql, async (tx) => {
        const project = await lockProject(tx, id, grant);
        if ((await repo.roleOf(tx, id, userId)) === 'project:personalOwner') {
          throw new ForbiddenError(undefined, 'Project owner cannot be removed from the project');
        }
        if (project.type !== 'team') throw projectNotFound(id);
        await repo.removeMember(tx, id, userId);
      });
      forgetUser(userId);
    },
  };
}
