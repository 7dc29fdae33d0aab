import type { SqlClient } from '../../db/client.ts';
import type { ExecutionData, WorkflowDefinition } from '../../engine/types.ts';
import { VERSION_SNAPSHOT } from '../workflows/workflows.repository.ts';

/**
 * What the executions module reads, on plain SQL: executions (the run data lives in `execution_data`, which lists
 * never touch unless asked), their tags, the workflows it runs, and the liveness connection's statements. Every
 * write to the execution tables is in executions.store.ts.
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
  /** The project of the execution's workflow (what may see it), on reads; absent on rows a write returned. */
  projectId?: string;
}

export const EXECUTION_COLUMNS = `e.id, e.workflow_id, e.workflow_version_id, e.finished, e.mode, e.status, e.retry_of, e.retry_success_id,
  e.created_at, e.started_at, e.stopped_at, e.wait_till, e.instance_id, e.json_size_bytes`;
export const EXECUTION_WITH_DATA = `${EXECUTION_COLUMNS}, d.data, d.workflow_data`;
/** Reads also carry the workflow's project: an execution is seen through its workflow's project. */
const PROJECT_OF_EXECUTION = '(SELECT w.project_id FROM workflow w WHERE w.id = e.workflow_id) AS project_id';
const READ_COLUMNS = `${EXECUTION_COLUMNS}, ${PROJECT_OF_EXECUTION}`;
const READ_WITH_DATA = `${EXECUTION_WITH_DATA}, ${PROJECT_OF_EXECUTION}`;

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
  if (typeof row.project_id === 'string') result.projectId = row.project_id;
  if ('data' in row) {
    result.data = (row.data as ExecutionData | null) ?? null;
    result.workflowData = (row.workflow_data as WorkflowDefinition | null) ?? null;
  }
  return result;
}

export async function findExecution(sql: SqlClient, id: number, includeData: boolean): Promise<ExecutionRow | undefined> {
  const { rows } = includeData
    ? await sql.query(`SELECT ${READ_WITH_DATA} FROM execution e LEFT JOIN execution_data d ON d.execution_id = e.id WHERE e.id = $1`, [id])
    : await sql.query(`SELECT ${READ_COLUMNS} FROM execution e WHERE e.id = $1`, [id]);
  return rows[0] ? toExecutionRow(rows[0] as Row) : undefined;
}

/**
 * The parts of an execution's data answered as PostgreSQL's text (both columns are `json`, stored verbatim, so
 * json_each and -> hand back slices of the stored text without re-serializing them). Only the small parts that
 * the answer reshapes are parsed: executionData, and the nodes its stack names when it has one.
 */
export interface ExecutionPassThroughRead {
  row: ExecutionRow;
  /** Whether there is run data (an object); without it the answer carries an empty run, as the validated path does. */
  hasData: boolean;
  /** Data or workflow that is JSON but not an object (no save writes that): the parsed path answers it. */
  oddShape: boolean;
  /** The data without executionData, as a JSON object's text (null: it has no other key). */
  dataRest: string | null;
  executionData: ExecutionData['executionData'] | null;
  /** workflowData as the answer carries it (see toWorkflowData), as text; null when there is none. */
  workflowText: string | null;
  /** The workflow's nodes, parsed, when the execution stack has entries to show with their node. */
  stackNodes: WorkflowDefinition['nodes'] | null;
  /** What the Execution Data node saved (kept in the data, answered beside it). */
  customData: Record<string, string> | null;
}

const WORKFLOW_DATA_FIELDS = `(SELECT json_object_agg(f.key, f.value ORDER BY f.ord) FROM (VALUES
    (1, 'id', d.workflow_data->'id'), (2, 'name', d.workflow_data->'name'), (3, 'active', d.workflow_data->'active'),
    (4, 'nodes', d.workflow_data->'nodes'), (5, 'connections', d.workflow_data->'connections'),
    (6, 'settings', d.workflow_data->'settings'), (7, 'nodeGroups', '[]'::json),
    (8, 'staticData', COALESCE(d.workflow_data->'staticData', 'null'::json)),
    (9, 'pinData', COALESCE(d.workflow_data->'pinData', 'null'::json))) AS f(ord, key, value) WHERE f.value IS NOT NULL)`;

const EXECUTION_PASS_THROUGH = `SELECT ${READ_COLUMNS}, json_typeof(d.data) = 'object' AS has_data,
    COALESCE(json_typeof(d.data) NOT IN ('object', 'null'), false)
      OR COALESCE(json_typeof(d.workflow_data) NOT IN ('object', 'null'), false) AS odd_shape,
    CASE WHEN json_typeof(d.data) = 'object' THEN
      (SELECT json_object_agg(j.key, j.value) FROM json_each(d.data) j WHERE j.key NOT IN ('executionData', 'customData'))::text END AS data_rest,
    d.data->'executionData' AS execution_data,
    d.data->'customData' AS custom_data,
    CASE WHEN json_typeof(d.workflow_data) = 'object' THEN ${WORKFLOW_DATA_FIELDS}::text END AS workflow_text,
    CASE WHEN json_typeof(d.data->'executionData'->'nodeExecutionStack') = 'array'
      AND json_array_length(d.data->'executionData'->'nodeExecutionStack') > 0 THEN d.workflow_data->'nodes' END AS stack_nodes
  FROM execution e LEFT JOIN execution_data d ON d.execution_id = e.id WHERE e.id = $1`;

export async function findExecutionPassThrough(sql: SqlClient, id: number): Promise<ExecutionPassThroughRead | undefined> {
  const { rows } = await sql.query({ name: 'flowgate_execution_pass_through', text: EXECUTION_PASS_THROUGH, values: [id] });
  const row = rows[0] as Row | undefined;
  if (!row) return undefined;
  return {
    row: toExecutionRow(row),
    hasData: row.has_data === true,
    oddShape: row.odd_shape === true,
    dataRest: row.data_rest as string | null,
    executionData: (row.execution_data as ExecutionData['executionData'] | null) ?? null,
    workflowText: row.workflow_text as string | null,
    stackNodes: (row.stack_nodes as WorkflowDefinition['nodes'] | null) ?? null,
    customData: (row.custom_data as Record<string, string> | null) ?? null,
  };
}

export interface ExecutionFilters {
  statuses?: string[];
  workflowId?: string;
  projectId?: string;
  /** The projects whose workflows' executions the caller may list (undefined: all). */
  projectIds?: string[];
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
  if (filters.projectIds) {
    params.push(filters.projectIds);
    clauses.push(`e.workflow_id IN (SELECT id FROM workflow WHERE project_id = ANY($${params.length}))`);
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
    ? `SELECT ${READ_WITH_DATA} FROM execution e LEFT JOIN execution_data d ON d.execution_id = e.id ${clause} ORDER BY e.id DESC LIMIT $${params.length}`
    : `SELECT ${READ_COLUMNS} FROM execution e ${clause} ORDER BY e.id DESC LIMIT $${params.length}`;
  const { rows } = await sql.query(query, params);
  const hasMore = rows.length > limit;
  return { rows: rows.slice(0, limit).map((r) => toExecutionRow(r as Row)), hasMore };
}

/** Ids of the executions a bulk stop applies to, oldest first (started strictly after/before the bounds). */
export async function findExecutionIdsToStop(
  sql: SqlClient,
  filters: {
    statuses: string[];
    workflowId: string | null;
    startedAfter: string | null;
    startedBefore: string | null;
    /** Only executions of these projects' workflows (null: any). */
    projectIds: string[] | null;
  },
): Promise<number[]> {
  const { rows } = await sql.query(
    `SELECT id FROM execution WHERE status = ANY($1) AND ($2::varchar IS NULL OR workflow_id = $2)
     AND ($3::timestamptz IS NULL OR started_at > $3) AND ($4::timestamptz IS NULL OR started_at < $4)
     AND ($5::varchar[] IS NULL OR workflow_id IN (SELECT id FROM workflow WHERE project_id = ANY($5))) ORDER BY id`,
    [filters.statuses, filters.workflowId, filters.startedAfter, filters.startedBefore, filters.projectIds],
  );
  return (rows as { id: number }[]).map((row) => row.id);
}

/** The workflow as saved now, as the engine runs it (workflow-loader.ts). */
export async function findWorkflowToRun(sql: SqlClient, id: string): Promise<WorkflowDefinition | undefined> {
  const { rows } = await sql.query(
    'SELECT id, name, active, nodes, connections, settings, static_data, pin_data, version_id, project_id FROM workflow WHERE id = $1',
    [id],
  );
  const row = rows[0] as Row | undefined;
  return row ? toWorkflowToRun(id, row) : undefined;
}

function toWorkflowToRun(id: string, row: Row): WorkflowDefinition {
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
}

/** A published version's workflow, as the engine runs it, without what the workflow row adds (id, active, project). */
export type VersionSnapshot = Omit<WorkflowDefinition, 'id' | 'active' | 'projectId'>;

export async function findVersionSnapshot(sql: SqlClient, versionId: string): Promise<VersionSnapshot | undefined> {
  const { rows } = await sql.query(`SELECT ${VERSION_SNAPSHOT} AS snapshot FROM workflow_version v WHERE version_id = $1`, [versionId]);
  const stored = rows[0]?.snapshot as Row | undefined;
  return stored ? toVersionSnapshot(versionId, stored) : undefined;
}

function toVersionSnapshot(versionId: string, stored: Row): VersionSnapshot {
  return {
    name: stored.name as string,
    nodes: (stored.nodes ?? []) as WorkflowDefinition['nodes'],
    connections: (stored.connections ?? {}) as WorkflowDefinition['connections'],
    settings: (stored.settings ?? {}) as WorkflowDefinition['settings'],
    staticData: stored.staticData ?? null,
    pinData: stored.pinData ?? null,
    versionId,
  };
}

/* Stop requests by NOTIFY, heard by every instance's listener connection (instance-liveness.ts). */

/** `channel` is a constant identifier (LISTEN takes no parameter). */
export async function listenOn(client: SqlClient, channel: string): Promise<void> {
  await client.query(`LISTEN ${channel}`);
}

export async function notifyCancel(sql: SqlClient, channel: string, executionId: number): Promise<void> {
  await sql.query('SELECT pg_notify($1, $2)', [channel, String(executionId)]);
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

/** How many executions there are in each status (for the metrics endpoint). */
export async function countExecutionsByStatus(sql: SqlClient): Promise<{ status: string; count: number }[]> {
  const { rows } = await sql.query({
    name: 'flowgate_count_executions_by_status',
    text: 'SELECT status, count(*)::int AS count FROM execution GROUP BY status',
  });
  return rows as { status: string; count: number }[];
}
