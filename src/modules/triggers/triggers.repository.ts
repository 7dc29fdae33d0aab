import type { SqlClient } from '../../db/client.ts';
import type { ScheduleRule } from './schedule-rules.ts';

/**
 * The stored triggers of active workflows, on plain SQL: their production webhooks (`webhook`) and schedule rules
 * (`schedule_trigger`, with the next due time of each). Each function takes the client first, so it runs inside
 * the caller's transaction (activation, a schedule claim).
 */

type Row = Record<string, unknown>;

/** Removes every stored webhook and schedule rule of a workflow. */
export async function deleteTriggers(tx: SqlClient, workflowId: string): Promise<void> {
  await tx.query('DELETE FROM webhook WHERE workflow_id = $1', [workflowId]);
  await tx.query('DELETE FROM schedule_trigger WHERE workflow_id = $1', [workflowId]);
}

/** A workflow's stored webhooks and schedule rules, in the shapes they were registered with. */
export async function storedTriggers(tx: SqlClient, workflowId: string) {
  const webhooks = await tx.query('SELECT method, path, node, webhook_id, path_length FROM webhook WHERE workflow_id = $1', [workflowId]);
  const schedules = await tx.query('SELECT node, rule_index, rule, timezone FROM schedule_trigger WHERE workflow_id = $1', [workflowId]);
  return {
    webhooks: webhooks.rows.map((row: Row) => ({
      method: row.method as string,
      path: row.path as string,
      node: row.node as string,
      webhookId: (row.webhook_id as string | null) ?? null,
      pathLength: (row.path_length as number | null) ?? null,
    })),
    schedules: schedules.rows.map((row: Row) => ({
      node: row.node as string,
      ruleIndex: row.rule_index as number,
      rule: row.rule as ScheduleRule,
      timezone: row.timezone as string,
    })),
  };
}

/** Registers a production webhook; false when another workflow already has its method + path. */
export async function insertWebhook(
  tx: SqlClient,
  workflowId: string,
  hook: { method: string; path: string; node: string; webhookId: string | null; pathLength: number | null },
): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO webhook (method, path, workflow_id, node, webhook_id, path_length) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (method, path) DO NOTHING RETURNING workflow_id`,
    [hook.method, hook.path, workflowId, hook.node, hook.webhookId, hook.pathLength],
  );
  return rows.length > 0;
}

export interface ScheduleKey {
  workflowId: string;
  node: string;
  ruleIndex: number;
}

export async function insertScheduleTrigger(
  tx: SqlClient,
  schedule: ScheduleKey & { rule: ScheduleRule; timezone: string; nextRunAt: Date },
): Promise<void> {
  await tx.query(
    'INSERT INTO schedule_trigger (workflow_id, node, rule_index, rule, timezone, next_run_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [schedule.workflowId, schedule.node, schedule.ruleIndex, JSON.stringify(schedule.rule), schedule.timezone, schedule.nextRunAt],
  );
}

/** A schedule rule that is due, with what its workflow needs to run the published version. */
export interface DueSchedule extends ScheduleKey {
  rule: ScheduleRule;
  timezone: string;
  nextRunAt: Date;
  activeVersionId: string | null;
  projectId: string;
}

/**
 * Locks up to `limit` rules due at `now`, oldest first, until the caller's transaction ends. SKIP LOCKED: with
 * several instances polling, each tick is taken by exactly one.
 */
export async function claimDueSchedules(tx: SqlClient, now: Date, limit: number): Promise<DueSchedule[]> {
  const { rows } = await tx.query(
    `SELECT s.workflow_id, s.node, s.rule_index, s.rule, s.timezone, s.next_run_at, wf.active_version_id, wf.project_id
     FROM schedule_trigger s JOIN workflow wf ON wf.id = s.workflow_id
     WHERE s.next_run_at <= $1 ORDER BY s.next_run_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED`,
    [now, limit],
  );
  return rows.map((row) => toDueSchedule(row as Row));
}

function toDueSchedule(row: Row): DueSchedule {
  return {
    workflowId: row.workflow_id as string,
    node: row.node as string,
    ruleIndex: row.rule_index as number,
    rule: row.rule as ScheduleRule,
    timezone: row.timezone as string,
    nextRunAt: row.next_run_at as Date,
    activeVersionId: (row.active_version_id as string | null) ?? null,
    projectId: row.project_id as string,
  };
}

export async function setNextRunAt(tx: SqlClient, key: ScheduleKey, nextRunAt: Date): Promise<void> {
  await tx.query('UPDATE schedule_trigger SET next_run_at = $4 WHERE workflow_id = $1 AND node = $2 AND rule_index = $3', [
    key.workflowId,
    key.node,
    key.ruleIndex,
    nextRunAt,
  ]);
}

/** A polling trigger's state from its last poll (empty before the first). */
export async function pollStateOf(sql: SqlClient, workflowId: string, node: string): Promise<Record<string, unknown>> {
  const { rows } = await sql.query('SELECT state FROM trigger_poll_state WHERE workflow_id = $1 AND node = $2', [workflowId, node]);
  return (rows[0]?.state as Record<string, unknown> | undefined) ?? {};
}

export async function savePollState(sql: SqlClient, workflowId: string, node: string, state: Record<string, unknown>): Promise<void> {
  await sql.query(
    `INSERT INTO trigger_poll_state (workflow_id, node, state, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (workflow_id, node) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [workflowId, node, JSON.stringify(state)],
  );
}
