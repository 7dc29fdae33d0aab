import type { SqlClient } from '../../db/client.ts';
import type { AccessInputs } from '../roles/access.ts';
import { ACCESS_COLUMNS, type AccessRow, toAccessInputs } from '../users/users.repository.ts';

/** An API key as stored: the key itself never is, only its SHA-256 hash. */
export interface ApiKey {
  id: string;
  label: string;
  keyHash: string;
  keyHint: string;
  scopes: string[];
  /** The user the key acts as. */
  userId: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A key as listed: without its hash (a listing never needs it). */
export type ListedApiKey = Omit<ApiKey, 'keyHash'>;

export type NewApiKey = Pick<ApiKey, 'id' | 'label' | 'keyHash' | 'keyHint' | 'scopes' | 'userId' | 'expiresAt'>;

/** A key with its user, the user's memberships and the custom roles among their roles: all a request's checks need. */
export interface KeyWithAccess {
  key: ApiKey;
  access: AccessInputs;
}

interface ListedApiKeyRow {
  id: string;
  label: string;
  key_hint: string;
  scopes: string[] | null;
  user_id: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ApiKeyRow extends ListedApiKeyRow {
  key_hash: string;
}

const LISTED_COLUMNS = 'id, label, key_hint, scopes, user_id, expires_at, last_used_at, revoked_at, created_at, updated_at';
const COLUMNS = `${LISTED_COLUMNS}, key_hash`;

function toListedApiKey(row: ListedApiKeyRow): ListedApiKey {
  return {
    id: row.id,
    label: row.label,
    keyHint: row.key_hint,
    // The column is nullable (Prisma's lists are); every insert sets it.
    scopes: row.scopes ?? [],
    userId: row.user_id,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({ ...toListedApiKey(row), keyHash: row.key_hash });

const first = (rows: ApiKeyRow[]) => (rows[0] ? toApiKey(rows[0]) : null);

export const apiKeysRepository = {
  async findByHash(db: SqlClient, keyHash: string): Promise<ApiKey | null> {
    return first((await db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_key WHERE key_hash = $1`, [keyHash])).rows);
  },

  /**
   * Every authenticated request that misses the cache: the key, its user, their project roles and the custom roles
   * among them, in one round trip (a named, prepared statement).
   */
  async findWithAccessByHash(db: SqlClient, keyHash: string): Promise<KeyWithAccess | null> {
    const { rows } = await db.query<ApiKeyRow & AccessRow>({
      name: 'flowgate_api_key_with_access_by_hash',
      text: `SELECT ${COLUMNS.replace(/(\w+)/g, 'k.$1')}, ${ACCESS_COLUMNS}
             FROM api_key k JOIN user_account u ON u.id = k.user_id WHERE k.key_hash = $1`,
      values: [keyHash],
    });
    const row = rows[0];
    return row ? { key: toApiKey(row), access: toAccessInputs(row) } : null;
  },

  async findById(db: SqlClient, id: string): Promise<ApiKey | null> {
    return first((await db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_key WHERE id = $1`, [id])).rows);
  },

  async insert(db: SqlClient, key: NewApiKey): Promise<ApiKey> {
    const { rows } = await db.query<ApiKeyRow>(
      `INSERT INTO api_key (id, label, key_hash, key_hint, scopes, user_id, expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, now()) RETURNING ${COLUMNS}`,
      [key.id, key.label, key.keyHash, key.keyHint, key.scopes, key.userId, key.expiresAt],
    );
    return toApiKey(rows[0]!);
  },

  /** Up to `take` keys in creation order: every key, or one user's. */
  async list(db: SqlClient, filter: { userId?: string }, page: { offset: number; take: number }): Promise<ListedApiKey[]> {
    const { rows } = await db.query<ListedApiKeyRow>(
      `SELECT ${LISTED_COLUMNS} FROM api_key WHERE ($1::uuid IS NULL OR user_id = $1) ORDER BY created_at, id LIMIT $2 OFFSET $3`,
      [filter.userId ?? null, page.take, page.offset],
    );
    return rows.map(toListedApiKey);
  },

  async count(db: SqlClient): Promise<number> {
    return (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM api_key')).rows[0]!.count;
  },

  /** The revoked key, or null when there is no such key. */
  async revoke(db: SqlClient, id: string, at: Date): Promise<ApiKey | null> {
    const { rows } = await db.query<ApiKeyRow>(
      `UPDATE api_key SET revoked_at = $2, updated_at = clock_timestamp() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, at],
    );
    return first(rows);
  },

  /** Also moves updated_at, as every write of a key does. */
  async touchLastUsed(db: SqlClient, id: string, at: Date): Promise<void> {
    await db.query('UPDATE api_key SET last_used_at = $2, updated_at = clock_timestamp() WHERE id = $1', [id, at]);
  },

  async deleteByHash(db: SqlClient, keyHash: string): Promise<void> {
    await db.query('DELETE FROM api_key WHERE key_hash = $1', [keyHash]);
  },

  /**
   * Keys that still open everything: holding `*`, not revoked, not expired at `now` (optionally not counting one).
   * Zero means nobody can manage this server over the API any more.
   */
  async countUsableOwnerKeys(db: SqlClient, now: Date, exceptId?: string): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM api_key
       WHERE scopes @> ARRAY['*']::text[] AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1)
         AND ($2::text IS NULL OR id <> $2)`,
      [now, exceptId ?? null],
    );
    return rows[0]!.count;
  },

  /**
   * Serialises changes to the set of owner keys until the transaction ends: creating the first key while
   * instances boot at once, and revoking over the API (two revokes of the last two `*` keys run one after the other).
   */
  async lockOwnerKeys(tx: SqlClient): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(1718382445)');
  },
};
