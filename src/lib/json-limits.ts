/**
 * Checks on parsed JSON that the schemas cannot make: how deep it nests, and whether its strings can be stored.
 * PostgreSQL's text and jsonb types cannot hold U+0000, and an unpaired UTF-16 surrogate is not Unicode at all
 * (jsonb refuses it; text would silently turn it into U+FFFD). Both arrive only as `\u` escapes, since raw control
 * characters are not valid JSON and raw bytes cannot encode a lone surrogate.
 */
export const MAX_JSON_DEPTH = 64;

export interface JsonProblem {
  /** Where, as `a/b/0/c` below the document's root ('' for the root itself). */
  path: string;
  message: string;
}

const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** Whether a JSON text can contain a string that cannot be stored (false is certain; true means "look"). */
export const mayHoldUnstorableString = (text: string) => UNSTORABLE_ESCAPE.test(text);

/** What is wrong with a string that cannot be stored, or undefined when it can be. */
export function unstorableReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored: remove it';
  if (!value.isWellFormed())
    return 'contains an unpaired UTF-16 surrogate (\\uD800-\\uDFFF), which is not valid Unicode: send the character as a surrogate pair, or remove it';
  return undefined;
}

/** The first problem in `value`: nesting deeper than `maxDepth`, or (with `strings`) an unstorable key or string. */
export function findJsonProblem(value: unknown, options: { strings: boolean; maxDepth?: number }): JsonProblem | undefined {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const visit = (node: unknown, path: string, depth: number): JsonProblem | undefined => {
    if (typeof node === 'string') {
      const reason = options.strings ? unstorableReason(node) : undefined;
      return reason ? { path, message: reason } : undefined;
    }
    if (typeof node !== 'object' || node === null) return undefined;
    if (depth >= maxDepth) {
      return { path, message: `is nested more than ${maxDepth} levels deep; flatten the structure` };
    }
    const entries = Array.isArray(node) ? node.entries() : Object.entries(node);
    for (const [key, child] of entries) {
      const childPath = path === '' ? String(key) : `${path}/${key}`;
      const keyReason = options.strings && typeof key === 'string' ? unstorableReason(key) : undefined;
      if (keyReason) return { path: childPath, message: `has a key that ${keyReason}` };
      const problem = visit(child, childPath, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(value, '', 0);
}
