import { ValidationError } from '../../lib/errors.ts';

/**
 * The expiry of a key created by a key that expires at `parentExpiresAt`: a key may not create a key that outlives
 * it (else an expiring key could mint itself a permanent successor). No expiry asked for means "as long as the
 * parent"; a later one is refused, naming the limit, rather than silently shortened, so that nobody holds a key
 * that dies sooner than they were told.
 */
export function childKeyExpiry(parentExpiresAt: Date | null | undefined, requested: Date | undefined): Date | undefined {
  if (!parentExpiresAt) return requested;
  if (!requested) return parentExpiresAt;
  if (requested.getTime() > parentExpiresAt.getTime()) {
    const limit = parentExpiresAt.toISOString();
    throw new ValidationError(
      `expiresAt must not be later than this key's own expiry, ${limit}. Pick an earlier time, or omit expiresAt to give the new key the same expiry.`,
      { maxExpiresAt: limit },
    );
  }
  return requested;
}
