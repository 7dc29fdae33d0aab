import type { SqlClient } from '../../db/client.ts';
import { liveInstances } from '../executions/instance-leases.repository.ts';
import { type Project, toProject } from '../projects/projects.repository.ts';

/** Advisory lock of a key rotation: held exclusively while it runs, taken shared by a start-up readability check. */
export const KEY_ROTATION_LOCK = 1718382446;

/** A credential as stored: `data` is ciphertext (credentials.crypto.ts), `keyId` names the key that wrote it. */
export interface Credential {
  id: string;
  name: string;
  type: string;
  data: string;
  keyId: string;
  projectId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A credential as listed: without its data, with its project. */
export type ListedCredential = Omit<Credential, 'data'> & { project: Project };

/** What a rotation or readability check reads of every credential. */
export type EncryptedData = Pick<Credential, 'id' | 'data' | 'keyId'>;

export interface CredentialFilters {
  type?: string;
  name?: string;
  projectId?: string;
  /** The projects the caller may list (undefined: all). */
  projectIds?: string[];
}

export type CredentialChanges = Partial<Pick<Credential, 'name' | 'data' | 'keyId' | 'projectId'>>;

interface CredentialRow {
  id: string;
  name: string;
  type: string;
  data: string;
  key_id: string;
  project_id: string;
  created_at: Date;
  updated_at: Date;
}

type ListedCredentialRow = Omit<CredentialRow, 'data'> & {
  p_name: string;
  p_type: string;
  p_icon: unknown;
  p_description: string | null;
  p_created_at: Date;
  p_updated_at: Date;
};

const COLUMNS = 'id, name, type, data, key_id, project_id, created_at, updated_at';

const toCredential = (row: CredentialRow): Credential => ({
  id: row.id,
  name: row.name,
  type: row.type,
  data: row.data,
  keyId: row.key_id,
  projectId: row.project_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const first = (rows: CredentialRow[]) => (rows[0] ? toCredential(rows[0]) : null);

const toListed = (row: ListedCredentialRow): ListedCredential => ({
  id: row.id,
  name: row.name,
  type: row.type,
  keyId: row.key_id,
  projectId: row.project_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  project: toProject({
    id: row.project_id,
    name: row.p_name,
    type: row.p_type,
    icon: row.p_icon,
    description: row.p_description,
    created_at: row.p_created_at,
    updated_at: row.p_updated_at,
  }),
});

const toEncrypted = (row: { id: string; data: string; key_id: string }): EncryptedData => ({
  id: row.id,
  data: row.data,
  keyId: row.key_id,
});

const CHANGE_COLUMNS = { name: 'name', data: 'data', keyId: 'key_id', projectId: 'project_id' } as const;

export const credentialsRepository = {
  async findById(db: SqlClient, id: string): Promise<Credential | null> {
    return first((await db.query<CredentialRow>(`SELECT ${COLUMNS} FROM credential WHERE id = $1`, [id])).rows);
  },

  /** Row-locks the credential for the rest of the transaction (concurrent PATCHes merge one after the other). */
  async lockById(tx: SqlClient, id: string): Promise<Credential | null> {
    return first((await tx.query<CredentialRow>(`SELECT ${COLUMNS} FROM credential WHERE id = $1 FOR UPDATE`, [id])).rows);
  },

  async list(db: SqlClient, filters: CredentialFilters, range: { offset: number; take: number }): Promise<ListedCredential[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (filters.type) where.push(`c.type = ${param(filters.type)}`);
    if (filters.projectId) where.push(`c.project_id = ${param(filters.projectId)}`);
    if (filters.projectIds) where.push(`c.project_id = ANY(${param(filters.projectIds)})`);
    // As Prisma's `contains` did: % and _ in the name act as wildcards.
    if (filters.name) where.push(`c.name ILIKE ${param(`%${filters.name}%`)}`);
    const { rows } = await db.query<ListedCredentialRow>(
      `SELECT c.id, c.name, c.type, c.key_id, c.project_id, c.created_at, c.updated_at,
         p.name AS p_name, p.type AS p_type, p.icon AS p_icon, p.description AS p_description,
         p.created_at AS p_created_at, p.updated_at AS p_updated_at
       FROM credential c JOIN project p ON p.id = c.project_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.created_at, c.id LIMIT ${param(range.take)} OFFSET ${param(range.offset)}`,
      params,
    );
    return rows.map(toListed);
  },

  async insert(db: SqlClient, c: Omit<Credential, 'createdAt' | 'updatedAt'>): Promise<Credential> {
    const { rows } = await db.query<CredentialRow>(
      `INSERT INTO credential (id, name, type, data, key_id, project_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now()) RETURNING ${COLUMNS}`,
      [c.id, c.name, c.type, c.data, c.keyId, c.projectId],
    );
    return toCredential(rows[0]!);
  },

  /** The updated credential, or null when there is none. No changes is a plain read: updatedAt stays, as Prisma left it. */
  async update(db: SqlClient, id: string, changes: CredentialChanges): Promise<Credential | null> {
    const fields = (Object.keys(CHANGE_COLUMNS) as (keyof CredentialChanges)[]).filter((f) => changes[f] !== undefined);
    if (!fields.length) return credentialsRepository.findById(db, id);
    const sets = fields.map((f, i) => `${CHANGE_COLUMNS[f]} = $${i + 2}`);
    const { rows } = await db.query<CredentialRow>(
      `UPDATE credential SET ${sets.join(', ')}, updated_at = clock_timestamp() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...fields.map((f) => changes[f])],
    );
    return first(rows);
  },

  /** Whether there was such a credential. */
  async delete(db: SqlClient, id: string): Promise<boolean> {
    return ((await db.query('DELETE FROM credential WHERE id = $1', [id])).rowCount ?? 0) > 0;
  },

  async lockAll(tx: SqlClient): Promise<EncryptedData[]> {
    const { rows } = await tx.query<{ id: string; data: string; key_id: string }>(
      'SELECT id, data, key_id FROM credential ORDER BY id FOR UPDATE',
    );
    return rows.map(toEncrypted);
  },

  async all(db: SqlClient): Promise<EncryptedData[]> {
    const { rows } = await db.query<{ id: string; data: string; key_id: string }>('SELECT id, data, key_id FROM credential');
    return rows.map(toEncrypted);
  },

  /** Held by a key rotation until its transaction ends; an instance checking readability waits for it. */
  async lockForKeyRotation(tx: SqlClient): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [KEY_ROTATION_LOCK]);
  },

  /** Waits for a key rotation in progress to end (transaction-scoped, shared: instances do not wait for each other). */
  async waitForKeyRotation(tx: SqlClient): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [KEY_ROTATION_LOCK]);
  },

  /** Ids of the server instances alive on this database: each holds an unexpired lease (instance-liveness.ts). */
  async runningInstances(db: SqlClient): Promise<number[]> {
    return (await liveInstances(db)).map((instance) => instance.id);
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

  /** Up to two credentials of `type` named `name` in a project (a node reference that carries a name but no id). */
  async findByName(db: SqlClient, projectId: string, type: string, name: string): Promise<Credential[]> {
    const { rows } = await db.query<CredentialRow>(
      `SELECT ${COLUMNS} FROM credential WHERE project_id = $1 AND type = $2 AND name = $3 LIMIT 2`,
      [projectId, type, name],
    );
    return rows.map(toCredential);
  },
};
