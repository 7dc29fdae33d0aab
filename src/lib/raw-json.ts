import type { FastifyReply } from 'fastify';

/**
 * JSON text produced elsewhere (by PostgreSQL, from a jsonb column), to be placed in a response as it is: a
 * workflow's nodes are never parsed and serialized again just to pass through.
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** Inside stringifyWithRaw: a marker for the text. Anywhere else (a log line, say): the value itself. */
  toJSON(): unknown {
    if (!collecting) return JSON.parse(this.text);
    collecting.push(this.text);
    return `${MARKER}${collecting.length - 1}`;
  }
}

/** A value as JSON text for a jsonb parameter, or SQL NULL for null and undefined. */
export const jsonTextOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** `text` as RawJson, or JSON null when the column is SQL NULL. */
export const rawJsonOrNull = (text: string | null): RawJson => new RawJson(text ?? 'null');

// U+0000 cannot occur in anything stored (PostgreSQL's text and jsonb refuse it), so JSON.stringify writes `\u0000`
// only for a marker: a stored backslash comes out doubled (`\\u0000`), which the pattern does not match.
const MARKER = '\u0000';
const MARKERS = /"\\u0000(\d+)"/g;
let collecting: string[] | undefined;

/**
 * JSON.stringify for plain data whose values may be RawJson, spliced in verbatim: one native stringify of the
 * small fields, then the texts put in place of their markers.
 */
export function stringifyWithRaw(value: unknown): string {
  const texts: string[] = [];
  collecting = texts;
  try {
    const json = JSON.stringify(value);
    return texts.length ? json.replace(MARKERS, (_, index: string) => texts[Number(index)]!) : json;
  } finally {
    collecting = undefined;
  }
}

/**
 * Sends JSON text built by a pass-through read as it is: the route's response schema is not run over it (it was
 * run over the stored document on save, and the equivalence tests hold the two paths to the same answer).
 */
export function sendJsonText(reply: FastifyReply, text: string) {
  return reply
    .type('application/json; charset=utf-8')
    .serializer((payload: unknown) => String(payload))
    .send(text);
}
