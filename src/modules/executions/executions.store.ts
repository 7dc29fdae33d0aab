import type { SqlClient } from '../../db/client.ts';
import type { WorkflowDefinition } from '../../engine/types.ts';
import { EXECUTION_COLUMNS, EXECUTION_WITH_DATA, type ExecutionRow, toExecutionRow } from './executions.repository.ts';

/**
 * The only writer of the execution tables: every execution row is created here, and every status change of one
 * (finish or pause, cancel, crash, claim) is one statement here. Plain SQL: every run writes twice (start,
 * finish), so these are single statements with no ORM in between. Each function takes the client first, so it
 * also runs inside a caller's transaction.
 */

type Row = Record<string, unknown>;

const EMPTY_RUN_DATA = JSON.stringify({ version: 1, startData: {}, resultData: { runData: {} } });

/**
 * Creates a running execution, owned by `instanceId`, and its data row in one statement. The workflow is stored
 * as it will run right away (as n8n does), so a running or crashed execution still shows what it ran; the run
 * data is filled in when it finishes.
 */
export async function createRunning(
  sql: SqlClient,
  run: { workflow: WorkflowDefinition; mode: string; retryOf: number | null; instanceId: number },
): Promise<ExecutionRow> {
  const { rows } = await sql.query(
    `WITH inserted AS (
       INSERT INTO execution (workflow_id, workflow_version_id, mode, status, retry_of, instance_id, started_at)
       VALUES ($1, $2, $3, 'running', $4, $5, now())
       RETURNING ${EXECUTION_COLUMNS.replaceAll('e.', '')}),
     data AS (INSERT INTO execution_data (execution_id, data, workflow_data) SELECT id, $6::json, $7::json FROM inserted)
     SELECT * FROM inserted`,
    [run.workflow.id, run.workflow.versionId ?? null, run.mode, run.retryOf, run.instanceId, EMPTY_RUN_DATA, JSON.stringify(run.workflow)],
  );
  return toExecutionRow(rows[0] as Row);
}

/** A queued run's input: a fresh start from a trigger node, or saved state to continue from (a retry). */
export type QueuedInput = { start: { node: string; items: unknown[] } } | { resume: unknown };

/**
 * Creates a queued execution (`new`, owned by no instance until a worker claims it) with everything the worker needs
 * to run it: the workflow as it will run, and its start items or the saved state it continues from. The job then
 * carries only the id.
 */
export async function createQueued(
  sql: SqlClient,
  run: { workflow: WorkflowDefinition; mode: string; retryOf: number | null; input: QueuedInput },
): Promise<ExecutionRow> {
  const start = 'start' in run.input ? JSON.stringify(run.input.start) : null;
  const data = 'resume' in run.input ? JSON.stringify(run.input.resume) : EMPTY_RUN_DATA;
  const { rows } = await sql.query(
    `WITH inserted AS (
       INSERT INTO execution (workflow_id, workflow_version_id, mode, status, retry_of)
       VALUES ($1, $2, $3, 'new', $4)
       RETURNING ${EXECUTION_COLUMNS.replaceAll('e.', '')}),
     data AS (INSERT INTO execution_data (execution_id, data, workflow_data, start_input) SELECT id, $5::json, $6::json, $7::json FROM inserted)
     SELECT * FROM inserted`,
    [run.workflow.id, run.workflow.versionId ?? null, run.mode, run.retryOf, data, JSON.stringify(run.workflow), start],
  );
  return toExecutionRow(rows[0] as Row);
}

/**
 * A worker takes a queued execution: it becomes running on `instanceId`, and its start input is consumed. Undefined
 * when it is no longer queued (stopped meanwhile, crashed, deleted, or already taken: a job redelivered after its
 * worker died is never run twice).
 */
export async function claimQueued(
  sql: SqlClient,
  id: number,
  instanceId: number,
): Promise<{ row: ExecutionRow; start: { node: string; items: unknown[] } | null } | undefined> {
  const { rows } = await sql.query(
    `WITH claimed AS (
       UPDATE execution e SET status = 'running', instance_id = $2, started_at = now()
       WHERE e.id = $1 AND e.status = 'new' RETURNING ${EXECUTION_COLUMNS})
     SELECT c.*, d.data, d.workflow_data, d.start_input FROM claimed c JOIN execution_data d ON d.execution_id = c.id`,
    [id, instanceId],
  );
  const row = rows[0] as Row | undefined;
  if (!row) return undefined;
  return { row: toExecutionRow(row), start: (row.start_input as { node: string; items: unknown[] } | null) ?? null };
}

/** Due waiting executions go back on the queue (`new`, no instance): returns their ids. SKIP LOCKED, as claimDueWaiting. */
export async function requeueDueWaiting(sql: SqlClient, limit: number): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    `UPDATE execution e SET status = 'new', instance_id = NULL, wait_till = NULL
     FROM (SELECT id FROM execution WHERE status = 'waiting' AND wait_till <= now() ORDER BY wait_till LIMIT $1 FOR UPDATE SKIP LOCKED) due
     WHERE e.id = due.id RETURNING e.id`,
    [limit],
  );
  return rows.map((r) => r.id);
}

/** Queued executions older than `olderThanMs`: each should have a job in the queue (see the queue's reconcile). */
export async function findQueuedOlderThan(sql: SqlClient, olderThanMs: number, limit: number): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    `SELECT id FROM execution WHERE status = 'new' AND instance_id IS NULL AND created_at < now() - make_interval(secs => $1 / 1000.0)
     ORDER BY id LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * A queued execution that could not be handed to the queue: crashed, with the reason in its data, so it is seen.
 * False when it was no longer queued (a worker took it after all): it runs, and must not be reported as failed.
 */
export async function failQueued(sql: SqlClient, id: number, message: string): Promise<boolean> {
  const data = JSON.stringify({ version: 1, startData: {}, resultData: { runData: {}, error: { message, name: 'QueueError' } } });
  const { rows } = await sql.query(
    `WITH updated AS (
       UPDATE execution SET status = 'crashed', stopped_at = now(), instance_id = NULL WHERE id = $1 AND status = 'new' RETURNING id),
     data AS (UPDATE execution_data SET data = $2::json, start_input = NULL WHERE execution_id = (SELECT id FROM updated))
     SELECT id FROM updated`,
    [id, data],
  );
  return rows.length > 0;
}

/** The status of each of these executions that still exists (a waiting main's check on runs it waits for). */
export async function statusesOf(sql: SqlClient, ids: number[]): Promise<Map<number, string>> {
  const { rows } = await sql.query<{ id: number; status: string }>('SELECT id, status FROM execution WHERE id = ANY($1::int[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.status]));
}

/**
 * Records how a run ended (or paused: status "waiting"), with its data, in one round trip. `data` is the
 * execution data as JSON text: the caller serialises it, so it can handle data that cannot be.
 */
export async function finishExecution(
  sql: SqlClient,
  id: number,
  values: { status: string; finished: boolean; waitTill: Date | null; data: string },
): Promise<void> {
  const { data } = values;
  const stoppedAt = values.status === 'waiting' ? null : new Date();
  // The data row exists since the start (createRunning), with the workflow as it runs: only the result is new.
  // A run another instance has declared crashed (its instance looked dead) stays crashed: clients may already have
  // acted on that verdict (a retry, say), so a late result must not turn it into a success.
  await sql.query(
    `WITH updated AS (
       UPDATE execution SET status = $2, finished = $3, wait_till = $4, stopped_at = $5, instance_id = NULL, json_size_bytes = $6
       WHERE id = $1 AND status <> 'crashed' RETURNING id)
     UPDATE execution_data SET data = $7::json, start_input = NULL WHERE execution_id = (SELECT id FROM updated)`,
    [id, values.status, values.finished, values.waitTill, stoppedAt, Buffer.byteLength(data), data],
  );
}

export async function deleteExecution(sql: SqlClient, id: number): Promise<void> {
  await sql.query('DELETE FROM execution WHERE id = $1', [id]);
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
 * Marks one running execution crashed (a claimed waiting execution whose saved state is missing, a claimed queued
 * one that could not run). A result recorded meanwhile is left alone.
 */
export async function markCrashed(sql: SqlClient, id: number): Promise<void> {
  await sql.query(`UPDATE execution SET status = 'crashed', stopped_at = now(), instance_id = NULL WHERE id = $1 AND status = 'running'`, [
    id,
  ]);
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

/**
 * Executions left running by dead instances (no unexpired lease, see instance-liveness.ts): crashed, and not run
 * again (they may have had side effects, as n8n reasons). A queued run (`new`, no instance yet) is the queue's, not
 * this: see findUnqueued. Returns how many.
 */
export async function markDeadInstancesRunsCrashed(sql: SqlClient): Promise<number> {
  const { rowCount } = await sql.query(
    `UPDATE execution e SET status = 'crashed', stopped_at = now(), instance_id = NULL
     WHERE (e.status = 'running' OR (e.status = 'new' AND e.instance_id IS NOT NULL))
       AND NOT EXISTS (SELECT 1 FROM instance_lease l WHERE l.id = e.instance_id AND l.expires_at > now())`,
  );
  return rowCount ?? 0;
}

/**
 * Takes up to `limit` waiting executions that are due, for this instance (they become running). SKIP LOCKED:
 * several instances poll, each execution is resumed by exactly one.
 */
export async function claimDueWaiting(sql: SqlClient, instanceId: number, limit: number): Promise<ExecutionRow[]> {
  const { rows } = await sql.query(
    `UPDATE execution e SET status = 'running', instance_id = $1, wait_till = NULL
     FROM (SELECT id FROM execution WHERE status = 'waiting' AND wait_till <= now() ORDER BY wait_till LIMIT $2 FOR UPDATE SKIP LOCKED) due
     LEFT JOIN execution_data d ON d.execution_id = due.id
     WHERE e.id = due.id
     RETURNING ${EXECUTION_WITH_DATA}`,
    [instanceId, limit],
  );
  return rows.map((r) => toExecutionRow(r as Row));
}

/** Deletes ended executions older than `maxAgeHours`, then all but the newest `maxCount` (0: no limit). */
export async function pruneExecutions(sql: SqlClient, limits: { maxAgeHours: number; maxCount: number }): Promise<number> {
  const byAge = await sql.query(
    `DELETE FROM execution WHERE status NOT IN ('running', 'new', 'waiting') AND stopped_at < now() - make_interval(hours => $1)`,
    [limits.maxAgeHours],
  );
  const byCount = limits.maxCount
    ? await sql.query(
        `DELETE FROM execution WHERE id IN (SELECT id FROM execution WHERE status NOT IN ('running', 'new', 'waiting') ORDER BY id DESC OFFSET $1)`,
        [limits.maxCount],
      )
    : { rowCount: 0 };
  return (byAge.rowCount ?? 0) + (byCount.rowCount ?? 0);
}

/** The store as other modules receive it (injected, e.g. into the trigger poller), not imported. */
/**
 * A waiting execution's node `node` (at the head of its saved stack) resumes with `items` as its output: the items
 * are written into the saved state and the wait is made due, so whichever instance (or worker) resumes due waits
 * continues it. False when the execution is not waiting there (already submitted, stopped, or waiting elsewhere).
 */
export async function resumeWaitingWith(sql: SqlClient, id: number, node: string, items: unknown[]): Promise<boolean> {
  const { rowCount } = await sql.query(
    `WITH target AS (
       SELECT e.id FROM execution e JOIN execution_data d ON d.execution_id = e.id
       WHERE e.id = $1 AND e.status = 'waiting' AND e.wait_till > now() AND (d.data::jsonb #>> '{executionData,nodeExecutionStack,0,node}') = $2
       FOR UPDATE OF e),
     resumed AS (UPDATE execution SET wait_till = now() WHERE id = (SELECT id FROM target) RETURNING id)
     UPDATE execution_data SET data = jsonb_set(data::jsonb, '{executionData,nodeExecutionStack,0,resumeItems}', $3::jsonb)::json
     WHERE execution_id = (SELECT id FROM resumed)`,
    [id, node, JSON.stringify(items)],
  );
  return (rowCount ?? 0) > 0;
}

export const executionsStore = {
  createRunning,
  createQueued,
  claimQueued,
  requeueDueWaiting,
  findQueuedOlderThan,
  failQueued,
  statusesOf,
  finishExecution,
  deleteExecution,
  setRetrySuccess,
  cancelWaiting,
  markCrashed,
  markOrphanedRunsCrashed,
  markDeadInstancesRunsCrashed,
  claimDueWaiting,
  pruneExecutions,
  resumeWaitingWith,
};
export type ExecutionsStore = typeof executionsStore;
