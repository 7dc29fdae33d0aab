import type { FastifyBaseLogger } from 'fastify';
import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import type { WorkflowDefinition } from '../../engine/types.ts';
import type { ExecutionRunner, StartRun } from '../executions/execution-runner.ts';
import { claimDueWaiting, type ExecutionRow, insertExecution } from '../executions/executions.repository.ts';
import type { InstanceLiveness } from '../executions/instance-liveness.ts';
import type { WorkflowLoader } from '../executions/workflow-loader.ts';
import { nextRunAt, type ScheduleRule, scheduleTickItem } from './schedule-rules.ts';

/** A tick this late (the server was down) is skipped, not fired: n8n does not catch up on missed schedules. */
const MISFIRE_GRACE_MS = 60_000;
const BATCH = 20;
const RECOVERY_EVERY_MS = 30_000;

export interface PollerOptions {
  intervalMs: number;
  prune: { enabled: boolean; maxAgeHours: number; maxCount: number; intervalMs: number };
}

/**
 * The background work every instance shares through PostgreSQL: due schedule ticks, due waiting executions,
 * crash recovery, pruning. Claims use FOR UPDATE SKIP LOCKED, so with several instances each tick and each
 * resumed execution is taken by exactly one of them.
 */
export function createTriggerPoller(deps: {
  sql: SqlPool;
  runner: ExecutionRunner;
  loader: WorkflowLoader;
  liveness: InstanceLiveness;
  log: FastifyBaseLogger;
  options: PollerOptions;
}) {
  const { sql, runner, loader, liveness, log, options } = deps;
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> | undefined;
  let lastRecovery = 0;
  let lastPrune = Date.now();
  let lastFailureLog = 0;

  async function fireDueSchedules(): Promise<void> {
    const now = new Date();
    const claimed = await inTransaction(sql, async (tx) => {
      const { rows } = await tx.query(
        `SELECT s.workflow_id, s.node, s.rule_index, s.rule, s.timezone, s.next_run_at, wf.active_version_id, wf.project_id
         FROM schedule_trigger s JOIN workflow wf ON wf.id = s.workflow_id
         WHERE s.next_run_at <= $1 ORDER BY s.next_run_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED`,
        [now, BATCH],
      );
      const fired: { execution: ExecutionRow; workflow: WorkflowDefinition; node: string; at: Date; timezone: string }[] = [];
      for (const row of rows) {
        const due = row.next_run_at as Date;
        const timezone = row.timezone as string;
        await tx.query('UPDATE schedule_trigger SET next_run_at = $4 WHERE workflow_id = $1 AND node = $2 AND rule_index = $3', [
          row.workflow_id,
          row.node,
          row.rule_index,
          nextRunAt(row.rule as ScheduleRule, now, timezone),
        ]);
        if (now.getTime() - due.getTime() > MISFIRE_GRACE_MS || !row.active_version_id) continue;
        const workflow = await loader.published(row.workflow_id as string, row.active_version_id as string, row.project_id as string);
        if (!workflow) continue;
        // The execution row is written in the same transaction as the move of next_run_at: a crash after
        // commit leaves a "crashed" execution, never a second run of the same tick.
        const execution = await insertRunning(tx, workflow, 'trigger');
        fired.push({ execution, workflow, node: row.node as string, at: due, timezone });
      }
      return fired;
    });
    for (const tick of claimed) {
      start(tick.execution, {
        workflow: tick.workflow,
        mode: 'trigger',
        start: { node: tick.node, items: [{ json: scheduleTickItem(tick.at, tick.timezone) }] },
      });
    }
  }

  async function insertRunning(tx: SqlClient, workflow: WorkflowDefinition, mode: string): Promise<ExecutionRow> {
    return insertExecution(tx, {
      workflowId: workflow.id,
      workflowVersionId: workflow.versionId ?? null,
      mode,
      status: 'running',
      retryOf: null,
      instanceId: liveness.instanceId,
      workflowData: workflow,
    });
  }

  async function resumeDueWaits(): Promise<void> {
    for (const row of await claimDueWaiting(sql, liveness.instanceId, BATCH)) {
      if (!row.data || !row.workflowData) {
        log.error({ executionId: row.id }, 'waiting execution has no saved state; marking it crashed');
        await sql.query(`UPDATE execution SET status = 'crashed', stopped_at = now(), instance_id = NULL WHERE id = $1`, [row.id]);
        continue;
      }
      start(row, { workflow: row.workflowData, mode: row.mode as StartRun['mode'], resume: row.data });
    }
  }

  function start(row: ExecutionRow, request: StartRun) {
    runner.continueClaimed(row, request).done.catch(() => undefined);
  }

  async function prune(): Promise<void> {
    const { maxAgeHours, maxCount } = options.prune;
    const byAge = await sql.query(
      `DELETE FROM execution WHERE status NOT IN ('running', 'new', 'waiting') AND stopped_at < now() - make_interval(hours => $1)`,
      [maxAgeHours],
    );
    const byCount = maxCount
      ? await sql.query(
          `DELETE FROM execution WHERE id IN (SELECT id FROM execution WHERE status NOT IN ('running', 'new', 'waiting') ORDER BY id DESC OFFSET $1)`,
          [maxCount],
        )
      : { rowCount: 0 };
    const removed = (byAge.rowCount ?? 0) + (byCount.rowCount ?? 0);
    if (removed) log.info({ removed }, 'pruned old executions');
  }

  async function tick(): Promise<void> {
    const now = Date.now();
    if (now - lastRecovery >= RECOVERY_EVERY_MS) {
      lastRecovery = now;
      const crashed = await liveness.recoverCrashed(sql);
      if (crashed) log.warn({ crashed }, 'executions left running by a stopped server were marked crashed');
      const orphaned = await runner.reclaimOrphans();
      if (orphaned) log.warn({ orphaned }, 'executions whose result this server could not record were marked crashed');
    }
    await fireDueSchedules();
    await resumeDueWaits();
    if (options.prune.enabled && now - lastPrune >= options.prune.intervalMs) {
      lastPrune = now;
      await prune();
    }
  }

  return {
    start() {
      timer = setInterval(() => {
        if (busy) return;
        busy = tick()
          .catch((error) => {
            // Typically the database is away: say so every 30 s, not on every poll.
            if (Date.now() - lastFailureLog < RECOVERY_EVERY_MS) return;
            lastFailureLog = Date.now();
            log.error({ err: error }, 'trigger poller failed; it keeps retrying');
          })
          .finally(() => {
            busy = undefined;
          });
      }, options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await busy;
    },
    /** One pass now (tests and start-up). */
    tick,
    prune,
  };
}

export type TriggerPoller = ReturnType<typeof createTriggerPoller>;
