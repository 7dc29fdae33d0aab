import { inTransaction, type SqlPool } from '../../db/client.ts';
import { countTriggers } from '../../engine/triggers.ts';
import { ConflictError } from '../../lib/errors.ts';
import type { Caller } from '../roles/grant.ts';
import { type EditDependencies, lockForEdit, persistEdit, runEdit } from './workflow-edit.ts';
import { assertEditable, noTriggerError, stateOf } from './workflow-state.ts';
import { workflowVersionsRepository as versions } from './workflow-versions.repository.ts';
import { workflowsRepository as repo } from './workflows.repository.ts';

export type WorkflowPublishingService = ReturnType<typeof createWorkflowPublishingService>;

/**
 * A workflow's publish state: activate and deactivate (the current version starts or stops taking triggers), and
 * archive / unarchive (archiving also deactivates, and is a history entry of its own).
 */
export function createWorkflowPublishingService(deps: EditDependencies & { sql: SqlPool }) {
  const { sql } = deps;

  const setArchived = (id: string, { principal, grant }: Caller, archived: boolean) =>
    runEdit(sql, {}, async (tx) => {
      const current = await lockForEdit(tx, deps, id, grant);
      if (current.isArchived === archived) {
        throw new ConflictError(`Workflow "${current.name}" is ${archived ? 'already' : 'not'} archived`);
      }
      return persistEdit(tx, deps, {
        current,
        next: stateOf(current),
        principal,
        history: { message: archived ? 'archived' : 'unarchived' },
        isArchived: archived,
        ...(archived ? { active: false } : {}),
      });
    });

  return {
    /** `expectedVersionId`: n8n 2.x's optional body; only the current version can be activated (checked under the lock). */
    activate: (id: string, { principal, grant }: Caller, expectedVersionId?: string) =>
      inTransaction(sql, async (tx) => {
        const current = await lockForEdit(tx, deps, id, grant);
        if (expectedVersionId && expectedVersionId !== current.versionId) {
          throw new ConflictError(
            `versionId ${expectedVersionId} is not the current version (${current.versionId}); restore it first to activate it`,
          );
        }
        assertEditable(current);
        if (current.active) return;
        const triggerCount = countTriggers(current.nodes);
        if (triggerCount === 0) throw noTriggerError(current);
        await versions.insertPublishEvent(tx, {
          workflowId: id,
          versionId: current.versionId,
          event: 'activated',
          userId: principal.apiKeyId,
        });
        await deps.triggers.sync(tx, id, current.nodes, deps.timezoneOf(current.settings));
        await repo.setPublishState(tx, id, { active: true, activeVersionId: current.versionId, triggerCount });
      }),

    deactivate: (id: string, { principal, grant }: Caller) =>
      inTransaction(sql, async (tx) => {
        const current = await lockForEdit(tx, deps, id, grant);
        if (!current.active || !current.activeVersionId) return;
        await versions.insertPublishEvent(tx, {
          workflowId: id,
          versionId: current.activeVersionId,
          event: 'deactivated',
          userId: principal.apiKeyId,
        });
        await deps.triggers.sync(tx, id, null, 'UTC');
        await repo.setPublishState(tx, id, { active: false, activeVersionId: null });
      }),

    archive: (id: string, caller: Caller) => setArchived(id, caller, true),
    unarchive: (id: string, caller: Caller) => setArchived(id, caller, false),
  };
}
