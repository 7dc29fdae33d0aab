/**
 * The JavaScript built-ins the fast path calls itself (fast-path.ts): pure functions of primitive arguments whose
 * result is bounded by their input, called on values no larger than the limits below. The server's V8 is the
 * runners' V8, so `" Ada ".trim()` gives here exactly what it gives there. Anything not listed (a callback, a
 * RegExp, `repeat`, `padStart`, `replaceAll`: whatever could turn a small input into a large output) goes to a
 * runner.
 */
const MAX_STRING = 100_000;
const MAX_ARRAY = 10_000;

type Primitive = string | number | boolean | null | undefined;
type Method = (self: never, args: Primitive[]) => unknown;

const isInt = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const allStrings = (args: Primitive[]) => args.every((arg) => typeof arg === 'string');
const refuse = (): never => {
  throw new RefusedCall();
};

/** This call is for a runner. */
export class RefusedCall extends Error {}

function stringMethod(name: string, check: (self: string, args: Primitive[]) => boolean = () => true): Method {
  const method = (String.prototype as unknown as Record<string, (...args: Primitive[]) => unknown>)[name]!;
  return (self: string, args) => (check(self, args) ? method.apply(self, args) : refuse());
}

const STRING_METHODS: Record<string, Method> = {
  toUpperCase: stringMethod('toUpperCase'),
  toLowerCase: stringMethod('toLowerCase'),
  trim: stringMethod('trim'),
  trimStart: stringMethod('trimStart'),
  trimEnd: stringMethod('trimEnd'),
  toString: stringMethod('toString'),
  valueOf: stringMethod('valueOf'),
  includes: stringMethod('includes', (_s, args) => allStrings(args.slice(0, 1))),
  startsWith: stringMethod('startsWith', (_s, args) => allStrings(args.slice(0, 1))),
  endsWith: stringMethod('endsWith', (_s, args) => allStrings(args.slice(0, 1))),
  indexOf: stringMethod('indexOf', (_s, args) => allStrings(args.slice(0, 1))),
  lastIndexOf: stringMethod('lastIndexOf', (_s, args) => allStrings(args.slice(0, 1))),
  slice: stringMethod('slice'),
  substring: stringMethod('substring'),
  charAt: stringMethod('charAt'),
  at: stringMethod('at'),
  concat: stringMethod(
    'concat',
    (self, args) => allStrings(args) && args.reduce((n, a) => n + (a as string).length, self.length) <= MAX_STRING * 10,
  ),
  // A string separator only (a RegExp would be an object anyway); the pieces never outgrow the input.
  split: stringMethod('split', (_s, args) => typeof args[0] === 'string' && (args.length === 1 || isInt(args[1], 0, MAX_ARRAY))),
  // One replacement of a plain string, without `$` patterns in the replacement.
  replace: stringMethod('replace', (_s, args) => allStrings(args) && args.length === 2 && !(args[1] as string).includes('$')),
};

const NUMBER_METHODS: Record<string, Method> = {
  toFixed: (self: number, args: Primitive[]) => (args.length === 0 || isInt(args[0], 0, 100) ? self.toFixed(args[0] as number) : refuse()),
  toPrecision: (self: number, args: Primitive[]) =>
    args.length === 0 || isInt(args[0], 1, 100) ? self.toPrecision(args[0] as number) : refuse(),
  toString: (self: number, args: Primitive[]) => (args.length === 0 || isInt(args[0], 2, 36) ? self.toString(args[0] as number) : refuse()),
  valueOf: (self: number) => self.valueOf(),
};

const BOOLEAN_METHODS: Record<string, Method> = {
  toString: (self: boolean) => self.toString(),
  valueOf: (self: boolean) => self.valueOf(),
};

const isPrimitive = (value: unknown): value is Primitive => value === null || (typeof value !== 'object' && typeof value !== 'function');

const ARRAY_METHODS: Record<string, Method> = {
  includes: (self: unknown[], args: Primitive[]) => self.includes(args[0]),
  indexOf: (self: unknown[], args: Primitive[]) => self.indexOf(args[0]),
  at: (self: unknown[], args: Primitive[]) =>
    args.length === 1 && isInt(args[0], -MAX_ARRAY, MAX_ARRAY) ? self.at(args[0] as number) : refuse(),
  // Of primitives only: an element that is an object or a list would go through its own toString.
  join: (self: unknown[], args: Primitive[]) =>
    self.every(isPrimitive) && (args.length === 0 || typeof args[0] === 'string') && ((args[0] as string | undefined)?.length ?? 1) <= 1000
      ? self.join(args[0] as string | undefined)
      : refuse(),
  slice: (self: unknown[], args: Primitive[]) => self.slice(...(args as number[])),
};

/** The method `name` of a primitive or list value, if it is one the fast path calls itself. */
export function methodOf(value: unknown, name: string): Method | undefined {
  if (typeof value === 'string')
    return value.length <= MAX_STRING && Object.hasOwn(STRING_METHODS, name) ? STRING_METHODS[name] : undefined;
  if (typeof value === 'number') return Object.hasOwn(NUMBER_METHODS, name) ? NUMBER_METHODS[name] : undefined;
  if (typeof value === 'boolean') return Object.hasOwn(BOOLEAN_METHODS, name) ? BOOLEAN_METHODS[name] : undefined;
  if (Array.isArray(value)) return value.length <= MAX_ARRAY && Object.hasOwn(ARRAY_METHODS, name) ? ARRAY_METHODS[name] : undefined;
  return undefined;
}

const MATH: Record<string, (...args: number[]) => number> = {
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  abs: Math.abs,
  trunc: Math.trunc,
  sign: Math.sign,
  sqrt: Math.sqrt,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
};

/** Global functions of primitives: `Number(x)`, `String(x)`, `parseInt(s)`, and Math's arithmetic. */
export const GLOBAL_FUNCTIONS: Record<string, (args: Primitive[]) => unknown> = {
  Number: (args) => Number(...(args as [])),
  String: (args) => (args.length ? String(args[0]) : ''),
  Boolean: (args) => Boolean(args[0]),
  parseInt: (args) =>
    typeof args[0] === 'string' && args[0].length <= MAX_STRING ? Number.parseInt(args[0], args[1] as number) : refuse(),
  parseFloat: (args) => (typeof args[0] === 'string' && args[0].length <= MAX_STRING ? Number.parseFloat(args[0]) : refuse()),
  isNaN: (args) => Number.isNaN(Number(args[0])),
};

export function mathFunction(name: string): ((args: Primitive[]) => unknown) | undefined {
  if (!Object.hasOwn(MATH, name)) return undefined;
  const fn = MATH[name]!;
  // Math coerces its arguments: only numbers here (a string argument is still JavaScript's answer, so: a runner).
  return (args) => (args.length <= 100 && args.every((a) => typeof a === 'number') ? fn(...(args as number[])) : refuse());
}
