import type { FastifySchemaValidationError } from 'fastify';

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', body: 'body', params: 'params', headers: 'headers' };

/**
 * Validation messages in the style n8n clients already parse (`request/body must have required property
 * 'name'`), but naming every offending key, which n8n does not always do. Only the first problem is put in
 * `message`; all of them go to `details`.
 */
export function formatValidationError(context: string | undefined, issues: FastifySchemaValidationError[], body?: unknown): string {
  const base = `request/${CONTEXT_NAMES[context ?? ''] ?? context ?? 'body'}`;
  const first = issues[0];
  if (!first) return `${base} is invalid`;
  const segments = first.instancePath.split('/').filter(Boolean);
  const node = context === 'body' || context === undefined ? nodeNamed(body, segments) : '';
  const params = first.params as { keys?: string[]; expected?: string };
  if (first.keyword === 'unrecognized_keys' && params.keys) {
    const where = [base, ...segments].join('/');
    const fix =
      node && segments.length === 2 ? `${node}: n8n's node schema has no such key; remove it (free text belongs in "notes")` : node;
    return `${where} Unrecognized key(s) in object: ${params.keys.map((k) => `'${k}'`).join(', ')}${fix}`;
  }
  if (isMissing(first)) {
    const property = segments.pop();
    if (property === undefined) return `${base} is required`;
    return `${[base, ...segments].join('/')} must have required property '${property}'${node}${unknownKeysBeside(issues, segments)}`;
  }
  return `${[base, ...segments].join('/')} ${first.message}${node}`;
}

const pathOf = (issue: FastifySchemaValidationError) => issue.instancePath.split('/').filter(Boolean).join('/');
const isMissing = (issue: FastifySchemaValidationError) =>
  issue.keyword === 'invalid_type' && /received undefined$/.test(issue.message ?? '');

/**
 * A typo'd key (`nodez`) shows up as a missing property plus an unknown key of the same object; the message names
 * both, and suggests the missing property the unknown key is closest to: `; unknown key 'nodez' (did you mean
 * 'nodes'?)`. Empty when that object has no unknown key.
 */
function unknownKeysBeside(issues: FastifySchemaValidationError[], objectPath: string[]): string {
  const at = objectPath.join('/');
  const unknown = issues
    .filter((issue) => issue.keyword === 'unrecognized_keys' && pathOf(issue) === at)
    .flatMap((issue) => (issue.params as { keys?: string[] }).keys ?? []);
  if (!unknown.length) return '';
  const missing = issues.filter((issue) => isMissing(issue) && pathOf(issue).split('/').slice(0, -1).join('/') === at);
  const candidates = missing.map((issue) => pathOf(issue).split('/').pop() ?? '');
  const named = unknown.map((key) => {
    const guess = closest(key, candidates);
    return guess ? `'${key}' (did you mean '${guess}'?)` : `'${key}'`;
  });
  return `; unknown key${unknown.length > 1 ? 's' : ''} ${named.join(', ')}`;
}

/** The candidate within two edits of `key` (case ignored), the nearest first; undefined when none is that close. */
function closest(key: string, candidates: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < key.length && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance; keys are short (the unknown ones are capped by the body's size, candidates are ours). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * A problem inside `nodes/<i>` of a workflow body names the node, so a client with 200 nodes does not have to
 * count: ` (node "HTTP Request")`, or its type when it has no name.
 */
function nodeNamed(body: unknown, segments: string[]): string {
  if (segments[0] !== 'nodes' || segments.length < 2) return '';
  const nodes = (body as { nodes?: unknown } | null)?.nodes;
  const node = Array.isArray(nodes) ? (nodes[Number(segments[1])] as { name?: unknown; type?: unknown } | undefined) : undefined;
  if (typeof node?.name === 'string' && node.name) return ` (node "${node.name}")`;
  return typeof node?.type === 'string' ? ` (the ${node.type} node at index ${segments[1]}: every node needs a unique name)` : '';
}

/** The same message for a zod error raised outside Fastify's validator (bodies validated by hand). */
export function formatZodError(
  context: string,
  error: { issues: { code: string; path: PropertyKey[]; message: string; keys?: string[] }[] },
  body?: unknown,
): string {
  return formatValidationError(
    context,
    error.issues.map((issue) => ({
      keyword: issue.code,
      instancePath: `/${issue.path.map(String).join('/')}`,
      schemaPath: '',
      message: issue.message,
      params: { keys: issue.keys },
    })),
    body,
  );
}
