import type { FastifyBaseLogger } from 'fastify';
import { inTransaction, type SqlPool } from '../../db/client.ts';
import type { NodeType } from '../../engine/node-types.ts';
import type { NodeTypeRegistry } from '../../engine/nodes/registry.ts';
import type { WorkflowDefinition, WorkflowNode } from '../../engine/types.ts';
import type { BinaryDataService } from '../binary-data/binary-data.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { ExecutionDispatcher } from '../executions/execution-dispatch.ts';
import type { ExecutionRunner } from '../executions/execution-runner.ts';
import type { ExecutionsStore } from '../executions/executions.store.ts';
import type { InstanceLiveness } from '../executions/instance-liveness.ts';
import type { WorkflowLoader } from '../executions/workflow-loader.ts';
import { nextRunAt, scheduleTickItem } from './schedule-rules.ts';
import { claimDueSchedules, pollStateOf, savePollState, setNextRunAt } from './triggers.repository.ts';

/** A tick this late (the server was down) is skipped, not fired: n8n does not catch up on missed schedules. */
const MISFIRE_GRACE_MS = 60_000;
/** A poll (a feed fetch) that takes longer is given up until the next poll time. */
const POLL_TIMEOUT_MS = 60_000;
const BATCH = 20;
/** Crash recovery's pace: at most this, and at most the lease, so a dead instance's runs end within twice the lease. */
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
  /** This process's runs: orphans it could not record are reclaimed here. */
  runner: Pick<ExecutionRunner, 'reclaimOrphans'>;
  /** Starts the runs: here (regular mode) or through the queue. */
  dispatcher: ExecutionDispatcher;
  loader: WorkflowLoader;
  /** Which node types poll (their `poll` runs on each tick instead of a run starting unconditionally). */
  nodeTypes: Pick<NodeTypeRegistry, 'get'>;
  /** A polling trigger's credentials (its mailbox login). */
  credentials: Pick<CredentialsService, 'decryptForNode'>;
  liveness: Pick<InstanceLiveness, 'recoverCrashed'>;
  /** The executions module's store: the poller prunes execution rows only through it. */
  store: Pick<ExecutionsStore, 'pruneExecutions'>;
  /** Files of executions that are gone are removed on the prune interval (whatever deleted the execution). */
  binaryData?: Pick<BinaryDataService, 'sweep'>;
  log: FastifyBaseLogger;
  options: PollerOptions & { leaseMs: number };
}) {
  const { sql, runner, dispatcher, loader, liveness, store, log, options } = deps;
  const recoveryEveryMs = Math.min(RECOVERY_EVERY_MS, options.leaseMs);
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> | undefined;
  let lastRecovery = 0;
  let lastReconcile = Date.now();
  let lastPrune = Date.now();
  let lastFailureLog = 0;

  async function fireDueSchedules(): Promise<void> {
    const now = new Date();
    const polls: { workflow: WorkflowDefinition; node: WorkflowNode; poll: NonNullable<NodeType['poll']> }[] = [];
    const claimed = await inTransaction(sql, async (tx) => {
      const fired: (() => void)[] = [];
      for (const schedule of await claimDueSchedules(tx, now, BATCH)) {
        const due = schedule.nextRunAt;
        const { timezone } = schedule;
        await setNextRunAt(tx, schedule, nextRunAt(schedule.rule, now, timezone));
        if (now.getTime() - due.getTime() > MISFIRE_GRACE_MS || !schedule.activeVersionId) continue;
        const workflow = await loader.published(schedule.workflowId, schedule.activeVersionId, schedule.projectId);
        if (!workflow) continue;
        // A polling trigger asks its source after the claim commits (no network inside the transaction).
        const node = workflow.nodes.find((n) => n.name === schedule.node);
        const poll = node ? deps.nodeTypes.get(node.type)?.poll : undefined;
        if (node && poll) {
          polls.push({ workflow, node, poll });
          continue;
        }
        // The execution row is written in the same transaction as the move of next_run_at: the tick fires once.
        fired.push(
          await dispatcher.createIn(tx, {
            workflow,
            mode: 'trigger',
            start: { node: schedule.node, items: [{ json: scheduleTickItem(due, timezone) }] },
          }),
        );
      }
      return fired;
    });
    for (const go of claimed) go();
    for (const due of polls) await pollOnce(due);
  }

  /** One poll: the trigger's new items (if any) start a run; its state is kept for the next poll. */
  async function pollOnce(due: { workflow: WorkflowDefinition; node: WorkflowNode; poll: NonNullable<NodeType['poll']> }) {
    const { workflow, node } = due;
    try {
      const state = await pollStateOf(sql, workflow.id, node.name);
      const items = await due.poll({
        node,
        state,
        signal: AbortSignal.timeout(POLL_TIMEOUT_MS),
        now: () => new Date(),
        getCredentials: (type) => deps.credentials.decryptForNode(node.credentials?.[type], type, node.name, workflow.projectId),
      });
      await savePollState(sql, workflow.id, node.name, state);
      if (items?.length) await dispatcher.start({ workflow, mode: 'trigger', start: { node: node.name, items } });
    } catch (error) {
      log.warn({ err: error, workflowId: workflow.id, node: node.name }, 'a polling trigger failed; it polls again at its next time');
    }
  }

  async function prune(): Promise<void> {
    const { maxAgeHours, maxCount } = options.prune;
    const removed = await store.pruneExecutions(sql, { maxAgeHours, maxCount });
    if (removed) log.info({ removed }, 'pruned old executions');
  }

  async function tick(): Promise<void> {
    const now = Date.now();
    if (now - lastRecovery >= recoveryEveryMs) {
      lastRecovery = now;
      const crashed = await liveness.recoverCrashed(sql);
      if (crashed) log.warn({ crashed }, 'executions left running by a stopped server were marked crashed');
      const orphaned = await runner.reclaimOrphans();
      if (orphaned) log.warn({ orphaned }, 'executions whose result this server could not record were marked crashed');
    }
    await fireDueSchedules();
    await dispatcher.resumeDueWaits(BATCH);
    if (now - lastReconcile >= RECOVERY_EVERY_MS) {
      lastReconcile = now;
      // Not awaited: it talks to Redis, and Redis being away must not hold up schedules and recovery.
      void dispatcher.reconcile();
    }
    if (now - lastPrune >= options.prune.intervalMs) {
      lastPrune = now;
      if (options.prune.enabled) await prune();
      const swept = await deps.binaryData?.sweep();
      if (swept) log.info({ swept }, 'removed the files of deleted executions');
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
