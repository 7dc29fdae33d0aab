import type { FastifyBaseLogger } from 'fastify';
import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import { type Access, buildAccess, mayGlobally, scopesBeyondRole } from '../roles/access.ts';
import { usersRepository } from '../users/users.repository.ts';
import { generateApiKey, hashApiKey, keyHint } from './api-keys.crypto.ts';
import { type ApiKey, type KeyWithAccess, apiKeysRepository as repo } from './api-keys.repository.ts';
import { childKeyExpiry } from './child-key-expiry.ts';
import { isGrantableScope, uncoveredScopes } from './scopes.ts';

export interface Principal {
  apiKeyId: string;
  label: string;
  scopes: readonly string[];
  /**
   * When the key stops working (null: never). Keys it creates may not outlive it. Optional only so that
   * principals built by hand (scripts, benchmarks) need not spell it; absent means no expiry.
   */
  expiresAt?: Date | null;
  /** What the key's user may do (their global and project roles), resolved with the key and cached with it. */
  access: Access;
}

export interface CreateApiKeyInput {
  label: string;
  scopes: string[];
  expiresAt?: Date;
}

/** The scope that lets a user see and revoke every user's keys, not only their own (owner and admin hold it). */
const MANAGE_ALL_KEYS = 'apiKey:manage';

interface CacheEntry {
  principal: Principal | null;
  cachedUntil: number;
}

const MAX_CACHE_ENTRIES = 10_000;
// Unknown keys are remembered too (a flood of bad keys should not reach the database each time), but in their
// own smaller map, so that spraying random keys cannot push valid keys out of the cache.
const MAX_NEGATIVE_CACHE_ENTRIES = 1_000;
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

function isExpired(principal: Principal, now: number): boolean {
  return !!principal.expiresAt && principal.expiresAt.getTime() <= now;
}

/** The command that creates an owner key; quoted, since a shell would expand a bare `*` into file names. */
export const CREATE_OWNER_KEY_COMMAND = "npm run cli -- api-key create --label owner --scopes '*'";

function isUsableOwnerKey(key: ApiKey, now: Date): boolean {
  return key.scopes.includes('*') && !key.revokedAt && !(key.expiresAt && key.expiresAt <= now);
}

function lastOwnerKeyError(id: string) {
  return new ConflictError(
    `API key "${id}" is the last active key holding "*": revoking it would leave no key that can manage this server. ` +
      `Create another "*" key first (${CREATE_OWNER_KEY_COMMAND}), or revoke this one deliberately from the command line: npm run cli -- api-key revoke ${id}`,
    { reason: 'The last active key holding * cannot be revoked over the API' },
  );
}

export function createApiKeysService(deps: { sql: SqlPool; cacheTtlMs: number; log: FastifyBaseLogger }) {
  const { sql, cacheTtlMs, log } = deps;
  // Short-lived, per process: a revoked key stops working everywhere within cacheTtlMs, with no shared state.
  const cache = new Map<string, CacheEntry>();
  const negativeCache = new Map<string, CacheEntry>();
  const lastUsedWritten = new Map<string, number>();

  function remember(hash: string, entry: CacheEntry) {
    if (cacheTtlMs === 0) return;
    const [map, max] = entry.principal ? [cache, MAX_CACHE_ENTRIES] : [negativeCache, MAX_NEGATIVE_CACHE_ENTRIES];
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(hash, entry);
  }

  function toPrincipal({ key, access }: KeyWithAccess): Principal {
    return { apiKeyId: key.id, label: key.label, scopes: key.scopes, expiresAt: key.expiresAt, access: buildAccess(access) };
  }

  /** A key may hold only scopes its user's roles allow (400 naming the others). */
  function assertWithinRole(access: Access, scopes: string[]) {
    const beyond = scopesBeyondRole(access, scopes);
    if (beyond.length) {
      throw new ValidationError(
        `The role of user ${access.email} (${access.globalRole} and their project roles) does not allow scope(s): ${beyond.join(', ')}`,
      );
    }
  }

  /** lastUsedAt is for humans auditing keys: write it at most once a minute per key, never on the request path. */
  function touch(id: string, now: number) {
    if (now - (lastUsedWritten.get(id) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    lastUsedWritten.set(id, now);
    repo.touchLastUsed(sql, id, new Date(now)).catch((err: unknown) => log.warn({ err, apiKeyId: id }, 'could not record API key use'));
  }

  function validateScopes(scopes: string[]) {
    const unknown = scopes.filter((s) => !isGrantableScope(s));
    if (unknown.length) {
      throw new ValidationError(`Unknown scope(s): ${unknown.join(', ')}. Use scopes such as workflow:read, tag:* or *.`);
    }
    if (!scopes.length) throw new ValidationError('A key needs at least one scope');
  }

  async function findKey(db: SqlClient, id: string) {
    const existing = await repo.findById(db, id);
    if (!existing) throw new NotFoundError(`API key with ID "${id}" not found`);
    return existing;
  }

  async function revokeKey(db: SqlClient, existing: ApiKey) {
    if (existing.revokedAt) throw new ConflictError(`API key "${existing.id}" is already revoked`);
    const row = await repo.revoke(db, existing.id, new Date());
    // Deleted since it was read: the same 404 as an unknown id.
    if (!row) throw new NotFoundError();
    for (const [hash, entry] of cache) if (entry.principal?.apiKeyId === existing.id) cache.delete(hash);
    return row;
  }

  async function insertKey(access: Access, input: CreateApiKeyInput, key = generateApiKey()) {
    validateScopes(input.scopes);
    assertWithinRole(access, input.scopes);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new ValidationError('expiresAt must be in the future');
    const row = await inTransaction(sql, async (tx) => {
      const inserted = await repo.insert(tx, {
        id: newId(),
        label: input.label,
        keyHash: hashApiKey(key),
        keyHint: keyHint(key),
        scopes: [...new Set(input.scopes)],
        userId: access.userId,
        expiresAt: input.expiresAt ?? null,
      });
      await usersRepository.markActive(tx, access.userId);
      return inserted;
    });
    return { apiKey: row, key };
  }

  async function accessOfUser(email: string | undefined): Promise<Access> {
    const user = email ? await usersRepository.findByEmail(sql, email) : await usersRepository.findOwner(sql);
    const inputs = user && (await usersRepository.accessInputs(sql, user.id));
    if (!inputs) throw new NotFoundError(email ? `Could not find user with email: ${email}` : 'This server has no owner user');
    return buildAccess(inputs);
  }

  return {
    /** Resolves an X-N8N-API-KEY header value to its principal, or null when the key is unknown, revoked or expired. */
    async authenticate(rawKey: string): Promise<Principal | null> {
      const hash = hashApiKey(rawKey);
      const now = Date.now();
      let entry = cache.get(hash) ?? negativeCache.get(hash);
      if (!entry || entry.cachedUntil <= now) {
        const found = await repo.findWithAccessByHash(sql, hash);
        entry = { principal: found && !found.key.revokedAt ? toPrincipal(found) : null, cachedUntil: now + cacheTtlMs };
        remember(hash, entry);
      }
      if (!entry.principal || isExpired(entry.principal, now)) return null;
      touch(entry.principal.apiKeyId, now);
      return entry.principal;
    },

    /**
     * Creates a key for an API caller's own user, who can only grant scopes it holds itself (and their role allows),
     * for no longer than it lives itself: an expiring caller's key gets the caller's expiry when none is asked for.
     */
    async createForCaller(caller: Principal, input: CreateApiKeyInput) {
      const missingScopes = uncoveredScopes(caller.scopes, input.scopes);
      if (missingScopes.length) {
        throw new ForbiddenError({ reason: 'A key can only grant scopes that the calling key holds itself', missingScopes });
      }
      return insertKey(caller.access, { ...input, expiresAt: childKeyExpiry(caller.expiresAt, input.expiresAt) });
    },

    /** Creates a key from the operator's CLI for a user (by email; the owner by default), within the user's role. */
    create: async (input: CreateApiKeyInput & { userEmail?: string }) => insertKey(await accessOfUser(input.userEmail), input),

    /** Every key for owners and admins; a caller's own user's keys otherwise. The CLI (no caller) lists all. */
    async list(caller: Principal | undefined, query: { limit: number; cursor?: string }) {
      const filter = caller && !mayGlobally(caller.access, MANAGE_ALL_KEYS) ? { userId: caller.access.userId } : {};
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => repo.list(sql, filter, range));
    },

    /** Drops every cached principal (a custom role changed: what its holders may do changed with it). */
    forgetAll() {
      cache.clear();
    },

    /** Drops the cached principals of a user whose roles or memberships changed (other instances: within the TTL). */
    forgetUser(userId: string) {
      for (const [hash, entry] of cache) if (entry.principal?.access.userId === userId) cache.delete(hash);
    },

    /**
     * Revokes a key for an API caller, who may only revoke keys whose scopes it holds itself (so also itself):
     * otherwise a key holding just apiKey:delete could switch off the owner's `*` key. The last usable `*` key
     * is refused (409): the check and the revoke run under one lock, so two concurrent revokes of the last two
     * `*` keys cannot both succeed.
     */
    async revokeForCaller(caller: Principal, id: string) {
      return inTransaction(sql, async (tx) => {
        await repo.lockOwnerKeys(tx);
        const existing = await findKey(tx, id);
        // Another user's key is not even there for a caller who may not manage every key.
        if (existing.userId !== caller.access.userId && !mayGlobally(caller.access, MANAGE_ALL_KEYS)) {
          throw new NotFoundError(`API key with ID "${id}" not found`);
        }
        // Before the revoked check: a key that may not touch the target learns nothing about its state.
        const missingScopes = uncoveredScopes(caller.scopes, existing.scopes);
        if (missingScopes.length) {
          throw new ForbiddenError({ reason: 'A key can only revoke keys whose scopes it holds itself', missingScopes });
        }
        const now = new Date();
        if (isUsableOwnerKey(existing, now) && (await repo.countUsableOwnerKeys(tx, now, existing.id)) === 0) {
          throw lastOwnerKeyError(existing.id);
        }
        return revokeKey(tx, existing);
      });
    },

    /** Revokes any key, the last owner key too, from the operator's CLI. */
    revoke: async (id: string) => revokeKey(sql, await findKey(sql, id)),

    /**
     * The start-log line for a server nobody can manage over the API (every `*` key revoked or expired), naming
     * the command that creates an owner key; undefined while a usable `*` key exists.
     */
    async missingOwnerKeyNotice(): Promise<string | undefined> {
      if ((await repo.countUsableOwnerKeys(sql, new Date())) > 0) return undefined;
      // No key at all: the first start creates and prints the owner key right after listening (server.ts).
      if ((await repo.count(sql)) === 0) return undefined;
      return `No active API key holds every scope ("*"): every owner key is revoked or expired. Create one with: ${CREATE_OWNER_KEY_COMMAND}`;
    },

    /** Logs missingOwnerKeyNotice's line, if any, as a warning (start-up; a database that is down is left to readiness). */
    async reportMissingOwnerKey(): Promise<void> {
      const line = await this.missingOwnerKeyNotice().catch(() => undefined);
      if (line) log.warn(line);
    },

    /**
     * Start-up: registers N8N_API_KEY if given, and when no key exists at all creates an owner key with every
     * scope. Returns the new owner key so the caller can show it once. Safe with several instances booting.
     */
    async bootstrap(seedKey: string | undefined): Promise<string | undefined> {
      return inTransaction(sql, async (tx) => {
        await repo.lockOwnerKeys(tx);
        const owner = await usersRepository.findOwner(tx);
        if (!owner) throw new Error('this server has no owner user (the users migration makes one)');
        const insertOwnerKey = (label: string, rawKey: string) =>
          repo.insert(tx, {
            id: newId(),
            label,
            keyHash: hashApiKey(rawKey),
            keyHint: keyHint(rawKey),
            scopes: ['*'],
            userId: owner.id,
            expiresAt: null,
          });
        if (seedKey && !(await repo.findByHash(tx, hashApiKey(seedKey)))) await insertOwnerKey('N8N_API_KEY', seedKey);
        if ((await repo.count(tx)) > 0) return undefined;
        const key = generateApiKey();
        await insertOwnerKey('owner', key);
        return key;
      });
    },

    /**
     * Deletes a key that was never handed out (the owner key that could not be printed at start), so that the
     * next start, finding no key, creates and prints a new one.
     */
    async discard(rawKey: string): Promise<void> {
      const hash = hashApiKey(rawKey);
      await repo.deleteByHash(sql, hash);
      cache.delete(hash);
      negativeCache.delete(hash);
    },
  };
}
