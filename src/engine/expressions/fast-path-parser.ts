/**
 * The parser of the fast path (fast-path.ts): the part of JavaScript's expression grammar it answers (data access,
 * literals, operators, `$('X')` and a few accessor calls). Anything else fails to parse, and the expression goes to a
 * runner.
 */
export type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'id'; name: string }
  | { t: 'member'; obj: Node; key: Node; optional: boolean }
  | { t: 'call'; callee: Node; args: Node[] }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'cond'; test: Node; then: Node; else: Node };

const IDENTIFIERS = new Set([
  '$json',
  '$binary',
  '$itemIndex',
  '$runIndex',
  '$input',
  '$node',
  '$workflow',
  '$execution',
  '$vars',
  '$',
  // Pure built-ins (fast-path-builtins.ts).
  'Math',
  'Number',
  'String',
  'Boolean',
  'parseInt',
  'parseFloat',
  'isNaN',
]);
const MAX_DEPTH = 32;

/** Thrown while parsing or evaluating: this expression is for a runner. */
export class NotHere extends Error {}
export const notHere = (): never => {
  throw new NotHere();
};

// ------------------------------------------------------------------------------------------------------ parsing

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_$][\w$]*)|("(?:[^"\\\n]|\\["\\nrt'])*"|'(?:[^'\\\n]|\\["\\nrt'])*')|(===|!==|==|!=|<=|>=|&&|\|\||\?\?|\?\.|\+\+|--|\*\*|[-+*/%<>!?:.()[\]]))/y;

function tokenize(code: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < code.length) {
    if (/^\s*$/.test(code.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(code);
    if (!match) notHere();
    tokens.push((match![1] ?? match![2] ?? match![3] ?? match![4]) as string);
  }
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\' };

function parse(code: string): Node {
  const tokens = tokenize(code);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at];
    if (token === undefined || (expected !== undefined && token !== expected)) notHere();
    at++;
    return token as string;
  };
  const binary = (next: (depth: number) => Node, ops: string[]) => (depth: number) => {
    let left = next(depth);
    while (ops.includes(peek() ?? '')) {
      const op = take();
      left = { t: 'binary', op, left, right: next(depth) };
    }
    return left;
  };
  const expression = (depth: number): Node => {
    if (depth > MAX_DEPTH) notHere();
    const test = nullish(depth + 1);
    if (peek() !== '?') return test;
    take('?');
    const then = expression(depth + 1);
    take(':');
    return { t: 'cond', test, then, else: expression(depth + 1) };
  };
  const unary = (depth: number): Node => {
    const token = peek();
    if (token === '!' || token === '-' || token === '+') {
      take();
      return { t: 'unary', op: token, arg: unary(depth + 1) };
    }
    return postfix(depth);
  };
  const multiplicative = binary(unary, ['*', '/', '%']);
  const additive = binary(multiplicative, ['+', '-']);
  const relational = binary(additive, ['<', '>', '<=', '>=']);
  const equality = binary(relational, ['===', '!==', '==', '!=']);
  const and = binary(equality, ['&&']);
  const or = binary(and, ['||']);
  // JavaScript refuses `a ?? b || c` without parentheses; so does this parser (the runner then reports it).
  const nullish = (depth: number): Node => {
    const left = or(depth);
    if (peek() !== '??') return left;
    if (left.t === 'binary' && (left.op === '||' || left.op === '&&')) notHere();
    let result = left;
    while (peek() === '??') {
      take();
      const right = or(depth);
      if (right.t === 'binary' && (right.op === '||' || right.op === '&&')) notHere();
      result = { t: 'binary', op: '??', left: result, right };
    }
    return result;
  };
  const postfix = (depth: number): Node => {
    let node = primary(depth);
    for (;;) {
      const token = peek();
      if (token === '.' || token === '?.') {
        take();
        if (peek() === '[' && token === '?.') {
          take('[');
          node = { t: 'member', obj: node, key: expression(depth + 1), optional: true };
          take(']');
          continue;
        }
        const name = take();
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) notHere();
        node = { t: 'member', obj: node, key: { t: 'lit', v: name }, optional: token === '?.' };
      } else if (token === '[') {
        take();
        node = { t: 'member', obj: node, key: expression(depth + 1), optional: false };
        take(']');
      } else if (token === '(') {
        take();
        const args: Node[] = [];
        if (peek() !== ')') args.push(expression(depth + 1));
        take(')');
        node = { t: 'call', callee: node, args };
      } else {
        return node;
      }
    }
  };
  const primary = (depth: number): Node => {
    const token = take();
    if (token === '(') {
      const inner = expression(depth + 1);
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) return { t: 'lit', v: Number(token) };
    if (token.startsWith('"') || token.startsWith("'")) {
      return { t: 'lit', v: token.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? notHere()) };
    }
    if (token === 'true' || token === 'false') return { t: 'lit', v: token === 'true' };
    if (token === 'null') return { t: 'lit', v: null };
    if (token === 'undefined') return { t: 'lit', v: undefined };
    if (IDENTIFIERS.has(token)) return { t: 'id', name: token };
    return notHere();
  };
  const tree = expression(0);
  if (at !== tokens.length) notHere();
  return tree;
}

const compiled = new Map<string, Node | null>();
const MAX_COMPILED = 5000;

export function compile(code: string): Node | null {
  let tree = compiled.get(code);
  if (tree !== undefined) return tree;
  try {
    tree = parse(code);
  } catch (error) {
    if (!(error instanceof NotHere)) throw error;
    tree = null;
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(code, tree);
  return tree;
}
