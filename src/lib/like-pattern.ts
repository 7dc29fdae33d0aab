/**
 * A LIKE/ILIKE pattern matching values that contain `text` as written: its `%`, `_` and `\` are escaped (PostgreSQL's
 * default escape character), so a client's search text is never a pattern of its own.
 */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
