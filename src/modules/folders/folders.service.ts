import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { projectsRepository } from '../projects/projects.repository.ts';
import { admit, type Caller, type Grant } from '../roles/grant.ts';
import { type EditDependencies, lockForEdit, persistEdit } from '../workflows/workflow-edit.ts';
import { stateOf } from '../workflows/workflow-state.ts';
import { workflowsRepository } from '../workflows/workflows.repository.ts';
import { type Folder, type FolderFilter, type FolderOrder, PROJECT_ROOT, foldersRepository as repo } from './folders.repository.ts';

export type FoldersService = ReturnType<typeof createFoldersService>;

const projectNotFound = (id: string) => new NotFoundError(`Could not find project with ID: ${id}`);
const folderNotFound = (id: string) => new NotFoundError(`Could not find folder with ID: ${id}`);

/**
 * Folders of a project's workflows, nested by parentFolderId. Deleting one hands what it holds to
 * `transferToFolderId` (a folder of the project, or "0" for its top level); without one, its folders go with it
 * and its workflows are archived (deactivated) at the project's top level: never deleted unasked.
 */
export function createFoldersService(deps: EditDependencies & { sql: SqlPool }) {
  const { sql } = deps;

  /** The project, when the grant may see it and do the route's folder action there. */
  async function admitToProject(db: SqlClient, projectId: string, grant: Grant) {
    const project = await projectsRepository.findById(db, projectId);
    const hidden = (): never => {
      throw projectNotFound(projectId);
    };
    if (!project) hidden();
    admit(grant, projectId, 'project:read', hidden);
  }

  /** A folder of the project to put something in: "0" and null are its top level. */
  async function targetFolder(db: SqlClient, projectId: string, id: string | null | undefined): Promise<Folder | null> {
    if (id === undefined || id === null || id === PROJECT_ROOT) return null;
    const folder = await repo.findInProject(db, projectId, id);
    if (!folder) throw folderNotFound(id);
    return folder;
  }

  async function mustFind(db: SqlClient, projectId: string, id: string, lock = false) {
    const folder = lock ? await repo.lockInProject(db, projectId, id) : await repo.findInProject(db, projectId, id);
    if (!folder) throw folderNotFound(id);
    return folder;
  }

  return {
    async list(projectId: string, query: { filter: FolderFilter; order: FolderOrder; skip: number; take: number }, grant: Grant) {
      await admitToProject(sql, projectId, grant);
      return repo.list(sql, projectId, query.filter, query);
    },

    async get(projectId: string, id: string, grant: Grant) {
      await admitToProject(sql, projectId, grant);
      const folder = await mustFind(sql, projectId, id);
      return { ...folder, ...(await repo.counts(sql, id)) };
    },

    create: (projectId: string, input: { name: string; parentFolderId?: string }, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        await admitToProject(tx, projectId, grant);
        const parent = await targetFolder(tx, projectId, input.parentFolderId);
        return repo.insert(tx, { name: input.name, projectId, parentFolderId: parent?.id ?? null });
      }),

    update: (projectId: string, id: string, input: { name?: string; parentFolderId?: string }, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        await admitToProject(tx, projectId, grant);
        const folder = await mustFind(tx, projectId, id, true);
        let parentFolderId = folder.parentFolderId;
        if (input.parentFolderId !== undefined) {
          if (input.parentFolderId === id) throw new ValidationError('Cannot set a folder’s parent to itself');
          const parent = await targetFolder(tx, projectId, input.parentFolderId);
          if (parent && (await repo.treeIds(tx, id)).includes(parent.id)) {
            throw new ValidationError('Cannot set a folder’s parent to a folder that is inside it');
          }
          parentFolderId = parent?.id ?? null;
        }
        return repo.update(tx, id, { name: input.name ?? folder.name, parentFolderId });
      }),

    delete: (projectId: string, id: string, transferToFolderId: string | undefined, caller: Caller) =>
      inTransaction(sql, async (tx) => {
        await admitToProject(tx, projectId, caller.grant);
        await mustFind(tx, projectId, id, true);
        if (transferToFolderId !== undefined) {
          if (transferToFolderId === id) throw new ValidationError('Cannot transfer a folder’s content to itself');
          const target = await targetFolder(tx, projectId, transferToFolderId);
          if (target && (await repo.treeIds(tx, id)).includes(target.id)) {
            throw new ValidationError('Cannot transfer a folder’s content to a folder that is inside it');
          }
          await repo.moveContent(tx, id, target?.id ?? null);
        } else {
          await archiveWorkflowsIn(tx, id, caller);
        }
        await repo.delete(tx, id);
      }),
  };

  /** Archives (and so deactivates) every workflow in the folder's tree, each with its history entry, and moves them to the top level. */
  async function archiveWorkflowsIn(tx: SqlClient, folderId: string, caller: Caller) {
    const ids = await repo.workflowsInTree(tx, folderId);
    const grant = { access: caller.grant.access, scopes: ['workflow:delete'] };
    for (const workflowId of ids) {
      const current = await lockForEdit(tx, deps, workflowId, grant);
      if (current.isArchived) continue;
      await persistEdit(tx, deps, {
        current,
        next: stateOf(current),
        principal: caller.principal,
        history: { message: 'archived: its folder was deleted' },
        isArchived: true,
        active: false,
      });
    }
    if (ids.length) await workflowsRepository.setFolder(tx, ids, null);
  }
}
