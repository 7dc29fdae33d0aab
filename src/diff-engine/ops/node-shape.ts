import { MAX_POSITION, POSITION_RANGE } from '../limits.ts';

// The fields a node may carry (NODE_KEYS) come from the workflow model, read off the API's node schema.

/** [x, y]: two finite numbers within the canvas bound (MAX_POSITION). */
export const isPosition = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= MAX_POSITION);

/** What addNode and updateNode say about a position that is not one. */
export const POSITION_SHAPE = `an array of two numbers, each ${POSITION_RANGE}`;

/** A node's `parameters`: a plain object (not null, not an array). */
export const isParameters = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A node's `credentials`, as n8n stores them: `{ [credentialType]: { id, name } }` (id may be null: an unresolved
 * placeholder). Absent is fine too. The service checks that each id names a stored credential of that type.
 */
export const isCredentials = (v: unknown): boolean =>
  v === undefined ||
  (isParameters(v) &&
    Object.values(v).every(
      (ref) =>
        isParameters(ref) &&
        (ref.id === undefined || ref.id === null || typeof ref.id === 'string') &&
        (ref.name === undefined || typeof ref.name === 'string'),
    ));

export const CREDENTIALS_SHAPE =
  '"credentials" must be an object of credential types, each {"id": "…", "name": "…"}, e.g. {"credentials.httpBasicAuth": {"id": "abc", "name": "My cred"}}';
