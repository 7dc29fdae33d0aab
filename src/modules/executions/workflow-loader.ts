import type { SqlClient } from '../../db/client.ts';
import type { WorkflowDefinition } from '../../engine/types.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { findVersionSnapshot, findWorkflowToRun, type VersionSnapshot } from './executions.repository.ts';

/**
 * Loads workflows as the engine runs them. Production runs (webhooks, schedules, resumed waits) use the
 * published version's snapshot, which never changes once written, so it is cached by versionId: a cache that
 * cannot go stale, on any number of instances.
 */
export function createWorkflowLoader(sql: SqlClient, cacheSize = 500) {
  const snapshots = new Map<string, VersionSnapshot>();

  async function snapshot(versionId: string) {
    const cached = snapshots.get(versionId);
    if (cached) return cached;
    const definition = await findVersionSnapshot(sql, versionId);
    if (!definition) return undefined;
    if (snapshots.size >= cacheSize) snapshots.delete(snapshots.keys().next().value as string);
    snapshots.set(versionId, definition);
    return definition;
  }

  return {
    /** The workflow as saved now (manual runs, retries with loadWorkflow). */
    async current(id: string): Promise<WorkflowDefinition> {
      const workflow = await findWorkflowToRun(sql, id);
      if (!workflow) throw new NotFoundError();
      return workflow;
    },

    /**
     * The published version `versionId` of active workflow `id`, as production runs execute it. Callers already
     * know the version (the webhook lookup reads it in the same query that finds the workflow).
     */
    async published(id: string, versionId: string, projectId: string): Promise<WorkflowDefinition | undefined> {
      const definition = await snapshot(versionId);
      return definition ? { ...definition, id, active: true, projectId } : undefined;
    },
  };
}

export type WorkflowLoader = ReturnType<typeof createWorkflowLoader>;
