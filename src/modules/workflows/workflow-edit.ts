import { randomUUID } from 'node:crypto';
import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { countTriggers } from '../../engine/triggers.ts';
import { ConflictError } from '../../lib/errors.ts';
import type { Principal } from '../api-keys/api-keys.service.ts';
import type { Grant } from '../roles/grant.ts';
import type { WorkflowDocumentCache } from './workflow-documents.cache.ts';
import { admitToWorkflow, normaliseNodes, noTriggerError, notFound } from './workflow-state.ts';
import { workflowVersionsRepository as versions } from './workflow-versions.repository.ts';
import { workflowsRepository as workflowsRepo } from './workflows.repository.ts';
import type { WorkflowNode } from './workflows.schemas.ts';
import type { JsonColumns, WorkflowState, WorkflowWithRelations } from './workflows.types.ts';

/**
 * The two steps every change of a stored definition shares, whichever use case makes it (PUT, PATCH, a diff
 * batch, archive, restore): lock-and-check, then persist-edit. Each runs inside the caller's transaction; the use
 * case owns the transaction (see runEdit).
 */

/** What persisting an edit needs from other modules, injected by the services plugin. */
export interface EditDependencies {
  triggers: {
    sync(tx: SqlClient, workflowId: string, nodes: WorkflowNode[] | null, timezone: string): Promise<void>;
    /** As sync, but leaves the stored triggers alone when they already match (see syncTriggersIfChanged). */
    syncIfChanged(tx: SqlClient, workflowId: string, nodes: WorkflowNode[], timezone: string): Promise<void>;
  };
  credentials: {
    assertReferences(tx: SqlClient, nodes: readonly WorkflowNode[], projectId: string, indexes?: readonly number[]): Promise<void>;
  };
  /** The timezone a workflow's schedules run in: its setting, else the server's. */
  timezoneOf(settings: unknown): string;
  /** Workflow documents as JSON text, by version: an edit reads the current ones from it and leaves the new ones. */
  documents: WorkflowDocumentCache;
}

export interface Edit {
  current: WorkflowWithRelations;
  next: WorkflowState;
  principal: Principal;
  /** The history entry's message and (for a diff batch) operations; null writes no entry (createBackup: false). */
  history: { message?: string; operations?: unknown[] } | null;
  /** The publish state after the edit; undefined keeps the current one. */
  active?: boolean;
  isArchived?: boolean;
  /**
   * n8n's `publishIfActive` (default true): false saves the change as a draft of an active workflow, whose
   * published version (activeVersionId) and registered triggers stay as they are.
   */
  publish?: boolean;
  /**
   * What a diff batch knows it changed: the indexes of the nodes it wrote (only their credential references are
   * checked again) and whether it replaced the tags (otherwise the locked row's tags are the saved ones).
   */
  touched?: { nodes: readonly number[]; tags: boolean };
  /** The transaction will be rolled back (validateOnly): nothing is left in the document cache. */
  dryRun?: boolean;
}

/** Locks the workflow row for the transaction (once the grant is admitted to it), for a change that leaves its documents alone (its tags, its project). */
export async function lockRow(tx: SqlClient, id: string, grant: Grant): Promise<Omit<WorkflowWithRelations, JsonColumns>> {
  const locked = (await workflowsRepo.lockForUpdate(tx, id))?.workflow ?? notFound();
  admitToWorkflow(grant, locked.projectId);
  return locked;
}

/**
 * Locks the workflow row for the transaction, checks the version the caller last saw (409 on a mismatch), and
 * reads its documents: from this process's cache when this process wrote the row as it is now (same version,
 * updatedAt and xmin, so no other writer, even one outside this server, touched it since), which spares reading
 * and parsing a large workflow's JSON from the row.
 */
export async function lockForEdit(
  tx: SqlClient,
  deps: Pick<EditDependencies, 'documents'>,
  id: string,
  grant: Grant,
  expectedVersionId?: string,
): Promise<WorkflowWithRelations> {
  const { workflow: locked, rowVersion } = (await workflowsRepo.lockForUpdate(tx, id)) ?? notFound();
  // Before the version check, so a caller who may not see the workflow learns nothing of it.
  admitToWorkflow(grant, locked.projectId);
  if (expectedVersionId && expectedVersionId !== locked.versionId) {
    throw new ConflictError(
      `Workflow was changed by someone else: expected versionId ${expectedVersionId}, current is ${locked.versionId}. Reload it and apply your change again.`,
      { currentVersionId: locked.versionId },
    );
  }
  const documents =
    deps.documents.values(deps.documents.keyOf(locked), rowVersion) ?? (await workflowsRepo.documentsOf(tx, id)) ?? notFound();
  return { ...locked, ...documents };
}

/**
 * Validates the new state and writes it: the row, its history entry, the publish event and the triggers, in the
 * caller's transaction. Returns the workflow as saved.
 */
export async function persistEdit(tx: SqlClient, deps: EditDependencies, edit: Edit): Promise<WorkflowWithRelations> {
  const { current, principal } = edit;
  const next = { ...edit.next, nodes: normaliseNodes(edit.next) };
  await deps.credentials.assertReferences(tx, next.nodes, current.projectId, edit.touched?.nodes);
  const willBeActive = edit.active ?? current.active;
  // A draft leaves the published version running: no new publish event, no trigger change.
  const draft = edit.publish === false && willBeActive && current.active && edit.active === undefined;
  // n8n 2.x publishes every other change to an active workflow, so the new version must still be able to start.
  if (willBeActive && !draft && countTriggers(next.nodes) === 0) throw noTriggerError(current);
  const versionId = randomUUID();
  const versionCounter = current.versionCounter + 1;
  const event = draft ? undefined : willBeActive ? 'activated' : current.active ? 'deactivated' : undefined;
  if (event) {
    const eventVersion = event === 'activated' ? versionId : (current.activeVersionId ?? current.versionId);
    await versions.insertPublishEvent(tx, { workflowId: current.id, versionId: eventVersion, event, userId: principal.apiKeyId });
  }
  const written = {
    ...next,
    versionId,
    versionCounter,
    active: willBeActive,
    activeVersionId: draft ? current.activeVersionId : willBeActive ? versionId : null,
    triggerCount: willBeActive && !draft ? countTriggers(next.nodes) : current.triggerCount,
    isArchived: edit.isArchived ?? current.isArchived,
  };
  // Publishing registers the triggers (webhooks, schedules) in the same transaction, leaving them alone when the
  // stored ones already match; a draft leaves them on the published version's nodes.
  if (willBeActive && !draft) {
    await deps.triggers.syncIfChanged(tx, current.id, next.nodes, deps.timezoneOf(next.settings));
  } else if (current.active && !willBeActive) await deps.triggers.sync(tx, current.id, null, 'UTC');
  const history = edit.history && {
    authors: principal.label,
    authorKeyId: principal.apiKeyId,
    message: edit.history.message ?? null,
    operations: edit.history.operations,
  };
  const texts = deps.documents.serialize(written);
  const { updatedAt, rowVersion } = await workflowsRepo.update(tx, current.id, written, texts, history);
  // Keyed by the new version: if the transaction rolls back, nobody asks for that key. A dry run leaves nothing.
  if (!edit.dryRun) deps.documents.setWritten(deps.documents.keyOf({ id: current.id, versionId, updatedAt }), texts, written, rowVersion);
  const tags = edit.touched && !edit.touched.tags ? current.tags : await workflowsRepo.tagsOf(tx, current.id);
  return { ...current, ...written, updatedAt, tags };
}

class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * Runs a use case's write in one transaction. A dry run goes through every check and write, then rolls back:
 * the caller sees exactly what would be saved, and nothing is.
 */
export function runEdit<T>(sql: SqlPool, options: { dryRun?: boolean }, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return inTransaction(sql, async (tx) => {
    const result = await fn(tx);
    if (options.dryRun) throw new DryRunRollback(result);
    return result;
  }).catch((err: unknown) => {
    if (err instanceof DryRunRollback) return err.result as T;
    throw err;
  });
}
