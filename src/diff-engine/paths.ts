import { OperationError } from './types.ts';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** `parameters.rules.values[0].value` → ['parameters', 'rules', 'values', 0, 'value'] */
export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match || (match[1] === '' && match[2] === '')) {
      throw new OperationError('VALIDATION_ERROR', `Invalid path "${path}": write it like "parameters.url" or "parameters.items[0].name"`);
    }
    if (match[1] !== '') segments.push(/^\d+$/.test(match[1]!) ? Number(match[1]) : match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  for (const segment of segments) {
    if (typeof segment === 'string' && FORBIDDEN.has(segment))
      throw new OperationError('VALIDATION_ERROR', `Invalid path "${path}": "${segment}" is not allowed`);
  }
  return segments;
}

type Container = Record<string | number, unknown>;
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/**
 * Sets `value` at `path`, creating missing intermediate objects; `null` deletes (an array element is spliced out).
 * Arrays are addressed by existing index only: writing past the end is an error rather than a silent hole.
 */
export function setPath(target: Container, path: string, value: unknown) {
  const segments = parsePath(path);
  let current: Container = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    checkIndex(current, segment, path);
    let next = current[segment];
    if (!isContainer(next)) {
      if (value === null) return; // deleting below a missing parent: nothing to do
      next = typeof segments[i + 1] === 'number' ? [] : {};
      current[segment] = next;
    }
    current = next as Container;
  }
  const last = segments.at(-1)!;
  checkIndex(current, last, path, value === null);
  if (value === null) {
    if (Array.isArray(current) && typeof last === 'number') current.splice(last, 1);
    else delete current[last];
  } else {
    current[last] = value;
  }
}

function checkIndex(container: Container, segment: string | number, path: string, deleting = false) {
  if (!Array.isArray(container)) return;
  if (typeof segment !== 'number') {
    throw new OperationError(
      'VALIDATION_ERROR',
      `Invalid path "${path}": "${segment}" is not an array index; address elements as items[0]`,
    );
  }
  // Appending at exactly the end is allowed (items[length]); anything further would leave holes.
  const limit = deleting ? container.length - 1 : container.length;
  if (segment > limit) {
    throw new OperationError(
      'VALIDATION_ERROR',
      `Invalid path "${path}": index ${segment} is out of range for an array of ${container.length} item(s)`,
    );
  }
}
