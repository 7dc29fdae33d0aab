import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { SqlClient } from '../../db/client.ts';
import { listenOn, lockInstance, notifyCancel } from './executions.repository.ts';
import { markDeadInstancesRunsCrashed } from './executions.store.ts';

/**
 * Advisory-lock namespace of instance liveness locks (any constant no other feature uses). Exported for the
 * credential key rotation, which refuses to run while any instance holds such a lock on the database.
 */
export const LOCK_NAMESPACE = 0x464c4f57; // "FLOW"
const CANCEL_CHANNEL = 'flowgate_execution_cancel';
const RECONNECT_MS = 2000;

/**
 * Which server processes are alive, answered by PostgreSQL itself: every instance holds a session advisory lock
 * on its own id for as long as its connection lives. When a process dies, its connection closes and the lock
 * goes with it, so "running" executions whose instance holds no lock were left behind by a dead process.
 *
 * The same connection LISTENs for stop requests, so a stop sent to any instance reaches the one running it at once.
 * It is (re)established in the background: the server starts, and reports not-ready, while the database is down.
 */
export interface InstanceLiveness {
  readonly instanceId: number;
  /** Connects (or keeps retrying in the background); never throws. */
  start(): Promise<void>;
  /** Ask whichever instance runs `executionId` to cancel it. */
  requestCancel(sql: SqlClient, executionId: number): Promise<void>;
  /** Marks executions left running by dead instances as crashed; returns how many. */
  recoverCrashed(sql: SqlClient): Promise<number>;
  close(): Promise<void>;
}

export function createInstanceLiveness(
  databaseUrl: string,
  onCancel: (executionId: number) => void,
  log: FastifyBaseLogger,
): InstanceLiveness {
  const instanceId = randomInt(1, 2 ** 31 - 1);
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, RECONNECT_MS);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl });
    // A dropped connection must not crash the process: it is re-established, and the lock taken again.
    next.on('error', () => {});
    next.on('end', () => {
      if (client === next) client = undefined;
      scheduleReconnect();
    });
    next.on('notification', (message) => {
      const id = Number(message.payload);
      if (message.channel === CANCEL_CHANNEL && Number.isInteger(id)) onCancel(id);
    });
    try {
      await next.connect();
      await lockInstance(next, LOCK_NAMESPACE, instanceId);
      await listenOn(next, CANCEL_CHANNEL);
      if (closed) return void (await next.end().catch(() => {}));
      client = next;
    } catch (error) {
      log.warn({ err: error }, 'instance liveness connection failed; retrying');
      await next.end().catch(() => {});
    }
  }

  return {
    instanceId,
    start: connect,
    requestCancel: (sql, executionId) => notifyCancel(sql, CANCEL_CHANNEL, executionId),
    recoverCrashed: (sql) => markDeadInstancesRunsCrashed(sql, LOCK_NAMESPACE),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
