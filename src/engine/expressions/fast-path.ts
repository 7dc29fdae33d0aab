import { lookup, type RunView } from '../data-context.ts';
import type { RunMetadata } from '../runner/protocol.ts';
import type { Item } from '../types.ts';
import { GLOBAL_FUNCTIONS, mathFunction, methodOf, RefusedCall } from './fast-path-builtins.ts';
import { compile, type Node, NotHere, notHere } from './fast-path-parser.ts';
import { parseTemplate, type Segment } from './template.ts';

/**
 * Most expressions in real workflows read data and do a little arithmetic: `{{ $json.body.n }}`,
 * `{{ $json.n + 1 }}`, `={{ $('Webhook').item.json.email }}`, `=Hi {{ $json.name }}`. Those are answered here,
 * in the server, by an interpreter that runs no user code: it knows data access (own properties only, through the
 * same data context the runners use), literals and JavaScript's operators on primitive values. Anything else (a
 * method call, a function, an operator on an object, a missing value that JavaScript would throw on) is not
 * guessed at: the expression goes to a runner, which gives the exact JavaScript answer. So this path can only
 * ever agree with the runner, never differ from it.
 */

// ---------------------------------------------------------------------------------------------------- evaluation

/** What an expression can read: the node's input items, the run (built only when a lookup needs it), the metadata. */
export interface FastScope {
  items: Item[];
  view(): RunView;
  meta: RunMetadata;
}

/** Handles for the accessors that are not data themselves. */
type Handle =
  | { h: 'input' }
  | { h: 'node'; name: string }
  | { h: 'nodes' }
  | { h: 'proxy'; name: string }
  | { h: 'dollar' }
  | { h: 'math' }
  /** A built-in to call: a method bound to its value, or a global function. */
  | { h: 'call'; run: (args: unknown[]) => unknown };

const handles = new WeakSet<object>();
const handle = (value: Handle): Handle => {
  handles.add(value);
  return value;
};
const isHandle = (value: unknown): value is Handle => typeof value === 'object' && value !== null && handles.has(value);

const isPrimitive = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');

function evaluate(node: Node, scope: FastScope, itemIndex: number): unknown {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'id':
      return identifier(node.name, scope, itemIndex);
    case 'member':
      return member(node, scope, itemIndex);
    case 'call':
      return call(node, scope, itemIndex);
    case 'unary': {
      const value = evaluate(node.arg, scope, itemIndex);
      if (node.op === '!') return !value;
      if (!isPrimitive(value) || isHandle(value)) notHere();
      return node.op === '-' ? -(value as number) : +(value as number);
    }
    case 'cond':
      return evaluate(node.test, scope, itemIndex) ? evaluate(node.then, scope, itemIndex) : evaluate(node.else, scope, itemIndex);
    case 'binary':
      return binaryOp(node, scope, itemIndex);
  }
}

function identifier(name: string, scope: FastScope, itemIndex: number): unknown {
  switch (name) {
    case '$json':
      return scope.items[itemIndex]?.json ?? {};
    case '$binary':
      return scope.items[itemIndex]?.binary ?? {};
    case '$itemIndex':
      return itemIndex;
    case '$runIndex':
      return scope.meta.runIndex;
    case '$workflow':
      return scope.meta.workflow;
    case '$execution':
      return scope.meta.execution;
    case '$vars':
      return scope.meta.vars;
    case '$input':
      return handle({ h: 'input' });
    case '$node':
      return handle({ h: 'nodes' });
    case '$':
      return handle({ h: 'dollar' });
    case 'Math':
      return handle({ h: 'math' });
    default: {
      const fn = GLOBAL_FUNCTIONS[name];
      return fn ? handle({ h: 'call', run: fn as (args: unknown[]) => unknown }) : notHere();
    }
  }
}

/** A method of a primitive or list the fast path may call, bound to that value; undefined when it may not. */
function boundMethod(value: unknown, key: string): Handle | undefined {
  const method = methodOf(value, key);
  return method ? handle({ h: 'call', run: (args) => method(value as never, args as never) }) : undefined;
}

function member(node: Node & { t: 'member' }, scope: FastScope, itemIndex: number): unknown {
  const object = evaluate(node.obj, scope, itemIndex);
  if (object === null || object === undefined) return node.optional ? undefined : notHere();
  const raw = evaluate(node.key, scope, itemIndex);
  if (typeof raw !== 'string' && typeof raw !== 'number') return notHere();
  const key: string | number = raw;
  if (isHandle(object)) return handleMember(object, String(key), scope, itemIndex);
  if (typeof object === 'string') {
    if (key === 'length') return object.length;
    if (Number.isInteger(Number(key)) && String(Number(key)) === String(key)) return object[Number(key)];
    return boundMethod(object, String(key)) ?? notHere();
  }
  if (typeof object !== 'object') return boundMethod(object, String(key)) ?? notHere();
  // An inherited property (a method, `constructor`) is JavaScript's business: the runner answers.
  if (!Object.hasOwn(object, key)) {
    if (Array.isArray(object)) return boundMethod(object, String(key)) ?? (isInherited(object, String(key)) ? notHere() : undefined);
    if (Object.getPrototypeOf(object) === Object.prototype || Object.getPrototypeOf(object) === null) {
      return isInherited(object, String(key)) ? notHere() : undefined;
    }
    return notHere();
  }
  return (object as Record<string, unknown>)[key];
}

/** Whether reading `key` would find something on the prototype chain rather than nothing. */
function isInherited(object: object, key: string): boolean {
  return key in object;
}

function handleMember(object: Handle, key: string, scope: FastScope, itemIndex: number): unknown {
  const view = () => scope.view();
  if (object.h === 'math') {
    const fn = mathFunction(key);
    return fn ? handle({ h: 'call', run: fn as (args: unknown[]) => unknown }) : notHere();
  }
  if (object.h === 'call') return notHere();
  if (object.h === 'input' && key === 'item') return scope.items[itemIndex];
  if (object.h === 'node') {
    if (key === 'item') return lookup(view(), 'node.item', itemIndex, object.name);
    if (key === 'isExecuted') return lookup(view(), 'node.isExecuted', itemIndex, object.name);
    if (key === 'params') return lookup(view(), 'node.params', itemIndex, object.name);
  }
  if (object.h === 'nodes') return handle({ h: 'proxy', name: key });
  if (object.h === 'proxy') {
    const item = lookup(view(), 'node.sameIndex', itemIndex, object.name) as Item | undefined;
    if (key === 'json' || key === 'data') return item ? item.json : undefined;
    if (key === 'binary') return item ? item.binary : undefined;
    if (key === 'parameter') return lookup(view(), 'node.params', itemIndex, object.name);
  }
  // Anything else is a method to call (or a property JavaScript would give): for the runner.
  return handle({ ...object, member: key } as unknown as Handle);
}

function call(node: Node & { t: 'call' }, scope: FastScope, itemIndex: number): unknown {
  const callee = evaluate(node.callee, scope, itemIndex);
  if (!isHandle(callee)) return notHere();
  const target = callee as Handle & { member?: string };
  if (target.h === 'call') {
    const args = node.args.map((arg) => evaluate(arg, scope, itemIndex));
    if (!args.every((arg) => isPrimitive(arg) && !isHandle(arg))) return notHere();
    try {
      return target.run(args);
    } catch (error) {
      // Refused (outside the bounds), or JavaScript itself throws: the runner gives the exact answer.
      if (error instanceof RefusedCall || error instanceof Error) return notHere();
      throw error;
    }
  }
  if (target.h === 'dollar' && target.member === undefined) {
    if (node.args.length !== 1) notHere();
    const name = evaluate(node.args[0]!, scope, itemIndex);
    if (typeof name !== 'string') notHere();
    return handle({ h: 'node', name: name as string });
  }
  if (node.args.length) return notHere();
  if (target.h === 'input' && target.member) {
    if (target.member === 'first') return scope.items[0];
    if (target.member === 'last') return scope.items[scope.items.length - 1];
    if (target.member === 'all') return scope.items;
  }
  if (target.h === 'node' && target.member && ['first', 'last', 'all'].includes(target.member)) {
    return lookup(scope.view(), `node.${target.member}`, itemIndex, target.name);
  }
  return notHere();
}

const ARITHMETIC: Record<string, (a: never, b: never) => unknown> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
  // biome-ignore lint/suspicious/noDoubleEquals: JavaScript's == is what the expression asked for.
  '==': (a, b) => a == b,
  // biome-ignore lint/suspicious/noDoubleEquals: JavaScript's != is what the expression asked for.
  '!=': (a, b) => a != b,
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
};

function binaryOp(node: Node & { t: 'binary' }, scope: FastScope, itemIndex: number): unknown {
  const left = evaluate(node.left, scope, itemIndex);
  if (node.op === '&&') return left ? evaluate(node.right, scope, itemIndex) : left;
  if (node.op === '||') return left ? left : evaluate(node.right, scope, itemIndex);
  if (node.op === '??') return left ?? evaluate(node.right, scope, itemIndex);
  const right = evaluate(node.right, scope, itemIndex);
  // On objects these operators call toString/valueOf, and === compares copies the runner would make afresh.
  if (!isPrimitive(left) || !isPrimitive(right) || isHandle(left) || isHandle(right)) notHere();
  return ARITHMETIC[node.op]!(left as never, right as never);
}

// ------------------------------------------------------------------------------------------------------- results

/** A result as it leaves user code: a copy (nodes may change what they are given), without undefined entries. */
function toPlain(value: unknown): unknown {
  if (isHandle(value)) notHere();
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (Array.isArray(value)) return value.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const entry = toPlain((value as Record<string, unknown>)[key]);
    if (entry !== undefined) Object.defineProperty(out, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(toPlain(value));
  return String(value);
}

export type FastOutcome = { ok: true; value: unknown } | { ok: false; error: string } | undefined;

/** The expression's value for item `itemIndex`, or undefined when a runner must evaluate it. */
export function evaluateHere(expression: string, itemIndex: number, scope: FastScope): FastOutcome {
  const segments = parseTemplate(expression);
  const trees: (Node | string)[] = [];
  for (const segment of segments) {
    if (typeof segment === 'string') trees.push(segment);
    else {
      const tree = compile((segment as Exclude<Segment, string>)[0]);
      if (!tree) return undefined;
      trees.push(tree);
    }
  }
  try {
    if (trees.length === 1 && typeof trees[0] !== 'string') return { ok: true, value: toPlain(evaluate(trees[0]!, scope, itemIndex)) };
    let text = '';
    for (const tree of trees) text += typeof tree === 'string' ? tree : toText(evaluate(tree, scope, itemIndex));
    return { ok: true, value: text };
  } catch (error) {
    if (error instanceof NotHere) return undefined;
    // A lookup the data context refused (a node that does not exist or has not run): the runner would say the same.
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether every block of the expression is in the language answered here (evaluation may still hand it over). */
export function mayEvaluateHere(expression: string): boolean {
  return parseTemplate(expression).every((segment) => typeof segment === 'string' || compile(segment[0]) !== null);
}
