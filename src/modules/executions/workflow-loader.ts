import type { SqlClient } from '../../db/client.ts';
import type { WorkflowDefinition } from '../../engine/types.ts';
import { NotFoundError } from '../../lib/errors.ts';

type Row = Record<string, unknown>;

/**
 * Loads workflows as the engine runs them. Production runs (webhooks, schedules, resumed waits) use the
 * published version's snapshot, which never changes once written, so it is cached by versionId: a cache that
 * cannot go stale, on any number of instances.
 */
export function createWorkflowLoader(sql: SqlClient, cacheSize = 500) {
  const snapshots = new Map<string, Omit<WorkflowDefinition, 'id' | 'active' | 'projectId'>>();

  async function snapshot(versionId: string) {
    const cached = snapshots.get(versionId);
    if (cached) return cached;
    const { rows } = await sql.query('SELECT snapshot FROM workflow_version WHERE version_id = $1', [versionId]);
    const stored = rows[0]?.snapshot as Row | undefined;
    if (!stored) return undefined;
    const definition = {
      name: stored.name as string,
      nodes: (stored.nodes ?? []) as WorkflowDefinition['nodes'],
      connections: (stored.connections ?? {}) as WorkflowDefinition['connections'],
      settings: (stored.settings ?? {}) as WorkflowDefinition['settings'],
      staticData: stored.staticData ?? null,
      pinData: stored.pinData ?? null,
      versionId,
    };
    if (snapshots.size >= cacheSize) snapshots.delete(snapshots.keys().next().value as string);
    snapshots.set(versionId, definition);
    return definition;
  }

  return {
    /** The workflow as saved now (manual runs, retries with loadWorkflow). */
    async current(id: string): Promise<WorkflowDefinition> {
      const { rows } = await sql.query(
        'SELECT id, name, active, nodes, connections, settings, static_data, pin_data, version_id, project_id FROM workflow WHERE id = $1',
        [id],
      );
      const row = rows[0] as Row | undefined;
      if (!row) throw new NotFoundError();
      return {
        id,
        name: row.name as string,
        active: row.active as boolean,
        nodes: row.nodes as WorkflowDefinition['nodes'],
        connections: row.connections as WorkflowDefinition['connections'],
        settings: (row.settings ?? {}) as WorkflowDefinition['settings'],
        staticData: row.static_data ?? null,
        pinData: row.pin_data ?? null,
        versionId: row.version_id as string,
        projectId: row.project_id as string,
      };
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
