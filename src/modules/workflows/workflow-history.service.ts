import type { SqlClient, SqlPool } from '../../db/client.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import type { Caller, Grant } from '../roles/grant.ts';
import { type EditDependencies, lockForEdit, persistEdit, runEdit } from './workflow-edit.ts';
import { admitToWorkflow, assertEditable, notFound, stateOf, UUID } from './workflow-state.ts';
import { workflowVersionsRepository as versions } from './workflow-versions.repository.ts';
import { workflowsRepository as repo } from './workflows.repository.ts';

export type WorkflowHistoryService = ReturnType<typeof createWorkflowHistoryService>;

/** A workflow's saved versions: list them, read one, restore one (a new version with the old state). */
export function createWorkflowHistoryService(deps: EditDependencies & { sql: SqlPool }) {
  const { sql } = deps;

  /** A version read by `read`, or 404 (also for a versionId that is not a UUID, which no version has). */
  async function versionOr404<T>(versionId: string, read: () => Promise<T | null>): Promise<T> {
    const version = UUID.test(versionId) ? await read() : null;
    if (!version) throw new NotFoundError('Version not found');
    return version;
  }

  const findVersion = (db: SqlClient, id: string, versionId: string) => versionOr404(versionId, () => versions.find(db, id, versionId));

  /** The workflow's versions are read only by those who may read it. */
  const admitTo = async (id: string, grant: Grant) => admitToWorkflow(grant, (await repo.projectOf(sql, id)) ?? notFound());

  return {
    async list(id: string, grant: Grant, query: { limit: number; cursor?: string }) {
      await admitTo(id, grant);
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => versions.list(sql, id, range));
    },

    async get(id: string, versionId: string, grant: Grant) {
      await admitTo(id, grant);
      return findVersion(sql, id, versionId);
    },

    /** One version with its graph as the database's JSON text, for GET (toVersionJson). */
    async getPassThrough(id: string, versionId: string, grant: Grant) {
      await admitTo(id, grant);
      return versionOr404(versionId, () => versions.findPassThrough(sql, id, versionId));
    },

    restore: (id: string, versionId: string, { principal, grant }: Caller, message?: string) =>
      runEdit(sql, {}, async (tx) => {
        const current = assertEditable(await lockForEdit(tx, deps, id, grant));
        const version = await findVersion(tx, id, versionId);
        return persistEdit(tx, deps, {
          current,
          next: { ...stateOf(current), ...version.snapshot },
          principal,
          history: { message: message ?? `restored version ${version.counter} (${version.versionId})` },
        });
      }),
  };
}
