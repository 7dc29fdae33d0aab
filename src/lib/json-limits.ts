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
  const { strings } = options;
  // Paths are only built on the way out of a problem: the walk runs on every API body, problems are rare.
  const visit = (node: unknown, depth: number): JsonProblem | undefined => {
    if (typeof node === 'string') {
      const reason = strings ? unstorableReason(node) : undefined;
      return reason ? { path: '', message: reason } : undefined;
    }
    if (typeof node !== 'object' || node === null) return undefined;
    if (depth >= maxDepth) return { path: '', message: `is nested more than ${maxDepth} levels deep; flatten the structure` };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const problem = visit(node[i], depth + 1);
        if (problem) return within(String(i), problem);
      }
      return undefined;
    }
    for (const key in node) {
      const keyReason = strings ? unstorableReason(key) : undefined;
      if (keyReason) return { path: key, message: `has a key that ${keyReason}` };
      const problem = visit((node as Record<string, unknown>)[key], depth + 1);
      if (problem) return within(key, problem);
    }
    return undefined;
  };
  return visit(value, 0);
}

const within = (key: string, problem: JsonProblem): JsonProblem => ({ ...problem, path: problem.path ? `${key}/${problem.path}` : key });
