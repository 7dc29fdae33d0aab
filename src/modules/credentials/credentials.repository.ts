import type { DbClient, SqlClient } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { LOCK_NAMESPACE as LIVENESS_LOCK_NAMESPACE } from '../executions/instance-liveness.ts';

/** Advisory lock of a key rotation: held exclusively while it runs, taken shared by a start-up readability check. */
export const KEY_ROTATION_LOCK = 1718382446;

export interface CredentialFilters {
  type?: string;
  name?: string;
  projectId?: string;
}

const whereOf = (f: CredentialFilters): Prisma.CredentialWhereInput => ({
  ...(f.type ? { type: f.type } : {}),
  ...(f.projectId ? { projectId: f.projectId } : {}),
  ...(f.name ? { name: { contains: f.name, mode: 'insensitive' as const } } : {}),
});

export const credentialsRepository = {
  findById: (db: DbClient, id: string) => db.credential.findUnique({ where: { id } }),

  /** Row-locks the credential for the rest of the transaction (concurrent PATCHes merge one after the other). */
  async lockById(tx: DbClient, id: string) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM credential WHERE id = ${id} FOR UPDATE`;
    return rows.length ? credentialsRepository.findById(tx, id) : null;
  },

  list: (db: DbClient, filters: CredentialFilters, range: { offset: number; take: number }) =>
    db.credential.findMany({
      where: whereOf(filters),
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      skip: range.offset,
      take: range.take,
      omit: { data: true },
      include: { project: true },
    }),

  insert: (db: DbClient, data: Prisma.CredentialUncheckedCreateInput) => db.credential.create({ data }),

  update: (db: DbClient, id: string, data: Prisma.CredentialUncheckedUpdateInput) => db.credential.update({ where: { id }, data }),

  delete: (db: DbClient, id: string) => db.credential.delete({ where: { id } }),

  lockAll: (db: DbClient) =>
    db.$queryRaw<{ id: string; data: string; key_id: string }[]>`SELECT id, data, key_id FROM credential ORDER BY id FOR UPDATE`,

  all: (db: DbClient) => db.credential.findMany({ select: { id: true, data: true, keyId: true } }),

  /** Held by a key rotation until its transaction ends; an instance checking readability waits for it. */
  lockForKeyRotation: (db: DbClient) => db.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_ROTATION_LOCK}::bigint)`,

  /** Waits for a key rotation in progress to end (transaction-scoped, shared: instances do not wait for each other). */
  waitForKeyRotation: (db: DbClient) => db.$executeRaw`SELECT pg_advisory_xact_lock_shared(${KEY_ROTATION_LOCK}::bigint)`,

  /** Ids of the server instances alive on this database: each holds its liveness advisory lock (instance-liveness.ts). */
  async runningInstances(db: DbClient): Promise<number[]> {
    const rows = await db.$queryRaw<{ instance_id: number }[]>`
      SELECT l.objid::int AS instance_id FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.classid::bigint = ${LIVENESS_LOCK_NAMESPACE}::bigint AND l.objsubid = 2 AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY 1`;
    return rows.map((r) => r.instance_id);
  },

  /** Workflows with a node whose credentials reference this credential id (JSONB containment, any node, any type). */
  async workflowsUsing(sql: SqlClient, credential: { id: string; type: string }) {
    const probe = JSON.stringify([{ credentials: { [credential.type]: { id: credential.id } } }]);
    const { rows } = await sql.query<{ id: string; name: string }>('SELECT id, name FROM workflow WHERE nodes @> $1::jsonb ORDER BY name', [
      probe,
    ]);
    return rows;
  },

  /** The stored type and project of each of the given credential ids that exists. */
  async ownersOf(sql: SqlClient, ids: string[]) {
    if (!ids.length) return new Map<string, { type: string; projectId: string }>();
    const { rows } = await sql.query<{ id: string; type: string; project_id: string }>(
      'SELECT id, type, project_id FROM credential WHERE id = ANY($1::text[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { type: r.type, projectId: r.project_id }]));
  },

  /** Credentials of `type` named `name` in a project (a node reference that carries a name but no id). */
  findByName: (db: DbClient, projectId: string, type: string, name: string) =>
    db.credential.findMany({ where: { projectId, type, name }, take: 2 }),
};
