import type { SqlClient } from '../../db/client.ts';
import { type RawJson, rawJsonOrNull } from '../../lib/raw-json.ts';
import { VERSION_SNAPSHOT } from './workflows.repository.ts';
import type { VersionSummary, WorkflowState, WorkflowVersionRecord } from './workflows.types.ts';

/** A workflow's history (`workflow_version`) and publish events (`workflow_publish_event`). */

interface VersionRow {
  version_id: string;
  workflow_id: string;
  counter: number;
  authors: string;
  author_key_id: string | null;
  message: string | null;
  name: string | null;
  description: string | null;
  operations: unknown;
  created_at: Date;
  updated_at: Date;
}

/** A saved version whose graph stays the database's JSON text. */
export interface VersionPassThroughRead {
  version: VersionSummary;
  rest: Omit<WorkflowState, 'nodes' | 'connections'>;
  graph: Record<'nodes' | 'connections', RawJson>;
}

const SUMMARY_COLUMNS =
  'version_id, workflow_id, counter, authors, author_key_id, message, name, description, operations, created_at, updated_at';

const toSummary = (row: VersionRow): VersionSummary => ({
  versionId: row.version_id,
  workflowId: row.workflow_id,
  counter: row.counter,
  authors: row.authors,
  authorKeyId: row.author_key_id,
  message: row.message,
  name: row.name,
  description: row.description,
  operations: row.operations,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const workflowVersionsRepository = {
  async find(db: SqlClient, workflowId: string, versionId: string): Promise<WorkflowVersionRecord | null> {
    const { rows } = await db.query<VersionRow & { snapshot: WorkflowState }>(
      `SELECT ${SUMMARY_COLUMNS}, ${VERSION_SNAPSHOT} AS snapshot FROM workflow_version v WHERE workflow_id = $1 AND version_id = $2`,
      [workflowId, versionId],
    );
    const row = rows[0];
    return row ? { ...toSummary(row), snapshot: row.snapshot } : null;
  },

  /**
   * One saved version with its graph as PostgreSQL's JSON text, for answers that only pass it on (toVersionJson);
   * the rest of its snapshot is small and read parsed.
   */
  async findPassThrough(db: SqlClient, workflowId: string, versionId: string): Promise<VersionPassThroughRead | null> {
    const { rows } = await db.query<
      VersionRow & { snapshot: VersionPassThroughRead['rest']; nodes_text: string; connections_text: string }
    >(
      `SELECT ${SUMMARY_COLUMNS}, snapshot, nodes::text AS nodes_text, connections::text AS connections_text
       FROM workflow_version WHERE workflow_id = $1 AND version_id = $2`,
      [workflowId, versionId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      version: toSummary(row),
      rest: row.snapshot,
      graph: { nodes: rawJsonOrNull(row.nodes_text), connections: rawJsonOrNull(row.connections_text) },
    };
  },

  /** Newest first; the snapshots stay in the database (a page of summaries). */
  async list(db: SqlClient, workflowId: string, range: { offset: number; take: number }): Promise<VersionSummary[]> {
    const { rows } = await db.query<VersionRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM workflow_version WHERE workflow_id = $1 ORDER BY counter DESC, created_at DESC OFFSET $2 LIMIT $3`,
      [workflowId, range.offset, range.take],
    );
    return rows.map(toSummary);
  },

  async insertPublishEvent(
    tx: SqlClient,
    e: { workflowId: string; versionId: string; event: 'activated' | 'deactivated'; userId: string },
  ) {
    await tx.query({
      name: 'flowgate_insert_publish_event',
      text: 'INSERT INTO workflow_publish_event (workflow_id, version_id, event, user_id, created_at) VALUES ($1, $2, $3, $4, clock_timestamp())',
      values: [e.workflowId, e.versionId, e.event, e.userId],
    });
  },
};
