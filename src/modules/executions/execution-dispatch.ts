import type { FastifyBaseLogger } from 'fastify';
import type { SqlClient } from '../../db/client.ts';
import type { ExecutionRunner, RunHandle, StartRun } from './execution-runner.ts';
import type { ExecutionsStore } from './executions.store.ts';

/**
 * Where executions run: in this process (EXECUTIONS_MODE=regular) or on a worker through the queue (queue mode,
 * src/modules/queue). Webhooks, manual runs, retries, schedules and Wait resumes all start runs through this, so
 * every execution path behaves the same in both modes.
 */
export interface ExecutionDispatcher {
  readonly mode: 'regular' | 'queue';
  /** Creates the execution row and has it run; resolves once the row exists (and, in queue mode, its job). */
  start(request: StartRun): Promise<RunHandle>;
  /**
   * Creates the execution row inside the caller's transaction (a schedule tick claimed in the same one); the returned
   * function sets it going once the transaction has committed.
   */
  createIn(tx: SqlClient, request: StartRun): Promise<() => void>;
  /** Takes up to `limit` due waiting executions and sets them going. */
  resumeDueWaits(limit: number): Promise<void>;
  /** A queued execution was stopped: its job leaves the queue (best effort; a worker's claim refuses it anyway). */
  discard(id: number): Promise<void>;
  /** Periodic repair (queue mode: queued rows whose job Redis lost are queued again). Never rejects; one pass at a time. */
  reconcile(): Promise<void>;
  /** Lets go of callers still waiting (shutdown). */
  close(): void;
}

/** EXECUTIONS_MODE=regular: every run in this process. */
export function createLocalDispatcher(deps: {
  sql: SqlClient;
  runner: ExecutionRunner;
  instanceId: number;
  store: Pick<ExecutionsStore, 'createRunning' | 'claimDueWaiting' | 'markCrashed'>;
  log: FastifyBaseLogger;
}): ExecutionDispatcher {
  const { sql, runner, store, log } = deps;
  return {
    mode: 'regular',
    start: (request) => runner.start(request),
    async createIn(tx, request) {
      // Written in the caller's transaction: a crash after commit leaves a "crashed" execution, never a second run.
      const row = await store.createRunning(tx, {
        workflow: request.workflow,
        mode: request.mode,
        retryOf: request.retryOf ?? null,
        instanceId: deps.instanceId,
      });
      return () => void runner.continueClaimed(row, request).done.catch(() => undefined);
    },
    async resumeDueWaits(limit) {
      for (const row of await store.claimDueWaiting(sql, deps.instanceId, limit)) {
        if (!row.data || !row.workflowData) {
          log.error({ executionId: row.id }, 'waiting execution has no saved state; marking it crashed');
          await store.markCrashed(sql, row.id);
          continue;
        }
        runner
          .continueClaimed(row, { workflow: row.workflowData, mode: row.mode as StartRun['mode'], resume: row.data })
          .done.catch(() => undefined);
      }
    },
    discard: async () => {},
    reconcile: async () => {},
    close: () => {},
  };
}
