import { getAt, parsePath } from './field-paths.ts';

/**
 * A node parameter by name (`options.timeout`, `rules.values[0]`): lodash `get`, as n8n's getNodeParameter reads
 * it, with the same path reader the nodes use on item fields.
 */
export function getPath(root: unknown, path: string): unknown {
  return path === '' ? root : getAt(root, parsePath(root, path));
}

/** Whether a parameter value holds an expression (n8n marks them with a leading `=`). */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

/** Whether anything inside `value` is an expression (so plain parameters skip the evaluator entirely). */
export function containsExpression(value: unknown): boolean {
  if (isExpression(value)) return true;
  if (Array.isArray(value)) return value.some(containsExpression);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
  return false;
}

/** Rebuilds `value` with every expression string replaced by `resolve(expression)`. */
export function mapExpressions(value: unknown, resolve: (expression: string) => unknown): unknown {
  if (isExpression(value)) return resolve(value);
  if (Array.isArray(value)) return value.map((v) => mapExpressions(v, resolve));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapExpressions(v, resolve);
    return out;
  }
  return value;
}
