import { ValidationError } from './errors.ts';

/** n8n's offset cursor: base64 of `{"limit":L,"offset":O}`; a cursor's limit overrides the query's. */
export interface OffsetPage {
  limit: number;
  offset: number;
}

export function decodeOffsetCursor(cursor: string | undefined, limit: number): OffsetPage {
  if (cursor === undefined) return { limit, offset: 0 };
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('offset' in parsed)) throw new Error();
    const { offset, limit: cursorLimit } = parsed as { offset: unknown; limit?: unknown };
    const pageLimit = cursorLimit ?? limit;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new Error();
    if (typeof pageLimit !== 'number' || !Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 250) throw new Error();
    return { limit: pageLimit, offset };
  } catch {
    throw new ValidationError('An invalid cursor was provided');
  }
}

export function nextOffsetCursor(page: OffsetPage, total: number): string | null {
  if (total <= page.offset + page.limit) return null;
  return Buffer.from(JSON.stringify({ limit: page.limit, offset: page.offset + page.limit })).toString('base64');
}

/**
 * Pages without counting: fetch one row more than the page holds; if it comes back there is a next page.
 * Same cursors as nextOffsetCursor, one query instead of two.
 */
export async function fetchOffsetPage<T>(page: OffsetPage, fetch: (range: { offset: number; take: number }) => Promise<T[]>) {
  const rows = await fetch({ offset: page.offset, take: page.limit + 1 });
  const hasMore = rows.length > page.limit;
  return {
    data: hasMore ? rows.slice(0, page.limit) : rows,
    nextCursor: hasMore ? nextOffsetCursor(page, Number.POSITIVE_INFINITY) : null,
  };
}

/** Keyset position (createdAt DESC, id DESC) of the last row of a page. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export type ListCursor = { kind: 'offset'; limit: number; offset: number } | { kind: 'keyset'; limit: number; after: KeysetPosition };

/**
 * Lists paged by keyset emit `{"limit","lastId","lastCreatedAt"}` cursors, stable under concurrent writes. n8n's own
 * offset cursors (`{"limit","offset"}`) are still accepted, so a cursor from n8n or an older client keeps working.
 */
export function decodeListCursor(cursor: string | undefined, limit: number): ListCursor {
  if (cursor === undefined) return { kind: 'offset', limit, offset: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    throw new ValidationError('An invalid cursor was provided');
  }
  if (typeof parsed === 'object' && parsed !== null && 'lastId' in parsed) {
    const { lastId, lastCreatedAt, limit: cursorLimit } = parsed as Record<string, unknown>;
    const createdAt = new Date(typeof lastCreatedAt === 'string' ? lastCreatedAt : Number.NaN);
    const pageLimit = cursorLimit ?? limit;
    if (
      typeof lastId !== 'string' ||
      Number.isNaN(createdAt.getTime()) ||
      typeof pageLimit !== 'number' ||
      !Number.isInteger(pageLimit) ||
      pageLimit < 1 ||
      pageLimit > 250
    ) {
      throw new ValidationError('An invalid cursor was provided');
    }
    return { kind: 'keyset', limit: pageLimit, after: { id: lastId, createdAt } };
  }
  return { kind: 'offset', ...decodeOffsetCursor(cursor, limit) };
}

export function encodeKeysetCursor(limit: number, last: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ limit, lastId: last.id, lastCreatedAt: last.createdAt.toISOString() })).toString('base64');
}
