import type { FastifyBaseLogger } from 'fastify';
import type { SqlPool } from '../../db/client.ts';
import { ExecutionCancelledError, serializeError } from '../../engine/errors.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import { type EngineServices, type RunResult, runWorkflow } from '../../engine/run-workflow.ts';
import type { ExecutionData, ExecutionMode, Item, WorkflowDefinition } from '../../engine/types.ts';
import type { TracingService } from '../tracing/tracing.service.ts';
import type { FailedRun } from './error-workflows.ts';
import type { ExecutionRow } from './executions.repository.ts';
import { createRunning, deleteExecution, finishExecution, markOrphanedRunsCrashed, setRetrySuccess } from './executions.store.ts';
import type { InstanceLiveness } from './instance-liveness.ts';
import { storable } from './storable-result.ts';

export interface StartRun {
  workflow: WorkflowDefinition;
  mode: ExecutionMode;
  /** A fresh run from this trigger node with these items… */
  start?: { node: string; items: Item[] };
  /** …or a run continuing from saved state (retry). */
  resume?: ExecutionData;
  retryOf?: number;
  onResponse?(response: WebhookResponse): void;
  /** A sub-workflow's run: who called it, and how deep in calls it is. */
  parentExecution?: { executionId: string; workflowId: string; depth: number };
}

export interface FinishedRun {
  id: number;
  status: RunResult['status'];
  data: ExecutionData;
  /** False when the workflow's settings say not to keep this kind of execution (its row was deleted). */
  saved: boolean;
}

export interface RunHandle {
  id: number;
  done: Promise<FinishedRun>;
}

export interface ExecutionRunnerOptions {
  timeoutSeconds: number;
  maxTimeoutSeconds: number;
  saveManual: boolean;
}

/** The longest delay setTimeout honours (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits between attempts to record a result (about 16 s in all): a database restart or failover fits in it. */
const SAVE_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];

/** A row running on this instance but not in this process for this long was given up on (see reclaimOrphans). */
const ORPHAN_AFTER_MS = 60_000;

/**
 * Runs executions in this process and records them: the row is "running" (owned by this instance) while the
 * engine works, and gets its result and data in one write at the end. Keeps the AbortController of every
 * running execution, so a stop request (local or relayed by NOTIFY) cancels it at once.
 *
 * Every run ends in the database: a result whose data cannot be serialised is recorded as an error with its node
 * outputs dropped, a failing write is retried with backoff, and a row whose result still could not be written is
 * marked crashed by reclaimOrphans once the database answers again.
 */
export function createExecutionRunner(deps: {
  sql: SqlPool;
  engine: EngineServices;
  liveness: Pick<InstanceLiveness, 'instanceId'>;
  options: ExecutionRunnerOptions;
  log: FastifyBaseLogger;
  /** What `$vars` holds for a workflow of a project (read at each start, so a change reaches every instance at once). */
  variables: (projectId: string | undefined) => Promise<Record<string, string>>;
  /** Traces of finished runs (OpenTelemetry, when an operator turned it on). */
  tracing?: Pick<TracingService, 'recordExecution'>;
  /** Told of every run that failed (its workflow's error workflow runs). */
  onFailed?: (run: FailedRun) => void;
}) {
  const running = new Map<number, { controller: AbortController; handover: AbortController; done: Promise<FinishedRun> }>();

  function timeoutMs(workflow: WorkflowDefinition): number {
    const own = Number(workflow.settings.executionTimeout);
    const seconds = Number.isFinite(own) && own > 0 ? own : deps.options.timeoutSeconds;
    if (seconds <= 0) return 0;
    // setTimeout fires at once for delays past 2^31-1 ms, so a huge executionTimeout must not wrap into "now".
    return Math.min(Math.min(seconds, deps.options.maxTimeoutSeconds || seconds) * 1000, MAX_TIMER_MS);
  }

  function shouldKeep(workflow: WorkflowDefinition, mode: ExecutionMode, status: RunResult['status']): boolean {
    const settings = workflow.settings;
    if (status === 'waiting') return true;
    if (
      mode === 'manual' &&
      (typeof settings.saveManualExecutions === 'boolean' ? !settings.saveManualExecutions : !deps.options.saveManual)
    )
      return false;
    if (status === 'success') return settings.saveDataSuccessExecution !== 'none';
    if (status === 'error') return settings.saveDataErrorExecution !== 'none';
    return true;
  }

  async function execute(row: ExecutionRow, request: StartRun, controller: AbortController, handover: AbortSignal): Promise<FinishedRun> {
    const limit = timeoutMs(request.workflow);
    const timer = limit ? setTimeout(() => controller.abort(new ExecutionCancelledError('timeout')), limit) : undefined;
    let result: RunResult;
    const startedAt = Date.now();
    try {
      result = await runWorkflowSafely(request, row.id, controller.signal, handover);
    } finally {
      if (timer) clearTimeout(timer);
    }
    deps.tracing?.recordExecution({
      workflow: request.workflow,
      executionId: row.id,
      mode: request.mode,
      status: result.status,
      startedAt,
      finishedAt: Date.now(),
      data: result.data,
    });
    const keep = shouldKeep(request.workflow, request.mode, result.status);
    if (keep) {
      const stored = storable(result);
      result = stored.result;
      await withRetries(row.id, () =>
        finishExecution(deps.sql, row.id, {
          status: result.status,
          finished: result.status === 'success',
          waitTill: result.waitTill ?? null,
          data: stored.json,
        }),
      );
    } else {
      await withRetries(row.id, () => deleteExecution(deps.sql, row.id));
    }
    if (result.status === 'error') {
      deps.onFailed?.({
        workflow: request.workflow,
        executionId: row.id,
        mode: request.mode,
        ...(request.retryOf !== undefined ? { retryOf: request.retryOf } : {}),
        data: result.data,
      });
    }
    // Only a retry that is kept can be pointed at: a deleted id in retrySuccessId would lead nowhere.
    if (keep && request.retryOf !== undefined && result.status === 'success') await setRetrySuccess(deps.sql, request.retryOf, row.id);
    deps.log.info(
      { executionId: row.id, workflowId: request.workflow.id, status: result.status, mode: request.mode },
      'execution finished',
    );
    return { id: row.id, status: result.status, data: result.data, saved: keep };

    async function runWorkflowSafely(req: StartRun, id: number, signal: AbortSignal, handoverSignal: AbortSignal): Promise<RunResult> {
      try {
        const vars = usesVariables(req.workflow) ? await deps.variables(req.workflow.projectId) : undefined;
        return await runWorkflow(deps.engine, {
          workflow: req.workflow,
          ...(vars ? { vars } : {}),
          executionId: String(id),
          mode: req.mode,
          signal,
          handover: handoverSignal,
          ...(req.resume ? { resume: req.resume } : {}),
          ...(req.start ? { start: req.start } : {}),
          ...(req.onResponse ? { onResponse: req.onResponse } : {}),
          ...(req.parentExecution ? { parentExecution: req.parentExecution } : {}),
        });
      } catch (error) {
        // The engine itself failed (a bug, not a node error): record it rather than leave the row running.
        deps.log.error({ err: error, executionId: id }, 'execution engine failed');
        return {
          status: 'error',
          data: {
            version: 1,
            startData: {},
            resultData: { runData: req.resume?.resultData.runData ?? {}, error: serializeError(error, undefined) },
          },
        };
      }
    }
  }

  async function withRetries(id: number, write: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const delay = SAVE_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw error;
        deps.log.warn({ err: error, executionId: id, attempt: attempt + 1 }, 'could not record execution result; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  function track(row: ExecutionRow, request: StartRun): RunHandle {
    const controller = new AbortController();
    const handover = new AbortController();
    const done = execute(row, request, controller, handover.signal).finally(() => running.delete(row.id));
    running.set(row.id, { controller, handover, done });
    // A failure to save is logged here; callers awaiting `done` still see it.
    done.catch((error) => deps.log.error({ err: error, executionId: row.id }, 'could not record execution result'));
    return { id: row.id, done };
  }

  return {
    /** Creates the execution row ("running", this instance) and starts the run; resolves once the row exists. */
    async start(request: StartRun): Promise<RunHandle> {
      const row = await createRunning(deps.sql, {
        workflow: request.workflow,
        mode: request.mode,
        retryOf: request.retryOf ?? null,
        instanceId: deps.liveness.instanceId,
      });
      return track(row, request);
    },

    /** Continues an execution this instance already claimed (a due waiting execution, a schedule tick). */
    continueClaimed(row: ExecutionRow, request: StartRun): RunHandle {
      return track(row, request);
    },

    /** Cancels a run of this process; false when it does not run here. */
    cancel(id: number, reason: ExecutionCancelledError = new ExecutionCancelledError('manual')): boolean {
      const entry = running.get(id);
      if (!entry) return false;
      entry.controller.abort(reason);
      return true;
    },

    /** Marks this instance's rows that no run of this process owns any more (their result could not be saved) crashed. */
    reclaimOrphans: () => markOrphanedRunsCrashed(deps.sql, deps.liveness.instanceId, [...running.keys()], ORPHAN_AFTER_MS),

    isRunningHere: (id: number) => running.has(id),
    settled: (id: number) => running.get(id)?.done,

    /**
     * Parks runs sleeping through a Wait (another instance resumes them), lets the others finish for up to
     * `graceMs`, then cancels the rest (they end "canceled").
     */
    async shutdown(graceMs: number): Promise<void> {
      for (const entry of running.values()) entry.handover.abort();
      const pending = [...running.values()].map((r) => r.done.catch(() => undefined));
      if (pending.length === 0) return;
      const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all(pending), timer]);
      for (const id of running.keys()) this.cancel(id, new ExecutionCancelledError('shutdown'));
      await Promise.all([...running.values()].map((r) => r.done.catch(() => undefined)));
    },
  };
}

export type ExecutionRunner = ReturnType<typeof createExecutionRunner>;

/** Whether any node's parameters read `$vars`: only those runs read the variables. */
const usesVariables = (workflow: WorkflowDefinition) => workflow.nodes.some((node) => JSON.stringify(node.parameters).includes('$vars'));
