import type { SqlClient } from '../../db/client.ts';

/** Production webhook registrations on plain SQL: every webhook call looks itself up here first. */

export interface WebhookMatch {
  workflowId: string;
  node: string;
  activeVersionId: string;
  projectId: string;
  params: Record<string, string>;
}

const SELECT = `SELECT h.workflow_id, h.node, h.path, wf.active_version_id, wf.project_id
  FROM webhook h JOIN workflow wf ON wf.id = h.workflow_id AND wf.active_version_id IS NOT NULL`;

function toMatch(row: Record<string, unknown>, params: Record<string, string>): WebhookMatch {
  return {
    workflowId: row.workflow_id as string,
    node: row.node as string,
    activeVersionId: row.active_version_id as string,
    projectId: row.project_id as string,
    params,
  };
}

/**
 * Finds the active workflow registered for `method` + `path`: first a static path (one indexed lookup), then
 * paths with parameters, stored as `<webhookId>/<path>` and matched segment by segment.
 */
export async function findWebhook(sql: SqlClient, method: string, path: string): Promise<WebhookMatch | undefined> {
  const exact = await sql.query(`${SELECT} WHERE h.method = $1 AND h.path = $2`, [method, path]);
  if (exact.rows[0]) return toMatch(exact.rows[0], {});
  const segments = path.split('/');
  if (segments.length < 2) return undefined;
  const dynamic = await sql.query(`${SELECT} WHERE h.webhook_id = $1 AND h.method = $2 AND h.path_length = $3`, [
    segments[0],
    method,
    segments.length - 1,
  ]);
  for (const row of dynamic.rows) {
    const params = matchSegments(String(row.path).split('/').slice(1), segments.slice(1));
    if (params) return toMatch(row, params);
  }
  return undefined;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const value = actual[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}

/** The methods some workflow answers on this path (for n8n's "did you mean" message). */
export async function methodsForPath(sql: SqlClient, path: string): Promise<string[]> {
  // A form's registration (method FORM) is not a webhook a caller could mean.
  const { rows } = await sql.query(`SELECT method FROM webhook WHERE path = $1 AND method <> 'FORM' ORDER BY method`, [path]);
  return rows.map((r) => r.method as string);
}
