import { type Job, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { QueueRedis } from '../../config/env.ts';
import type { SqlClient } from '../../db/client.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import type { ExecutionData, Item } from '../../engine/types.ts';
import type { ExecutionRunner, FinishedRun, StartRun } from '../executions/execution-runner.ts';
import type { ExecutionRow } from '../executions/executions.repository.ts';
import type { ExecutionsStore } from '../executions/executions.store.ts';
import { type ExecutionJobData, QUEUE_NAME } from './execution-queue.ts';
import type { WorkerResult } from './queue-dispatch.ts';
import { describeRedis, queueRedisOptions } from './redis-connection.ts';

const ORPHAN_SWEEP_MS = 30_000;

/**
 * `npm run worker`: takes execution jobs from the queue and runs them in this process. The claim (queued → running
 * on this instance) is one statement, so a job redelivered after its worker died, or whose execution was stopped
 * while queued, is skipped rather than run twice. Stops reach the run through the instance's stop listener, as in
 * regular mode.
 */
export function createQueueWorker(deps: {
  redis: QueueRedis;
  prefix: string;
  concurrency: number;
  sql: SqlClient;
  runner: Pick<ExecutionRunner, 'continueClaimed' | 'reclaimOrphans'>;
  instanceId: number;
  store: Pick<ExecutionsStore, 'claimQueued' | 'markCrashed'>;
  log: FastifyBaseLogger;
}) {
  const { sql, runner, store, log } = deps;

  async function process(job: Job<ExecutionJobData>): Promise<WorkerResult> {
    const id = Number(job.data.executionId);
    const claimed = await store.claimQueued(sql, id, deps.instanceId);
    if (!claimed) {
      log.info({ executionId: id, jobId: job.id }, 'queued execution is no longer waiting to run; skipped');
      return { status: 'canceled', saved: true, skipped: true };
    }
    const { row, start } = claimed;
    try {
      return await runClaimed(job, row, start);
    } catch (error) {
      // Claimed but not recorded (no stored workflow, or the result could not be saved): crashed now, since this
      // worker's lease is alive and lease recovery would never take the row. The runner's orphan sweep is the
      // fallback when this write fails too.
      await store.markCrashed(sql, id).catch(() => undefined);
      throw error;
    }
  }

  async function runClaimed(job: Job<ExecutionJobData>, row: ExecutionRow, start: { node: string; items: unknown[] } | null) {
    const id = row.id;
    if (!row.workflowData) throw new Error(`execution ${id} has no stored workflow`);
    const request: StartRun = {
      workflow: row.workflowData,
      mode: row.mode as StartRun['mode'],
      ...(start ? { start: { node: start.node, items: start.items as Item[] } } : { resume: row.data as ExecutionData }),
      ...(row.retryOf !== null ? { retryOf: row.retryOf } : {}),
      // Respond to Webhook's answer goes to the main holding the caller's connection, as job progress.
      ...(row.mode === 'webhook' ? { onResponse: (response) => void sendResponse(job, response) } : {}),
    };
    return resultForMain(await runner.continueClaimed(row, request).done, row.mode);
  }

  /** A Respond to Webhook answer, to the main holding the connection: tried again through a Redis blip. */
  async function sendResponse(job: Job<ExecutionJobData>, response: WebhookResponse): Promise<void> {
    for (const delay of [0, 250, 1000]) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await job.updateProgress({ response });
      } catch {}
    }
    log.warn(
      { executionId: job.data.executionId },
      'could not send the Respond to Webhook answer to the main; its caller gets the default answer',
    );
  }

  const worker = new Worker<ExecutionJobData, WorkerResult>(QUEUE_NAME, process, {
    connection: queueRedisOptions(deps.redis),
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    autorun: false,
    // A job whose worker stopped renewing its lock (killed) goes back to the queue once; its claim then refuses
    // it if it had started, and another worker runs it if it had not.
    maxStalledCount: 1,
  });
  let lastError = 0;
  worker.on('error', (err) => {
    if (Date.now() - lastError < 10_000) return;
    lastError = Date.now();
    log.warn({ err: err.message, redis: describeRedis(deps.redis) }, 'worker connection to Redis failed; reconnecting');
  });

  // Runs this worker claimed but could not record (even as crashed) are marked crashed once the database answers:
  // mains recover only dead instances' runs, and this one is alive.
  let sweep: NodeJS.Timeout | undefined;
  const sweepOrphans = () =>
    void runner
      .reclaimOrphans()
      .then((orphaned) => orphaned && log.warn({ orphaned }, 'executions whose result this worker could not record were marked crashed'))
      .catch(() => undefined);

  return {
    worker,
    start() {
      void worker.run().catch((err) => log.error({ err }, 'queue worker stopped'));
      sweep = setInterval(sweepOrphans, ORPHAN_SWEEP_MS);
      sweep.unref();
    },
    /** Stops taking jobs; resolves once the jobs it runs have returned (the runner's shutdown bounds that). */
    close: () => {
      clearInterval(sweep);
      return worker.close();
    },
  };
}

/**
 * The outcome as the waiting main needs it: a webhook's caller gets the last node's output, so only that run is
 * sent; a run that was not saved (settings said not to keep it) is sent whole, since the main cannot read it back.
 */
export function resultForMain(finished: FinishedRun, mode: string): WorkerResult {
  const base = { status: finished.status, saved: finished.saved };
  if (!finished.saved) return { ...base, data: finished.data };
  if (mode !== 'webhook') return base;
  const { lastNodeExecuted, runData } = finished.data.resultData;
  const runs = lastNodeExecuted ? runData[lastNodeExecuted] : undefined;
  const last = runs?.[runs.length - 1];
  return {
    ...base,
    data: {
      version: 1,
      startData: {},
      resultData: {
        ...(lastNodeExecuted ? { lastNodeExecuted } : {}),
        runData: last && lastNodeExecuted ? { [lastNodeExecuted]: [last] } : {},
      },
    },
  };
}
