import type { SqlClient } from '../../db/client.ts';

/**
 * Instance leases (see instance-liveness.ts). Every time is the database's clock (now()), so instances on hosts
 * whose clocks disagree still agree on who is alive.
 */

/** Takes or extends `id`'s lease until `leaseMs` from now. True when the row had to be created (first renewal, or lost). */
export async function renewLease(sql: SqlClient, lease: { id: number; kind: string; hostname: string; leaseMs: number }): Promise<boolean> {
  const { rows } = await sql.query<{ created: boolean }>(
    `INSERT INTO instance_lease (id, kind, hostname, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4 / 1000.0))
     ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at
     RETURNING (xmax = 0) AS created`,
    [lease.id, lease.kind, lease.hostname.slice(0, 255), lease.leaseMs],
  );
  return rows[0]?.created === true;
}

/** Gives the lease up at a clean shutdown, so what is left is recognised as abandoned at once. */
export async function dropLease(sql: SqlClient, id: number): Promise<void> {
  await sql.query('DELETE FROM instance_lease WHERE id = $1', [id]);
}

/** The instances whose lease has not expired, with their kind. */
export async function liveInstances(sql: SqlClient): Promise<{ id: number; kind: string }[]> {
  const { rows } = await sql.query<{ id: number; kind: string }>(
    'SELECT id, kind FROM instance_lease WHERE expires_at > now() ORDER BY id',
  );
  return rows;
}

/** Expired leases go once their executions have been dealt with (markDeadInstancesRunsCrashed runs first). */
export async function dropExpiredLeases(sql: SqlClient): Promise<void> {
  await sql.query('DELETE FROM instance_lease WHERE expires_at <= now()');
}
