import { NodeOperationError } from '../node-types.ts';
import { getPath } from '../parameters.ts';
import type { JsonObject } from '../types.ts';

/** A comma-separated list parameter (or an array), as n8n's prepareFieldsArray reads it. */
export function fieldList(value: unknown, label: string): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }
  throw new NodeOperationError(`The '${label}' parameter must be a string of fields separated by commas or an array of strings.`);
}

/** lodash `get` semantics: a key that exists as written wins over a dot path. */
export function readPath(json: JsonObject, path: string): unknown {
  return path === '' || path in json ? json[path] : getPath(json, path);
}
