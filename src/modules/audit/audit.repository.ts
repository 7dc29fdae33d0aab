import type { SqlClient } from '../../db/client.ts';

/** A node of a stored workflow, as the audit reads it. */
export interface AuditedNode {
  workflowId: string;
  workflowName: string;
  workflowActive: boolean;
  nodeId: string;
  nodeName: string;
  nodeType: string;
  parameters: Record<string, unknown>;
  credentialIds: string[];
}

/**
 * Reads for the security audit: every node of every non-archived workflow (one row per node, taken apart in
 * PostgreSQL), the credentials, and which workflows ran lately.
 */
export const auditRepository = {
  async nodes(db: SqlClient): Promise<AuditedNode[]> {
    const { rows } = await db.query<{
      workflow_id: string;
      workflow_name: string;
      active: boolean;
      node: {
        id?: string;
        name?: string;
        type?: string;
        parameters?: Record<string, unknown>;
        credentials?: Record<string, { id?: string }>;
      };
    }>(
      `SELECT w.id AS workflow_id, w.name AS workflow_name, w.active, n.node
       FROM workflow w CROSS JOIN LATERAL jsonb_array_elements(w.nodes) AS n(node)
       WHERE NOT w.is_archived ORDER BY w.id`,
    );
    return rows.map((row) => ({
      workflowId: row.workflow_id,
      workflowName: row.workflow_name,
      workflowActive: row.active,
      nodeId: String(row.node.id ?? ''),
      nodeName: String(row.node.name ?? ''),
      nodeType: String(row.node.type ?? ''),
      parameters: row.node.parameters ?? {},
      credentialIds: Object.values(row.node.credentials ?? {}).flatMap((ref) => (typeof ref?.id === 'string' ? [ref.id] : [])),
    }));
  },

  async credentials(db: SqlClient): Promise<{ id: string; name: string }[]> {
    const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM credential ORDER BY created_at, id');
    return rows;
  },

  /** The workflows with an execution that started since `since`. */
  async workflowsRunSince(db: SqlClient, since: Date): Promise<Set<string>> {
    const { rows } = await db.query<{ workflow_id: string }>('SELECT DISTINCT workflow_id FROM execution WHERE started_at >= $1', [since]);
    return new Set(rows.map((row) => row.workflow_id));
  },
};
