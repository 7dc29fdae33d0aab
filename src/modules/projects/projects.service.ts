import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { usersRepository } from '../users/users.repository.ts';
import { type Project, projectsRepository } from './projects.repository.ts';

export type ProjectsService = ReturnType<typeof createProjectsService>;

/** The one default-project policy: every module that needs the owner's project asks this service. */
export function createProjectsService(deps: { sql: SqlPool }) {
  const { sql } = deps;
  // The project never changes once made: one transaction per process, retried after a failure (a database down at start).
  let defaultProjectPromise: Promise<Project> | undefined;

  return {
    defaultProject(): Promise<Project> {
      defaultProjectPromise ??= inTransaction(sql, async (tx) => {
        const owner = await usersRepository.findOwner(tx);
        if (!owner) throw new Error('this server has no owner user (the users migration makes one)');
        return projectsRepository.ensureDefault(tx, owner.id);
      }).catch((err: unknown) => {
        defaultProjectPromise = undefined;
        throw err;
      });
      return defaultProjectPromise;
    },

    /** A project by id, inside the caller's transaction when it passes one. */
    findById: (db: SqlClient, id: string): Promise<Project | null> => projectsRepository.findById(db, id),
  };
}
