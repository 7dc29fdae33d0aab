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
  if (first.keyword === 'invalid_type' && /received undefined$/.test(first.message ?? '')) {
    const property = segments.pop();
    if (property === undefined) return `${base} is required`;
    return `${[base, ...segments].join('/')} must have required property '${property}'${node}`;
  }
  return `${[base, ...segments].join('/')} ${first.message}${node}`;
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
