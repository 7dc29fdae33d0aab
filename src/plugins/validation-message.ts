import type { FastifySchemaValidationError } from 'fastify';

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', body: 'body', params: 'params', headers: 'headers' };

/**
 * Validation messages in the style n8n clients already parse (`request/body must have required property
 * 'name'`), but naming every offending key, which n8n does not always do. Only the first problem is put in
 * `message`; all of them go to `details`.
 */
export function formatValidationError(context: string | undefined, issues: FastifySchemaValidationError[]): string {
  const base = `request/${CONTEXT_NAMES[context ?? ''] ?? context ?? 'body'}`;
  const first = issues[0];
  if (!first) return `${base} is invalid`;
  const segments = first.instancePath.split('/').filter(Boolean);
  const params = first.params as { keys?: string[]; expected?: string };
  if (first.keyword === 'unrecognized_keys' && params.keys) {
    const where = [base, ...segments].join('/');
    return `${where} Unrecognized key(s) in object: ${params.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (first.keyword === 'invalid_type' && /received undefined$/.test(first.message ?? '')) {
    const property = segments.pop();
    if (property === undefined) return `${base} is required`;
    return `${[base, ...segments].join('/')} must have required property '${property}'`;
  }
  return `${[base, ...segments].join('/')} ${first.message}`;
}

/** The same message for a zod error raised outside Fastify's validator (bodies validated by hand). */
export function formatZodError(
  context: string,
  error: { issues: { code: string; path: PropertyKey[]; message: string; keys?: string[] }[] },
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
  );
}
