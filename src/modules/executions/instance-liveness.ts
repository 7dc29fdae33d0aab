import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { SqlClient } from '../../db/client.ts';

/** Advisory-lock namespace of instance liveness locks (any constant no other feature uses). */
const LOCK_NAMESPACE = 0x464c4f57; // "FLOW"
const CANCEL_CHANNEL = 'flowgate_execution_cancel';

/**
 * Which server processes are alive, answered by PostgreSQL itself: every instance holds a session advisory lock
 * on its own id for as long as its connection lives. When a process dies, its connection closes and the lock
 * goes with it, so "running" executions whose instance holds no lock were left behind by a dead process.
 *
 * The same connection LISTENs for stop requests, so a stop sent to any instance reaches the one running it at once.
 */
export interface InstanceLiveness {
  readonly instanceId: number;
  /** Ask whichever instance runs `executionId` to cancel it. */
  requestCancel(sql: SqlClient, executionId: number): Promise<void>;
  /** Marks executions left running by dead instances as crashed; returns how many. */
  recoverCrashed(sql: SqlClient): Promise<number>;
  close(): Promise<void>;
}

export async function startInstanceLiveness(databaseUrl: string, onCancel: (executionId: number) => void): Promise<InstanceLiveness> {
  const instanceId = randomInt(1, 2 ** 31 - 1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // A failure of this connection must not crash the process; liveness simply lapses until restart.
  client.on('error', () => {});
  await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, instanceId]);
  await client.query(`LISTEN ${CANCEL_CHANNEL}`);
  client.on('notification', (message) => {
    const id = Number(message.payload);
    if (message.channel === CANCEL_CHANNEL && Number.isInteger(id)) onCancel(id);
  });

  return {
    instanceId,
    async requestCancel(sql, executionId) {
      await sql.query('SELECT pg_notify($1, $2)', [CANCEL_CHANNEL, String(executionId)]);
    },
    async recoverCrashed(sql) {
      const { rowCount } = await sql.query(
        `UPDATE execution SET status = 'crashed', stopped_at = now(), instance_id = NULL
         WHERE status IN ('running', 'new') AND (instance_id IS NULL OR instance_id NOT IN (
           SELECT l.objid::int FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.granted
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())))`,
        [LOCK_NAMESPACE],
      );
      return rowCount ?? 0;
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}
