import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { decodeListCursor, decodeOffsetCursor, encodeKeysetCursor, fetchOffsetPage, nextOffsetCursor } from './pagination.ts';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

function decodeError(cursor: string): ValidationError {
  try {
    decodeOffsetCursor(cursor, 100);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  expect.fail(`expected cursor ${JSON.stringify(cursor)} to be rejected`);
}

describe('decodeOffsetCursor', () => {
  it('starts at offset 0 with the query limit when there is no cursor', () => {
    expect(decodeOffsetCursor(undefined, 100)).toEqual({ limit: 100, offset: 0 });
    expect(decodeOffsetCursor(undefined, 7)).toEqual({ limit: 7, offset: 0 });
  });

  it("reads n8n's cursor encoding", () => {
    expect(decodeOffsetCursor('eyJsaW1pdCI6MSwib2Zmc2V0IjoxfQ==', 100)).toEqual({ limit: 1, offset: 1 });
  });

  it("lets the cursor's limit override the query limit", () => {
    expect(decodeOffsetCursor(encode({ limit: 10, offset: 20 }), 100)).toEqual({ limit: 10, offset: 20 });
    expect(decodeOffsetCursor(encode({ limit: 250, offset: 0 }), 1)).toEqual({ limit: 250, offset: 0 });
  });

  it('falls back to the query limit when the cursor has none', () => {
    expect(decodeOffsetCursor(encode({ offset: 30 }), 15)).toEqual({ limit: 15, offset: 30 });
  });

  it('accepts limits 1 and 250', () => {
    expect(decodeOffsetCursor(encode({ limit: 1, offset: 0 }), 100).limit).toBe(1);
    expect(decodeOffsetCursor(encode({ limit: 250, offset: 0 }), 100).limit).toBe(250);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['an empty string', ''],
    ['random text', '!!!@@@###'],
    ['truncated base64 JSON', encode({ limit: 1, offset: 1 }).slice(0, 10)],
    ['base64 of null', encode(null)],
    ['a negative offset', encode({ limit: 10, offset: -1 })],
    ['a fractional offset', encode({ limit: 10, offset: 1.5 })],
    ['a non-numeric offset', encode({ limit: 10, offset: 'abc' })],
    ['a limit of 0', encode({ limit: 0, offset: 0 })],
    ['a limit above 250', encode({ limit: 251, offset: 0 })],
    ['a negative limit', encode({ limit: -5, offset: 0 })],
    ['a fractional limit', encode({ limit: 2.5, offset: 0 })],
    ['a non-numeric limit', encode({ limit: 'many', offset: 0 })],
  ])('rejects %s with n8n’s message', (_what, cursor) => {
    const err = decodeError(cursor);
    expect(err.message).toBe('An invalid cursor was provided');
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('VALIDATION_ERROR');
  });
});

describe('nextOffsetCursor', () => {
  it("uses n8n's exact encoding", () => {
    expect(nextOffsetCursor({ limit: 1, offset: 0 }, 5)).toBe('eyJsaW1pdCI6MSwib2Zmc2V0IjoxfQ==');
  });

  it('points to the next page and keeps the limit', () => {
    const next = nextOffsetCursor({ limit: 10, offset: 20 }, 100);
    expect(next).not.toBeNull();
    expect(JSON.parse(Buffer.from(next!, 'base64').toString('utf8'))).toEqual({ limit: 10, offset: 30 });
  });

  it('is null on the last page', () => {
    expect(nextOffsetCursor({ limit: 10, offset: 90 }, 100)).toBeNull();
    expect(nextOffsetCursor({ limit: 10, offset: 95 }, 100)).toBeNull();
    expect(nextOffsetCursor({ limit: 10, offset: 0 }, 10)).toBeNull();
  });

  it('is null when there is nothing at all', () => {
    expect(nextOffsetCursor({ limit: 10, offset: 0 }, 0)).toBeNull();
  });

  it('is null beyond the end', () => {
    expect(nextOffsetCursor({ limit: 10, offset: 500 }, 100)).toBeNull();
  });

  it('is not null when exactly one more item remains', () => {
    expect(nextOffsetCursor({ limit: 10, offset: 0 }, 11)).not.toBeNull();
  });
});

describe('round trip', () => {
  it('decodes the next cursor to the next page', () => {
    const page = { limit: 25, offset: 50 };
    expect(decodeOffsetCursor(nextOffsetCursor(page, 1000)!, 100)).toEqual({ limit: 25, offset: 75 });
  });

  it('walks every page exactly once', () => {
    const total = 23;
    const limit = 5;
    const offsets: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = decodeOffsetCursor(cursor, limit);
      offsets.push(page.offset);
      const next = nextOffsetCursor(page, total);
      if (next === null) break;
      cursor = next;
    }
    expect(offsets).toEqual([0, 5, 10, 15, 20]);
  });
});

describe('decodeOffsetCursor rejects cursors that are not offset objects', () => {
  const encode = (v: string) => Buffer.from(v).toString('base64');
  for (const raw of ['123', '"x"', '[]', '{}', '{"offset":"5"}', '{"offset":true}', '{"offset":1,"limit":0}']) {
    it(raw, () => {
      expect(() => decodeOffsetCursor(encode(raw), 10)).toThrow('An invalid cursor was provided');
    });
  }
});

describe('fetchOffsetPage', () => {
  const rows = Array.from({ length: 5 }, (_, i) => i);
  const source = async ({ offset, take }: { offset: number; take: number }) => rows.slice(offset, offset + take);

  it('asks for one row more than the page and emits n8n cursors only when more rows exist', async () => {
    const first = await fetchOffsetPage({ limit: 2, offset: 0 }, source);
    expect(first).toEqual({ data: [0, 1], nextCursor: nextOffsetCursor({ limit: 2, offset: 0 }, 5) });
    const last = await fetchOffsetPage(decodeOffsetCursor(nextOffsetCursor({ limit: 2, offset: 2 }, 5)!, 100), source);
    expect(last).toEqual({ data: [4], nextCursor: null });
    expect(await fetchOffsetPage({ limit: 5, offset: 0 }, source)).toEqual({ data: rows, nextCursor: null });
  });
});

describe('list cursors (keyset, with n8n offset cursors still accepted)', () => {
  it('round-trips a keyset position', () => {
    const last = { id: 'abc', createdAt: new Date('2026-01-02T03:04:05.678Z') };
    expect(decodeListCursor(encodeKeysetCursor(20, last), 100)).toEqual({ kind: 'keyset', limit: 20, after: last });
  });

  it("accepts n8n's offset cursor", () => {
    expect(decodeListCursor('eyJsaW1pdCI6Miwib2Zmc2V0IjoyfQ==', 100)).toEqual({ kind: 'offset', limit: 2, offset: 2 });
  });

  it.each([
    'garbage',
    Buffer.from('{"lastId":1}').toString('base64'),
    Buffer.from('{"lastId":"a","lastCreatedAt":"nope"}').toString('base64'),
  ])('rejects %s', (cursor) => {
    expect(() => decodeListCursor(cursor, 100)).toThrow('An invalid cursor was provided');
  });
});
