import type { SqlClient } from '../../db/client.ts';
import type { ExecutionData, WorkflowDefinition } from '../../engine/types.ts';

/**
 * Executions on plain SQL: every run writes here twice (start, finish), so these are single statements with
 * no ORM in between. The run data lives in `execution_data`, which lists never touch unless asked.
 */

export interface ExecutionRow {
  id: number;
  workflowId: string;
  workflowVersionId: string | null;
  finished: boolean;
  mode: string;
  status: string;
  retryOf: number | null;
  retrySuccessId: number | null;
  createdAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
  waitTill: Date | null;
  instanceId: number | null;
  jsonSizeBytes: number;
  data?: ExecutionData | null;
  workflowData?: WorkflowDefinition | null;
}

const COLUMNS = `e.id, e.workflow_id, e.workflow_version_id, e.finished, e.mode, e.status, e.retry_of, e.retry_success_id,
  e.created_at, e.started_at, e.stopped_at, e.wait_till, e.instance_id, e.json_size_bytes`;
const WITH_DATA = `${COLUMNS}, d.data, d.workflow_data`;

type Row = Record<string, unknown>;

export function toExecutionRow(row: Row): ExecutionRow {
  const result: ExecutionRow = {
    id: row.id as number,
    workflowId: row.workflow_id as string,
    workflowVersionId: row.workflow_version_id as string | null,
    finished: row.finished as boolean,
    mode: row.mode as string,
    status: row.status as string,
    retryOf: row.retry_of as number | null,
    retrySuccessId: row.retry_success_id as number | null,
    createdAt: row.created_at as Date,
    startedAt: row.started_at as Date | null,
    stoppedAt: row.stopped_at as Date | null,
    waitTill: row.wait_till as Date | null,
    instanceId: row.instance_id as number | null,
    jsonSizeBytes: row.json_size_bytes as number,
  };
  if ('data' in row) {
    result.data = (row.data as ExecutionData | null) ?? null;
    result.workflowData = (row.workflow_data as WorkflowDefinition | null) ?? null;
  }
  return result;
}

/**
 * Creates the execution and its data row in one statement. The workflow is stored as it will run right away (as
 * n8n does), so a running or crashed execution still shows what it ran; the run data is filled in at the end.
 */
export async function insertExecution(
  sql: SqlClient,
  values: {
    workflowId: string;
    workflowVersionId: string | null;
    mode: string;
    status: string;
    retryOf: number | null;
    instanceId: number | null;
    workflowData: WorkflowDefinition;
  },
): Promise<ExecutionRow> {
  const { rows } = await sql.query(
    `WITH inserted AS (
       INSERT INTO execution (workflow_id, workflow_version_id, mode, status, retry_of, instance_id, started_at)
       VALUES ($1, $2, $3, $4::varchar, $5, $6, CASE WHEN $4::varchar = 'running' THEN now() END)
       RETURNING ${COLUMNS.replaceAll('e.', '')}),
     data AS (INSERT INTO execution_data (execution_id, data, workflow_data) SELECT id, $7::json, $8::json FROM inserted)
     SELECT * FROM inserted`,
    [
      values.workflowId,
      values.workflowVersionId,
      values.mode,
      values.status,
      values.retryOf,
      values.instanceId,
      EMPTY_RUN_DATA,
      JSON.stringify(values.workflowData),
    ],
  );
  return toExecutionRow(rows[0] as Row);
}

const EMPTY_RUN_DATA = JSON.stringify({ version: 1, startData: {}, resultData: { runData: {} } });

/** Records how a run ended (or paused), with its data, in one round trip. */
/** `data` is the execution data as JSON text: the caller serialises it, so it can handle data that cannot be. */
export async function saveExecutionResult(
  sql: SqlClient,
  id: number,
  values: { status: string; finished: boolean; waitTill: Date | null; data: string },
): Promise<void> {
  const { data } = values;
  const stoppedAt = values.status === 'waiting' ? null : new Date();
  // The data row exists since the start (insertExecution), with the workflow as it runs: only the result is new.
  await sql.query(
    `WITH updated AS (
       UPDATE execution SET status = $2, finished = $3, wait_till = $4, stopped_at = $5, instance_id = NULL, json_size_bytes = $6
       WHERE id = $1 RETURNING id)
     UPDATE execution_data SET data = $7::json WHERE execution_id = (SELECT id FROM updated)`,
    [id, values.status, values.finished, values.waitTill, stoppedAt, Buffer.byteLength(data), data],
  );
}

export async function deleteExecutionRow(sql: SqlClient, id: number): Promise<void> {
  await sql.query('DELETE FROM execution WHERE id = $1', [id]);
}

/**
 * Executions this instance marked running that it does not run any more (their result could not be saved, even
 * after retries): crashed, as n8n marks runs whose process went away. Only rows older than `olderThanMs`, so a
 * row inserted a moment before its run is tracked is never taken.
 */
export async function markOrphanedRunsCrashed(
  sql: SqlClient,
  instanceId: number,
  runningIds: number[],
  olderThanMs: number,
): Promise<number> {
  const { rowCount } = await sql.query(
    `UPDATE execution SET status = 'crashed', stopped_at = now(), instance_id = NULL
     WHERE instance_id = $1 AND status IN ('running', 'new') AND started_at < now() - make_interval(secs => $3 / 1000.0)
       AND NOT (id = ANY($2::int[]))`,
    [instanceId, runningIds, olderThanMs],
  );
  return rowCount ?? 0;
}

export async function findExecution(sql: SqlClient, id: number, includeData: boolean): Promise<ExecutionRow | undefined> {
  const { rows } = includeData
    ? await sql.query(`SELECT ${WITH_DATA} FROM execution e LEFT JOIN execution_data d ON d.execution_id = e.id WHERE e.id = $1`, [id])
    : await sql.query(`SELECT ${COLUMNS} FROM execution e WHERE e.id = $1`, [id]);
  return rows[0] ? toExecutionRow(rows[0] as Row) : undefined;
}

export interface ExecutionFilters {
  statuses?: string[];
  workflowId?: string;
  projectId?: string;
  /** Only ids below this one (keyset paging, newest first). */
  beforeId?: number;
  /** Started at or after / at or before (n8n's startedAfter, startedBefore). */
  startedFrom?: Date;
  startedUntil?: Date;
}

function where(filters: ExecutionFilters, params: unknown[]): string {
  const clauses: string[] = [];
  if (filters.statuses) {
    params.push(filters.statuses);
    clauses.push(`e.status = ANY($${params.length})`);
  }
  if (filters.workflowId) {
    params.push(filters.workflowId);
    clauses.push(`e.workflow_id = $${params.length}`);
  }
  if (filters.projectId) {
    params.push(filters.projectId);
    clauses.push(`e.workflow_id IN (SELECT id FROM workflow WHERE project_id = $${params.length})`);
  }
  if (filters.startedFrom) {
    params.push(filters.startedFrom);
    clauses.push(`e.started_at >= $${params.length}`);
  }
  if (filters.startedUntil) {
    params.push(filters.startedUntil);
    clauses.push(`e.started_at <= $${params.length}`);
  }
  if (filters.beforeId !== undefined) {
    params.push(filters.beforeId);
    clauses.push(`e.id < $${params.length}`);
  }
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}

/** A page, newest first, and whether older matching executions exist (n8n's rule for emitting a cursor). */
export async function listExecutions(
  sql: SqlClient,
  filters: ExecutionFilters,
  limit: number,
  includeData: boolean,
): Promise<{ rows: ExecutionRow[]; hasMore: boolean }> {
  const params: unknown[] = [];
  const clause = where(filters, params);
  params.push(limit + 1);
  const query = includeData
    ? `SELECT ${WITH_DATA} FROM execution e LEFT JOIN execution_data d ON d.execution_id = e.id ${clause} ORDER BY e.id DESC LIMIT $${params.length}`
    : `SELECT ${COLUMNS} FROM execution e ${clause} ORDER BY e.id DESC LIMIT $${params.length}`;
  const { rows } = await sql.query(query, params);
  const hasMore = rows.length > limit;
  return { rows: rows.slice(0, limit).map((r) => toExecutionRow(r as Row)), hasMore };
}

export async function setRetrySuccess(sql: SqlClient, originalId: number, retryId: number): Promise<void> {
  await sql.query('UPDATE execution SET retry_success_id = $2 WHERE id = $1', [originalId, retryId]);
}

/** Cancels a waiting execution in place (it has no process to tell). Returns whether it was still waiting. */
export async function cancelWaiting(sql: SqlClient, id: number): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE execution SET status = 'canceled', stopped_at = now(), wait_till = NULL WHERE id = $1 AND status IN ('waiting', 'new')`,
    [id],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Takes up to `limit` waiting executions that are due, for this instance. SKIP LOCKED: several instances poll,
 * each execution is resumed by exactly one.
 */
export async function claimDueWaiting(sql: SqlClient, instanceId: number, limit: number): Promise<ExecutionRow[]> {
  const { rows } = await sql.query(
    `UPDATE execution e SET status = 'running', instance_id = $1, wait_till = NULL
     FROM (SELECT id FROM execution WHERE status = 'waiting' AND wait_till <= now() ORDER BY wait_till LIMIT $2 FOR UPDATE SKIP LOCKED) due
     LEFT JOIN execution_data d ON d.execution_id = due.id
     WHERE e.id = due.id
     RETURNING ${WITH_DATA}`,
    [instanceId, limit],
  );
  return rows.map((r) => toExecutionRow(r as Row));
}

export async function getExecutionTags(
  sql: SqlClient,
  id: number,
): Promise<{ id: string; name: string; createdAt: Date; updatedAt: Date }[]> {
  const { rows } = await sql.query(
    `SELECT t.id, t.name, t.created_at AS "createdAt", t.updated_at AS "updatedAt"
     FROM execution_tag et JOIN annotation_tag t ON t.id = et.tag_id WHERE et.execution_id = $1 ORDER BY t.name`,
    [id],
  );
  return rows as { id: string; name: string; createdAt: Date; updatedAt: Date }[];
}

export async function replaceExecutionTags(sql: SqlClient, id: number, tagIds: string[]): Promise<void> {
  await sql.query('DELETE FROM execution_tag WHERE execution_id = $1', [id]);
  if (tagIds.length) {
    await sql.query('INSERT INTO execution_tag (execution_id, tag_id) SELECT $1, unnest($2::varchar[])', [id, tagIds]);
  }
}

export interface AnnotationTagRow {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const TAG_COLUMNS = 'id, name, created_at AS "createdAt", updated_at AS "updatedAt"';

/** Annotation tags (n8n's execution tags, apart from workflow tags), oldest first. */
export async function listAnnotationTags(sql: SqlClient, range: { offset: number; take: number }): Promise<AnnotationTagRow[]> {
  const { rows } = await sql.query(`SELECT ${TAG_COLUMNS} FROM annotation_tag ORDER BY created_at, id OFFSET $1 LIMIT $2`, [
    range.offset,
    range.take,
  ]);
  return rows as AnnotationTagRow[];
}

/** Inserts a tag; undefined when the name is taken. */
export async function insertAnnotationTag(sql: SqlClient, id: string, name: string): Promise<AnnotationTagRow | undefined> {
  const { rows } = await sql.query(
    `INSERT INTO annotation_tag (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING ${TAG_COLUMNS}`,
    [id, name],
  );
  return rows[0] as AnnotationTagRow | undefined;
}

export async function countAnnotationTags(sql: SqlClient, ids: string[]): Promise<number> {
  const { rows } = await sql.query('SELECT count(*)::int AS n FROM annotation_tag WHERE id = ANY($1)', [ids]);
  return (rows[0] as { n: number }).n;
}
