import type { DbClient } from '../../db/client.ts';
import type { ApiKey } from '../../generated/prisma/client.ts';

export type { ApiKey };

export type NewApiKey = Pick<ApiKey, 'id' | 'label' | 'keyHash' | 'keyHint' | 'scopes' | 'expiresAt'>;

export const apiKeysRepository = {
  findByHash: (db: DbClient, keyHash: string) => db.apiKey.findUnique({ where: { keyHash } }),

  findById: (db: DbClient, id: string) => db.apiKey.findUnique({ where: { id } }),

  insert: (db: DbClient, key: NewApiKey) => db.apiKey.create({ data: key }),

  /** Up to `take` keys in creation order, without their hashes (a listing never needs them). */
  list: (db: DbClient, page: { offset: number; take: number }) =>
    db.apiKey.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.take, omit: { keyHash: true } }),

  count: (db: DbClient) => db.apiKey.count(),

  revoke: (db: DbClient, id: string, at: Date) => db.apiKey.update({ where: { id }, data: { revokedAt: at } }),

  touchLastUsed: (db: DbClient, id: string, at: Date) => db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } }),

  /**
   * Keys that still open everything: holding `*`, not revoked, not expired at `now` (optionally not counting one).
   * Zero means nobody can manage this server over the API any more.
   */
  countUsableOwnerKeys: (db: DbClient, now: Date, exceptId?: string) =>
    db.apiKey.count({
      where: {
        scopes: { has: '*' },
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        ...(exceptId ? { id: { not: exceptId } } : {}),
      },
    }),

  /**
   * Serialises changes to the set of owner keys until the transaction ends: creating the first key while
   * instances boot at once, and revoking over the API (two revokes of the last two `*` keys run one after the other).
   */
  lockOwnerKeys: (db: DbClient) => db.$executeRaw`SELECT pg_advisory_xact_lock(1718382445)`,
};
