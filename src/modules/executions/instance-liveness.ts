import { randomInt } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { SqlClient } from '../../db/client.ts';
import { listenOn, notifyCancel } from './executions.repository.ts';
import { markDeadInstancesRunsCrashed } from './executions.store.ts';
import { dropExpiredLeases, dropLease, renewLease } from './instance-leases.repository.ts';

const CANCEL_CHANNEL = 'flowgate_execution_cancel';
const RECONNECT_MS = 2000;

export type InstanceKind = 'main' | 'worker' | 'webhook';

/**
 * Which server processes are alive: each holds a lease in `instance_lease`, renewed every third of its length over
 * the ordinary pool. A connection drop or failover shorter than the lease changes nothing (the next renewal goes
 * through); a process that dies, or a host that vanishes with its TCP connections half-open, stops renewing, and
 * its executions are crashed once the lease expires, whoever notices first. So the bound is the lease (30 s by
 * default, INSTANCE_LEASE_SECONDS) plus the poller's recovery interval.
 *
 * A separate connection LISTENs for stop requests, so a stop sent to any instance reaches the one running it at
 * once; it reconnects in the background. The server starts, and reports not ready, while the database is down.
 */
export interface InstanceLiveness {
  readonly instanceId: number;
  readonly kind: InstanceKind;
  /** Takes the lease (or keeps trying in the background) and starts renewing it; never throws. */
  start(): Promise<void>;
  /** Ask whichever instance runs `executionId` to cancel it. */
  requestCancel(sql: SqlClient, executionId: number): Promise<void>;
  /** Marks executions left running by instances whose lease expired as crashed; returns how many. */
  recoverCrashed(sql: SqlClient): Promise<number>;
  /** Stops renewing and gives the lease up (what is still marked running on this instance is then abandoned). */
  close(): Promise<void>;
}

export function createInstanceLiveness(deps: {
  databaseUrl: string;
  sql: SqlClient;
  kind: InstanceKind;
  leaseMs: number;
  onCancel: (executionId: number) => void;
  log: FastifyBaseLogger;
}): InstanceLiveness {
  const { sql, log, leaseMs } = deps;
  const instanceId = randomInt(1, 2 ** 31 - 1);
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;
  let renewals = 0;
  let failingSince: number | undefined;

  async function renew(): Promise<void> {
    try {
      const created = await renewLease(sql, { id: instanceId, kind: deps.kind, hostname: os.hostname(), leaseMs });
      // Created again after the first time: another instance found the lease expired and cleared it.
      if (created && renewals > 0) {
        log.warn(
          { instanceId },
          'this instance lost its lease (the database was out of reach for longer than it) and took a new one; runs it had in progress may have been marked crashed',
        );
      }
      renewals++;
      failingSince = undefined;
    } catch (error) {
      failingSince ??= Date.now();
      log.warn(
        { err: error, instanceId, failingForMs: Date.now() - failingSince, leaseMs },
        'could not renew the instance lease; retrying',
      );
    }
  }

  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void listen();
    }, RECONNECT_MS);
    retry.unref();
  };

  async function listen(): Promise<void> {
    const next = new pg.Client({ connectionString: deps.databaseUrl });
    // A dropped connection must not crash the process: it is re-established.
    next.on('error', () => {});
    next.on('end', () => {
      if (listener === next) listener = undefined;
      scheduleReconnect();
    });
    next.on('notification', (message) => {
      const id = Number(message.payload);
      if (message.channel === CANCEL_CHANNEL && Number.isInteger(id)) deps.onCancel(id);
    });
    try {
      await next.connect();
      await listenOn(next, CANCEL_CHANNEL);
      if (closed) return void (await next.end().catch(() => {}));
      listener = next;
    } catch (error) {
      log.warn({ err: error }, 'stop-request listener connection failed; retrying');
      await next.end().catch(() => {});
    }
  }

  return {
    instanceId,
    kind: deps.kind,
    async start() {
      await renew();
      heartbeat = setInterval(
        () => {
          renewing ??= renew().finally(() => (renewing = undefined));
        },
        Math.max(200, Math.floor(leaseMs / 3)),
      );
      heartbeat.unref();
      await listen();
    },
    requestCancel: (client, executionId) => notifyCancel(client, CANCEL_CHANNEL, executionId),
    async recoverCrashed(client) {
      const crashed = await markDeadInstancesRunsCrashed(client);
      await dropExpiredLeases(client);
      return crashed;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      await listener?.end().catch(() => {});
      // A renewal still in flight would take the lease again after the drop.
      await renewing;
      await dropLease(sql, instanceId).catch((error) =>
        log.warn({ err: error }, 'could not give up the instance lease; it expires by itself'),
      );
    },
  };
}
