import { type JobsOptions, Queue, QueueEvents } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { QueueRedis } from '../../config/env.ts';
import { withTimeout } from '../../lib/timeout.ts';
import { describeRedis, queueRedisOptions } from './redis-connection.ts';

/** n8n's queue is "jobs"; ours has its own name, so the two never take each other's jobs on a shared Redis. */
export const QUEUE_NAME = 'flowgate-executions';

/** What a job carries: only the id. The worker loads the workflow and the input from PostgreSQL. */
export interface ExecutionJobData {
  executionId: number;
}

/** Job ids are the execution's: adding one twice is a no-op, so a re-queue after a Redis loss never doubles a run. */
export const jobIdOf = (executionId: number) => `e${executionId}`;
export const executionIdOf = (jobId: string | undefined) => (jobId?.startsWith('e') ? Number(jobId.slice(1)) : Number.NaN);

/** How long a producer waits for Redis (to take a job, say) before it gives up: the run is then recorded as crashed. */
export const ENQUEUE_TIMEOUT_MS = 5000;

const JOB_OPTIONS: JobsOptions = {
  // One attempt: a run that started may have had side effects, so it is never repeated by the queue.
  attempts: 1,
  removeOnComplete: { age: 600, count: 1000 },
  removeOnFail: { age: 86_400, count: 1000 },
};

export class EnqueueError extends Error {
  override name = 'EnqueueError';
}

/**
 * The BullMQ queue as a main (or webhook processor) uses it: add and remove jobs, count them, and hear what workers
 * report (completions, failures, and Respond to Webhook answers sent as progress).
 */
export function createExecutionQueue(deps: { redis: QueueRedis; prefix: string; log: FastifyBaseLogger }) {
  const connection = queueRedisOptions(deps.redis);
  const queue = new Queue<ExecutionJobData>(QUEUE_NAME, { connection, prefix: deps.prefix, defaultJobOptions: JOB_OPTIONS });
  const events = new QueueEvents(QUEUE_NAME, { connection, prefix: deps.prefix, autorun: false });
  let lastError = 0;
  const onError = (err: Error) => {
    // Said once every 10 s while Redis is away, not for every reconnect attempt.
    if (Date.now() - lastError < 10_000) return;
    lastError = Date.now();
    deps.log.warn({ err: err.message, redis: describeRedis(deps.redis) }, 'queue connection to Redis failed; reconnecting');
  };
  queue.on('error', onError);
  events.on('error', onError);

  /**
   * Every call to Redis is bounded: while Redis is away, ioredis queues commands until it is back (so BullMQ's
   * blocking reads carry on after a restart), and an unbounded call would hang stops, scrapes and the poller.
   */
  const bounded = <T>(call: Promise<T>, what: string): Promise<T> =>
    withTimeout(call, ENQUEUE_TIMEOUT_MS, `Redis at ${describeRedis(deps.redis)} did not ${what} within ${ENQUEUE_TIMEOUT_MS} ms`);

  return {
    events,
    async start() {
      void events.run().catch(onError);
      await events.waitUntilReady();
    },

    /** Puts the execution on the queue, or fails with EnqueueError within ENQUEUE_TIMEOUT_MS (Redis away). */
    async enqueue(executionId: number): Promise<void> {
      try {
        await bounded(queue.add('execution', { executionId }, { jobId: jobIdOf(executionId) }), 'take the job');
      } catch (err) {
        throw err instanceof EnqueueError ? err : new EnqueueError(err instanceof Error ? err.message : String(err));
      }
    },

    /** Takes a job that has not started off the queue (an active one is left to its worker). */
    async remove(executionId: number): Promise<void> {
      await bounded(queue.remove(jobIdOf(executionId)), 'remove the job').catch(() => 0);
    },

    /**
     * Puts an execution that has run before (a resumed Wait) on the queue again: its previous job, kept for a while
     * after it ended, would make the add a no-op, so it goes first.
     */
    async enqueueAgain(executionId: number): Promise<void> {
      await this.remove(executionId);
      await this.enqueue(executionId);
    },

    /** Whether a job of the execution is still to be run or running (not ended, not unknown). */
    async pending(executionId: number): Promise<boolean> {
      const state = await bounded(queue.getJobState(jobIdOf(executionId)), 'say where the job is');
      return ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(state);
    },

    counts: () => bounded(queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'), 'count the jobs'),

    /** Whether Redis answers now (readiness): its connection's state, so a probe never waits on an offline queue. */
    reachable: async () => (await queue.getBackend().connection.client).status === 'ready',

    async close() {
      await events.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
    },
  };
}

export type ExecutionQueue = ReturnType<typeof createExecutionQueue>;
