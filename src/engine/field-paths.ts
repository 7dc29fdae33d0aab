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

/** `a.b.c` → ['a', 'b', 'c']. */
export const dotPath = (path: string): string[] => (path === '' ? [] : path.split('.'));

const LODASH_SEGMENT = /[^.[\]]+|\[(?:(["'])(.*?)\1|([^\]]*))\]/g;

/** lodash's path syntax (`a.b`, `a[0].b`, `a["b.c"]`); a key the object holds literally is one segment. */
export function lodashPath(target: object, key: string): string[] {
  if (Object.hasOwn(target, key)) return [key];
  return Array.from(key.matchAll(LODASH_SEGMENT), (match) => match[2] ?? match[3] ?? match[0]);
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

/** lodash `get` on item JSON: a key that exists as written wins over a dot path. */
export function readPath(json: JsonObject, path: string): unknown {
  if (path === '' || Object.hasOwn(json, path)) return ownValue(json, path);
  return getAt(json, dotPath(path));
}

/** lodash `set` for plain objects along a dot path (Aggregate's output fields). */
export function writePath(json: JsonObject, path: string, value: unknown): void {
  setAt(json, dotPath(path), value, { arrays: false });
}

/** lodash `unset` on item JSON: the key as written when it exists, else the dot path. */
export function removePath(json: JsonObject, path: string): void {
  unsetAt(json, Object.hasOwn(json, path) ? [path] : dotPath(path));
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
