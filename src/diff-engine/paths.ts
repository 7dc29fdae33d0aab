import { MAX_PATH_LENGTH, MAX_PATH_SEGMENTS } from './limits.ts';
import { OperationError } from './types.ts';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A parsed path: object keys are strings, array indexes numbers (`items[0]` and `items.0` alike). */
export type PathSegment = string | number;

const invalid = (path: string, why: string) => new OperationError('VALIDATION_ERROR', `Invalid path "${path}": ${why}`);

/** `parameters.rules.values[0].value` → ['parameters', 'rules', 'values', 0, 'value'] */
export function parsePath(path: string): PathSegment[] {
  if (path.length > MAX_PATH_LENGTH) {
    throw new OperationError(
      'VALIDATION_ERROR',
      `Invalid path "${path.slice(0, 40)}…": it has ${path.length} characters; a path may have at most ${MAX_PATH_LENGTH}`,
    );
  }
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match || (match[1] === '' && match[2] === '')) {
      throw invalid(path, 'write it like "parameters.url" or "parameters.items[0].name"');
    }
    if (match[1] !== '') segments.push(/^\d+$/.test(match[1]!) ? Number(match[1]) : match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  if (segments.length > MAX_PATH_SEGMENTS) {
    throw invalid(path, `it has ${segments.length} segments; a path may have at most ${MAX_PATH_SEGMENTS}`);
  }
  for (const segment of segments) {
    if (typeof segment === 'string' && FORBIDDEN.has(segment)) throw invalid(path, `"${segment}" is not allowed`);
    if (typeof segment === 'number' && !Number.isSafeInteger(segment)) throw invalid(path, 'an array index is too large');
  }
  return segments;
}

type Container = Record<string | number, unknown>;
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** Where a change lands: the object or array holding the last segment, and that segment. */
export interface PathTarget {
  container: Container;
  key: PathSegment;
}

/**
 * Sets `value` at `path`. Missing intermediate objects are created for object keys only: an index never creates
 * an array (`created[0]` when `created` is missing is an error saying to create the array first), and arrays are
 * addressed by existing index, or exactly at the end to append, so no path can allocate a large or holed array.
 */
export function setPath(target: Container, path: string, value: unknown) {
  const { container, key } = walk(target, path, 'set')!;
  container[key] = value;
}

/**
 * What deleting `path` would remove, resolved now so that several deletions can address the document as it was
 * before any of them ran; undefined when there is nothing to delete (a missing or scalar parent).
 */
export function findDeletion(target: Container, path: string): PathTarget | undefined {
  return walk(target, path, 'delete');
}

/** Deletes resolved targets: object keys, then array elements from the highest index down, so none shifts another. */
export function deleteTargets(targets: PathTarget[]) {
  const indexesByArray = new Map<unknown[], Set<number>>();
  for (const { container, key } of targets) {
    if (Array.isArray(container)) {
      const indexes = indexesByArray.get(container) ?? new Set();
      indexesByArray.set(container, indexes.add(key as number));
    } else {
      delete container[key];
    }
  }
  for (const [array, indexes] of indexesByArray) {
    for (const index of [...indexes].sort((a, b) => b - a)) array.splice(index, 1);
  }
}

function walk(target: Container, path: string, mode: 'set' | 'delete'): PathTarget | undefined {
  const segments = parsePath(path);
  let current: Container = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    checkSegment(current, segments, i, path, false);
    let next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (!isContainer(next)) {
      if (mode === 'delete') return undefined; // deleting below a missing or scalar parent: nothing to do
      if (typeof segments[i + 1] === 'number') throw notAnArray(path, segments, i, next);
      next = {};
      current[segment] = next;
    }
    current = next as Container;
  }
  checkSegment(current, segments, segments.length - 1, path, mode === 'delete');
  return { container: current, key: segments.at(-1)! };
}

/** `segments[at]` must fit `container`, the value at `segments[0..at)`: an array takes an index in range, an object a key. */
function checkSegment(container: Container, segments: PathSegment[], at: number, path: string, deleting: boolean) {
  const segment = segments[at]!;
  if (!Array.isArray(container)) {
    if (typeof segment === 'number') throw notAnArray(path, segments, at - 1, container);
    return;
  }
  if (typeof segment !== 'number') throw invalid(path, `"${segment}" is not an array index; address elements as items[0]`);
  // Appending at exactly the end is allowed (items[length]); anything further would leave holes.
  const limit = deleting ? container.length - 1 : container.length;
  if (segment > limit) throw invalid(path, `index ${segment} is out of range for an array of ${container.length} item(s)`);
}

/** `segments[0..=at]` leads to `value`, which a following index treats as an array. */
function notAnArray(path: string, segments: PathSegment[], at: number, value: unknown): OperationError {
  if (at < 0) return invalid(path, 'a node is not an array; start the path with a field such as "parameters"');
  const lastKey = segments.slice(0, at + 1).findLastIndex((s) => typeof s === 'string');
  const name = formatPath(segments.slice(Math.max(lastKey, 0), at + 1));
  const prefix = formatPath(segments.slice(0, at + 1));
  const fix = isContainer(value)
    ? `numeric segments address array elements only; set the object whole instead, e.g. {"${prefix}": {...}}`
    : `create the array first, e.g. {"${prefix}": [...]}`;
  return invalid(path, `"${name}" is not an array (it is ${describe(value)}); ${fix}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** ['parameters', 'items', 0, 'name'] → "parameters.items[0].name" */
export function formatPath(segments: PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}
