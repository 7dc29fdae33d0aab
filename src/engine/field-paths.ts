import { NodeOperationError } from './node-types.ts';
import type { JsonObject } from './types.ts';

/**
 * Every walk of a path into item data or parameters goes through here (Set, Split Out, Aggregate, Sort, Merge,
 * parameter reads). Paths come from node parameters, which may be expressions over webhook input, so a path must
 * never reach a prototype: `arr.__proto__.flat` deleted through an item once removed Array.prototype.flat from the
 * whole server. `__proto__`, `constructor` and `prototype` are therefore never walked, read, written or deleted
 * (lodash's own set/unset ignore them the same way), and only own properties are followed.
 */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** How far past an array's end a path may write (`items[3]` on an empty list pads with empty slots, as lodash does). */
export const MAX_ARRAY_GAP = 10_000;

type Container = Record<string | number, unknown>;

const isContainer = (value: unknown): value is Container => value !== null && typeof value === 'object';

export const isSafeKey = (key: string | number) => typeof key === 'number' || !UNSAFE_KEYS.has(key);

/** `container[key]` if it is the container's own property and a safe key; never an inherited value. */
export function ownValue(container: unknown, key: string | number): unknown {
  if (!isContainer(container) || !isSafeKey(key)) return undefined;
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

/**
 * `target[key] = value` that can never invoke the `__proto__` setter: such a key becomes an ordinary own property,
 * as JSON.parse makes it.
 */
export function assignOwn(target: Container, key: string | number, value: unknown): void {
  if (isSafeKey(key)) target[key] = value;
  else Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

// lodash's own patterns (isKey, stringToPath): a field path in n8n is whatever lodash `get`/`set`/`unset` make of it.
const PLAIN_KEY = /^\w*$/;
const DEEP_PATH = /\.|\[(?:[^[\]]*|(["'])(?:(?!\1)[^\\]|\\.)*?\1)\]/;
const PATH_SEGMENT = /[^.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]|(?=(?:\.|\[\])(?:\.|\[\]|$))/g;
const ESCAPED_CHAR = /\\(\\)?/g;

/**
 * A field path as lodash parses it (`castPath`): `a.b`, `a[0].b`, `a["b.c"]`, `a['it\'s']`, `a..b` (an empty key
 * between). One segment when the path has neither a dot nor a bracket, or when `target` holds it as an own key as
 * written (lodash also accepts an inherited key there; here only own keys count).
 */
export function parsePath(target: unknown, path: string): string[] {
  if (PLAIN_KEY.test(path) || !DEEP_PATH.test(path) || (isContainer(target) && Object.hasOwn(target, path))) return [path];
  const segments = path.startsWith('.') ? [''] : [];
  for (const [segment, index, quote, quoted = ''] of path.matchAll(PATH_SEGMENT)) {
    segments.push(quote ? quoted.replace(ESCAPED_CHAR, '$1') : (index ?? segment));
  }
  return segments;
}

/** The value at `segments`, following own properties only; undefined when any step is missing or unsafe. */
export function getAt(root: unknown, segments: readonly string[]): unknown {
  let current = root;
  for (const segment of segments) {
    current = ownValue(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Sets `value` at `segments`, creating (or replacing scalar) parents: objects, or arrays before an index when
 * `arrays` is set (lodash `set`). A path with an unsafe segment changes nothing.
 */
export function setAt(root: Container, segments: readonly string[], value: unknown, options: { arrays: boolean }): void {
  if (segments.length === 0 || !segments.every(isSafeKey)) return;
  let current = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    checkGap(current, segment, segments);
    let next = ownValue(current, segment);
    if (!isContainer(next)) {
      next = options.arrays && ARRAY_INDEX.test(segments[i + 1] ?? '') ? [] : {};
      current[segment] = next;
    }
    current = next as Container;
  }
  const last = segments.at(-1)!;
  checkGap(current, last, segments);
  current[last] = value;
}

/** Deletes the value at `segments` (lodash `unset`); missing or unsafe paths change nothing. */
export function unsetAt(root: Container, segments: readonly string[]): void {
  if (segments.length === 0 || !segments.every(isSafeKey)) return;
  const parent = getAt(root, segments.slice(0, -1));
  const last = segments.at(-1)!;
  if (isContainer(parent) && Object.hasOwn(parent, last)) delete parent[last];
}

/** Writing far past an array's end would make a huge sparse array, which every later copy of the item expands. */
function checkGap(container: Container, segment: string, segments: readonly string[]): void {
  if (!Array.isArray(container) || !ARRAY_INDEX.test(segment)) return;
  if (Number(segment) > container.length + MAX_ARRAY_GAP) {
    throw new NodeOperationError(
      `The field "${segments.join('.')}" writes index ${segment} of a list of ${container.length}: at most ${MAX_ARRAY_GAP} past its end`,
    );
  }
}

/** lodash `get` on item JSON (a key that exists as written wins over the path). */
export function readPath(json: JsonObject, path: string): unknown {
  return getAt(json, parsePath(json, path));
}

/** lodash `set` on item JSON: missing or scalar parents become objects, or arrays before an index (`list[0].name`). */
export function writePath(json: JsonObject, path: string, value: unknown): void {
  setAt(json, parsePath(json, path), value, { arrays: true });
}

/** lodash `unset` on item JSON: the key as written when it exists, else the path. */
export function removePath(json: JsonObject, path: string): void {
  unsetAt(json, parsePath(json, path));
}

/** A field named in a node parameter: n8n's `disableDotNotation ? json[field] : get(json, field)`, own keys only. */
export function readField(json: JsonObject, field: string, disableDotNotation: boolean): unknown {
  return disableDotNotation ? ownValue(json, field) : readPath(json, field);
}

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
