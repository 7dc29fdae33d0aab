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
  store: Pick<ExecutionsStore, 'createQueued' | 'failQueued' | 'requeueDueWaiting' | 'findQueuedOlderThan'>;
  log: FastifyBaseLogger;
}): ExecutionDispatcher {
  const { sql, queue, store, log } = deps;
  const waiters = new Map<number, Waiter>();

  queue.events.on('completed', ({ jobId, returnvalue }) => {
    const id = executionIdOf(jobId);
    const waiter = waiters.get(id);
    if (!waiter) return;
    const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as WorkerResult;
    if (result.skipped) return void checkDatabase([id]);
    settle(id, { id, status: result.status, saved: result.saved, data: result.data ?? emptyData() });
  });
  queue.events.on('failed', ({ jobId, failedReason }) => {
    const id = executionIdOf(jobId);
    if (waiters.has(id)) fail(id, new Error(`the worker failed to run execution ${id}: ${failedReason}`));
  });
  queue.events.on('progress', ({ jobId, data }) => {
    const response = (data as { response?: WebhookResponse } | undefined)?.response;
    if (response) waiters.get(executionIdOf(jobId))?.onResponse?.(response);
  });

  const fallback = setInterval(() => {
    const due = [...waiters].filter(([, w]) => w.resolve && Date.now() - w.since >= FALLBACK_CHECK_MS).map(([id]) => id);
    if (due.length) void checkDatabase(due);
  }, FALLBACK_CHECK_MS);
  fallback.unref();

  async function checkDatabase(ids: number[]): Promise<void> {
    for (const id of ids) {
      try {
        const row = await findExecution(sql, id, true);
        if (!row) fail(id, new Error(`execution ${id} no longer exists`));
        else if (row.status !== 'new' && row.status !== 'running') {
          settle(id, { id, status: row.status as FinishedRun['status'], saved: true, data: row.data ?? emptyData() });
        }
      } catch (error) {
        log.warn({ err: error, executionId: id }, 'could not check a queued execution; trying again');
      }
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
        waiters.delete(row.id);
        const reason = error instanceof Error ? error.message : String(error);
        await store
          .failQueued(sql, row.id, `Could not be queued: ${reason}`)
          .catch((err) => log.error({ err, executionId: row.id }, 'could not record the failed enqueue'));
        // A client that is told 503 may try again: this run is crashed, so it never runs besides the new one.
        throw new AppError(
          503,
          'QUEUE_UNAVAILABLE',
          `Execution ${row.id} could not be queued (${reason}). It is recorded as crashed; try again once Redis answers.`,
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
    async reconcile() {
      let requeued = 0;
      for (const id of await store.findQueuedOlderThan(sql, REQUEUE_AFTER_MS, 100)) {
        if (await queue.pending(id)) continue;
        await queue.enqueueAgain(id);
        requeued++;
      }
      if (requeued) log.warn({ requeued }, 'queued executions whose job Redis no longer had were queued again');
    },
    close() {
      clearInterval(fallback);
      for (const id of [...waiters.keys()]) fail(id, new Error('the server is shutting down'));
    },
  };
}

const emptyData = (): ExecutionData => ({ version: 1, startData: {}, resultData: { runData: {} } });
