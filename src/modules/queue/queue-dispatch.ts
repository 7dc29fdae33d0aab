import type { FastifyBaseLogger } from 'fastify';
import type { SqlClient } from '../../db/client.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import type { ExecutionData } from '../../engine/types.ts';
import { AppError } from '../../lib/errors.ts';
import type { ExecutionDispatcher } from '../executions/execution-dispatch.ts';
import type { FinishedRun, RunHandle, StartRun } from '../executions/execution-runner.ts';
import { findExecution } from '../executions/executions.repository.ts';
import type { ExecutionsStore, QueuedInput } from '../executions/executions.store.ts';
import { type ExecutionQueue, executionIdOf } from './execution-queue.ts';

/** What a worker's job returns (BullMQ keeps it as JSON until the main that waits has read it). */
export interface WorkerResult {
  status: FinishedRun['status'];
  saved: boolean;
  /** Only what the waiting main needs that it cannot read back: see resultForMain. */
  data?: ExecutionData;
  /** The job's execution was no longer queued when a worker took it (stopped, crashed, or a redelivery). */
  skipped?: boolean;
}

/** Queued executions this old with no job in Redis lost it (a Redis restart without persistence): queued again. */
const REQUEUE_AFTER_MS = 60_000;
/** A waiting main also checks the database this often, in case the completion event never comes (Redis restarted). */
const FALLBACK_CHECK_MS = 2000;
/** How long a waiting main waits for the completion event of a run whose row is gone (not saved) before it fails. */
const MISSING_ROW_GRACE_MS = 10_000;

interface Waiter {
  since: number;
  promise?: Promise<FinishedRun>;
  resolve?: (run: FinishedRun) => void;
  reject?: (error: Error) => void;
  onResponse?: (response: WebhookResponse) => void;
}

/**
 * EXECUTIONS_MODE=queue on a main or webhook processor: every run is written as a queued row (with its input) and
 * its id put on the queue; a worker runs it. Callers that wait (lastNode and responseNode webhooks, run with wait,
 * retries) hear the outcome from the queue's events, and check the database as a fallback.
 */
export function createQueueDispatcher(deps: {
  sql: SqlClient;
  queue: ExecutionQueue;
  store: Pick<ExecutionsStore, 'createQueued' | 'failQueued' | 'statusesOf' | 'requeueDueWaiting' | 'findQueuedOlderThan'>;
  log: FastifyBaseLogger;
}): ExecutionDispatcher {
  const { sql, queue, store, log } = deps;
  const waiters = new Map<number, Waiter>();

  // A handler that throws would end BullMQ's event loop for good (it emits unguarded): each one is guarded.
  const guarded =
    <T>(what: string, handler: (event: T) => void) =>
    (event: T) => {
      try {
        handler(event);
      } catch (error) {
        log.error({ err: error }, `could not handle a queue ${what} event`);
      }
    };
  queue.events.on(
    'completed',
    guarded('completed', ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      const id = executionIdOf(jobId);
      if (!waiters.has(id)) return;
      const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as WorkerResult | null;
      if (!result || result.skipped) return void checkDatabase([id]);
      settle(id, { id, status: result.status, saved: result.saved, data: result.data ?? emptyData() });
    }),
  );
  queue.events.on(
    'failed',
    guarded('failed', ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      const id = executionIdOf(jobId);
      if (!waiters.has(id)) return;
      // Not run (it was still queued: the claim failed, or the job stalled twice): crashed, so that it does not run
      // later after its caller was told it failed. Run (the worker failed after its claim): the worker records it.
      // Either way the outcome is read back from the database.
      void store
        .failQueued(sql, id, `The worker could not run it: ${failedReason}`)
        .catch((error) => log.warn({ err: error, executionId: id }, 'could not record a failed job'))
        .finally(() => checkDatabase([id]));
    }),
  );
  queue.events.on(
    'progress',
    guarded('progress', ({ jobId, data }: { jobId: string; data: unknown }) => {
      const response = (data as { response?: WebhookResponse } | undefined)?.response;
      if (response) waiters.get(executionIdOf(jobId))?.onResponse?.(response);
    }),
  );

  let checking: Promise<void> | undefined;
  const fallback = setInterval(() => {
    if (checking) return;
    const due = [...waiters].filter(([, w]) => w.resolve && Date.now() - w.since >= FALLBACK_CHECK_MS).map(([id]) => id);
    if (due.length) checking = checkDatabase(due).finally(() => (checking = undefined));
  }, FALLBACK_CHECK_MS);
  fallback.unref();

  /** Settles the waiters of runs that have ended, from the database: one status query, then the data of those. */
  async function checkDatabase(ids: number[]): Promise<void> {
    try {
      const statuses = await store.statusesOf(sql, ids);
      for (const id of ids) {
        const status = statuses.get(id);
        if (status === 'new' || status === 'running') continue;
        if (status === undefined) {
          // An unsaved run is deleted just before its completion event is sent: give the event time to arrive.
          const waiter = waiters.get(id);
          if (waiter && Date.now() - waiter.since >= MISSING_ROW_GRACE_MS) fail(id, new Error(`execution ${id} no longer exists`));
          continue;
        }
        const row = await findExecution(sql, id, true);
        if (row) settle(id, { id, status: row.status as FinishedRun['status'], saved: true, data: row.data ?? emptyData() });
      }
    } catch (error) {
      log.warn({ err: error, executionIds: ids }, 'could not check queued executions; trying again');
    }
  }

  function settle(id: number, run: FinishedRun) {
    const waiter = waiters.get(id);
    waiters.delete(id);
    waiter?.resolve?.(run);
  }

  function fail(id: number, error: Error) {
    const waiter = waiters.get(id);
    waiters.delete(id);
    waiter?.reject?.(error);
  }

  /** The handle's `done` is made on first use: runs nobody waits for (onReceived webhooks) keep no waiter. */
  function handle(id: number, onResponse: StartRun['onResponse']): RunHandle {
    if (onResponse) waiters.set(id, { since: Date.now(), onResponse });
    return {
      id,
      get done() {
        const waiter = waiters.get(id) ?? { since: Date.now() };
        waiters.set(id, waiter);
        waiter.promise ??= new Promise<FinishedRun>((resolve, reject) => {
          waiter.resolve = resolve;
          waiter.reject = reject;
        });
        return waiter.promise;
      },
    };
  }

  let reconciling: Promise<void> | undefined;
  async function requeueLost(): Promise<void> {
    let requeued = 0;
    for (const id of await store.findQueuedOlderThan(sql, REQUEUE_AFTER_MS, 100)) {
      if (await queue.pending(id)) continue;
      await queue.enqueueAgain(id);
      requeued++;
    }
    if (requeued) log.warn({ requeued }, 'queued executions whose job Redis no longer had were queued again');
  }

  const inputOf = (request: StartRun): QueuedInput => (request.start ? { start: request.start } : { resume: request.resume });

  const create = (client: SqlClient, request: StartRun) =>
    store.createQueued(client, {
      workflow: request.workflow,
      mode: request.mode,
      retryOf: request.retryOf ?? null,
      input: inputOf(request),
    });

  /** Background paths (schedules, resumed waits): a failed enqueue leaves the row queued for reconcile to retry. */
  function enqueueLater(id: number, again = false) {
    (again ? queue.enqueueAgain(id) : queue.enqueue(id)).catch((error) =>
      log.warn({ err: error, executionId: id }, 'could not queue the execution now; it is queued again within a minute'),
    );
  }

  return {
    mode: 'queue',
    async start(request) {
      const row = await create(sql, request);
      const run = handle(row.id, request.onResponse);
      try {
        await queue.enqueue(row.id);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const failed = await store.failQueued(sql, row.id, `Could not be queued: ${reason}`).catch((err) => {
          log.error({ err, executionId: row.id }, 'could not record the failed enqueue');
          return undefined;
        });
        // Redis took the job after all, just too late, and a worker has it: the caller gets its outcome.
        if (failed === false) return run;
        waiters.delete(row.id);
        // A client told 503 may try again: this run is crashed, so it never runs beside the new one. When even
        // that could not be recorded, the run is still queued in PostgreSQL and reconcile queues it again.
        throw new AppError(
          503,
          'QUEUE_UNAVAILABLE',
          failed
            ? `Execution ${row.id} could not be queued (${reason}). It is recorded as crashed; try again once Redis answers.`
            : `Execution ${row.id} could not be queued (${reason}), nor recorded as failed: it runs once Redis and the database answer again.`,
        );
      }
      return run;
    },
    async createIn(tx, request) {
      const row = await create(tx, request);
      return () => enqueueLater(row.id);
    },
    async resumeDueWaits(limit) {
      for (const id of await store.requeueDueWaiting(sql, limit)) enqueueLater(id, true);
    },
    discard: (id) => queue.remove(id),
    reconcile() {
      // One pass at a time: with Redis away each call waits its bound, and passes must not pile up.
      reconciling ??= requeueLost()
        .catch((error) => log.warn({ err: error }, 'could not compare the queued executions with the queue; trying again later'))
        .finally(() => (reconciling = undefined));
      return reconciling;
    },
    close() {
      clearInterval(fallback);
      for (const id of [...waiters.keys()]) fail(id, new Error('the server is shutting down'));
    },
  };
}

const emptyData = (): ExecutionData => ({ version: 1, startData: {}, resultData: { runData: {} } });
