import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import type { Principal } from '../api-keys/api-keys.service.ts';
import { projectsRepository } from '../projects/projects.repository.ts';
import type { RolesService } from '../roles/roles.service.ts';
import { personalProjectName, usersRepository as repo, type User } from './users.repository.ts';

export type UsersService = ReturnType<typeof createUsersService>;

const OWNER = 'global:owner';

/** n8n's answer for an identifier that is neither a user's id nor their email. */
const notFound = (identifier: string) => new NotFoundError(`Could not find user with id: ${identifier}`);

/**
 * Users: invited over the API (each with a personal project), acting through API keys. A change to someone's role
 * or their removal drops their cached keys here at once (`forgetUser`); other instances follow within the TTL.
 */
export function createUsersService(deps: { sql: SqlPool; roles: Pick<RolesService, 'find'>; forgetUser: (userId: string) => void }) {
  const { sql, roles, forgetUser } = deps;

  async function findByIdentifier(identifier: string): Promise<User | null> {
    return identifier.includes('@') ? repo.findByEmail(sql, identifier) : repo.findById(sql, identifier);
  }

  /** A global role that may be given to someone: it exists, and it is not the owner's (a server has one owner). */
  async function assignableGlobalRole(slug: string) {
    const role = await roles.find(slug);
    if (role?.roleType !== 'global') throw new ValidationError(`Role ${slug} does not exist`);
    if (slug === OWNER) throw new ValidationError(`Nobody can be given the role ${OWNER}: a server has exactly one owner`);
    return role;
  }

  /** A new user and their personal project (n8n: every user has one). */
  async function insertWithPersonalProject(tx: SqlClient, invitation: { email: string; role: string }): Promise<User> {
    const user = await repo.insert(tx, invitation);
    await projectsRepository.insertPersonal(tx, { name: personalProjectName(user), ownerId: user.id });
    return user;
  }

  return {
    async list(query: { limit: number; cursor?: string; projectId?: string }) {
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) =>
        repo.list(sql, { projectId: query.projectId }, range),
      );
    },

    async get(identifier: string): Promise<User> {
      const user = await findByIdentifier(identifier);
      if (!user) throw notFound(identifier);
      return user;
    },

    /**
     * Invites users, each with a personal project; n8n's answer per email. Someone invited already is answered
     * as they are (not invited twice). All of them or none: one transaction.
     */
    async invite(invitations: { email: string; role?: string }[]) {
      const wanted = invitations.map((i) => ({ email: i.email.toLowerCase(), role: i.role ?? 'global:member' }));
      for (const role of new Set(wanted.map((w) => w.role))) await assignableGlobalRole(role);
      return inTransaction(sql, async (tx) => {
        const existing = new Map(
          (
            await repo.findManyByEmail(
              tx,
              wanted.map((w) => w.email),
            )
          ).map((u) => [u.email, u]),
        );
        const answers = [];
        for (const { email, role } of wanted) {
          const user = existing.get(email) ?? (await insertWithPersonalProject(tx, { email, role }));
          existing.set(email, user);
          answers.push({ user: { id: user.id, email: user.email, emailSent: false, role: user.role }, error: '' });
        }
        return answers;
      });
    },

    async changeRole(caller: Principal, identifier: string, newRoleName: string): Promise<void> {
      const user = await findByIdentifier(identifier);
      if (!user) throw notFound(identifier);
      if (user.role === OWNER) {
        throw new ForbiddenError(
          undefined,
          caller.access.globalRole === OWNER ? 'Owner cannot change role on global owner' : 'Admin cannot change role on global owner',
        );
      }
      await assignableGlobalRole(newRoleName);
      await repo.setRole(sql, user.id, newRoleName);
      forgetUser(user.id);
    },

    /**
     * Deletes a user, their keys and memberships. Their personal project's workflows and credentials go to
     * `transferId`'s personal project when given, and are deleted with the project otherwise (as n8n does).
     */
    async delete(caller: Principal, identifier: string, transferId?: string): Promise<void> {
      const user = await findByIdentifier(identifier);
      if (!user) throw notFound(identifier);
      if (user.id === caller.access.userId) throw new ValidationError('Cannot delete your own user');
      if (user.role === OWNER) throw new ForbiddenError(undefined, 'The owner cannot be deleted');
      if (transferId === user.id) {
        throw new ValidationError(
          'Request to delete a user failed because the ID of the user to delete and the ID of the transferee are the same',
        );
      }
      await inTransaction(sql, async (tx) => {
        const personal = await projectsRepository.findPersonalOf(tx, user.id);
        if (transferId) {
          const transferee = await repo.findById(tx, transferId);
          if (!transferee) throw new NotFoundError(`Could not find user with id: ${transferId}`);
          const destination =
            (await projectsRepository.findPersonalOf(tx, transferee.id)) ??
            (transferee.role === OWNER ? await projectsRepository.ensureDefault(tx, transferee.id) : null);
          if (!destination) throw new ValidationError(`User ${transferId} has no personal project to transfer to`);
          if (personal) await projectsRepository.moveContent(tx, personal.id, destination.id);
        }
        if (personal) await projectsRepository.deleteWithContent(tx, personal.id);
        await repo.delete(tx, user.id);
      });
      forgetUser(user.id);
    },
  };
}
