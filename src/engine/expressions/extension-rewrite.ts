import { parse } from 'acorn';
import { EXTENSION_NAMES, LUXON_FUNCTIONS } from './extension-names.ts';
import { parseTemplate, type Segment } from './template.ts';

/**
 * n8n lets expressions call its extension functions on values (`$json.name.toTitleCase()`, `[1, 2].sum()`,
 * `$now.plus(3, 'days')`). Before an expression reaches the isolate, each call `x.name(args)` whose `name` is one
 * of those functions becomes `__extend(x, 'name', [args])`, and `x.name?.(args)` asks `__extendOptional` for the
 * function first; in the isolate they pick the function for the value's type, or the value's own method (see
 * isolate/extensions/). Optional chains that hold such a call are lowered to conditionals so `a?.b.toTitleCase().c`
 * still stops at a missing `a`.
 *
 * The rewrite runs in the runner process, once per distinct expression code (cached), and only for code that
 * names an extension function followed by `(`; everything else is passed on untouched without being parsed.
 */

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface PreparedCode {
  code: string;
  /** The code calls an extension function: the isolate needs the library. */
  extensions: boolean;
  /** One of those calls may need Luxon (a date function or a conversion to a DateTime). */
  luxon: boolean;
}

const NAME_PATTERN = new RegExp(`\\.\\s*(${[...EXTENSION_NAMES].join('|')})\\s*(\\?\\.)?\\s*\\(`, 'g');

const cache = new Map<string, PreparedCode>();
const MAX_CACHED = 5000;

/** The code of one `{{ }}` block as the isolate should run it. */
export function prepareCode(code: string): PreparedCode {
  const cached = cache.get(code);
  if (cached) return cached;
  const prepared = rewrite(code);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(code, prepared);
  return prepared;
}

export interface PreparedTemplate {
  segments: Segment[];
  extensions: boolean;
  luxon: boolean;
}

/** An expression's segments with each block's code prepared. */
export function prepareTemplate(expression: string): PreparedTemplate {
  let extensions = false;
  let luxon = false;
  const segments = parseTemplate(expression).map((segment): Segment => {
    if (typeof segment === 'string') return segment;
    const prepared = prepareCode(segment[0]);
    extensions ||= prepared.extensions;
    luxon ||= prepared.luxon;
    return prepared.code === segment[0] ? segment : [prepared.code];
  });
  return { segments, extensions, luxon };
}

function rewrite(code: string): PreparedCode {
  const names = [...code.matchAll(NAME_PATTERN)].map((match) => match[1]!);
  if (names.length === 0) return { code, extensions: false, luxon: false };
  // The isolate compiles the block as `return (code\n)`: parse it the same way, so offsets are code's plus one.
  const source = `(${code}\n)`;
  let program: AstNode;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as AstNode;
  } catch {
    // Not an expression JavaScript accepts: the isolate reports the syntax error as it always has.
    return { code, extensions: false, luxon: false };
  }
  const body = program.body as AstNode[];
  const statement = body.length === 1 ? body[0]! : undefined;
  if (statement?.type !== 'ExpressionStatement') return { code, extensions: false, luxon: false };
  const expression = statement.expression as AstNode;
  const generator = new Generator(source);
  const out = generator.gen(expression);
  if (!generator.rewrote) return { code, extensions: false, luxon: false };
  const rewritten = source.slice(1, expression.start) + out + source.slice(expression.end, -2);
  return { code: rewritten, extensions: true, luxon: generator.luxon };
}

function childNodes(node: AstNode): AstNode[] {
  const children: AstNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const entry of value) if (isNode(entry)) children.push(entry);
    } else if (isNode(value)) children.push(value);
  }
  return children.sort((a, b) => a.start - b.start);
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AstNode).type === 'string' &&
  typeof (value as AstNode).start === 'number';

/** Turns an AST back into code, with extension calls routed through `__extend`. */
class Generator {
  rewrote = false;
  luxon = false;
  private temps = 0;
  private readonly holds = new Map<AstNode, boolean>();

  constructor(private readonly source: string) {}

  gen(node: AstNode): string {
    if (!this.holdsExtensionCall(node)) return this.text(node);
    if (node.type === 'ChainExpression') return this.chain(node.expression as AstNode);
    if (node.type === 'CallExpression' && this.extensionName(node)) {
      const callee = node.callee as AstNode;
      return this.extendCall(`(${this.gen(callee.object as AstNode)})`, this.extensionName(node)!, node.arguments as AstNode[]);
    }
    return this.splice(node);
  }

  private text(node: AstNode): string {
    return this.source.slice(node.start, node.end);
  }

  /** The node's own text with each child replaced by its generated code. */
  private splice(node: AstNode): string {
    let out = '';
    let at = node.start;
    for (const child of childNodes(node)) {
      // A shorthand property `{ a }` has its key and value on the same text: take it once.
      if (child.start < at) continue;
      out += this.source.slice(at, child.start) + this.gen(child);
      at = child.end;
    }
    return out + this.source.slice(at, node.end);
  }

  /** The extension function's name when `node` is a call `x.name(...)` to route through `__extend`. */
  private extensionName(node: AstNode): string | undefined {
    if (node.type !== 'CallExpression') return undefined;
    const callee = node.callee as AstNode;
    if (callee.type !== 'MemberExpression' || callee.computed) return undefined;
    const property = callee.property as AstNode;
    if (property.type !== 'Identifier' || !EXTENSION_NAMES.has(property.name as string)) return undefined;
    // `$input.first()` and `$('Node').last()` are the data accessors' own methods on objects that have no
    // extension of those names: calling them directly gives n8n's answer without loading the library.
    const object = callee.object as AstNode;
    if (object.type === 'Identifier' && object.name === '$input') return undefined;
    if (object.type === 'CallExpression' && (object.callee as AstNode).type === 'Identifier' && (object.callee as AstNode).name === '$') {
      return undefined;
    }
    return property.name as string;
  }

  private holdsExtensionCall(node: AstNode): boolean {
    let holds = this.holds.get(node);
    if (holds === undefined) {
      holds = this.extensionName(node) !== undefined;
      for (const child of childNodes(node)) if (this.holdsExtensionCall(child)) holds = true;
      this.holds.set(node, holds);
    }
    return holds;
  }

  private args(nodes: AstNode[]): string {
    // A sequence expression as an argument is parenthesised in the source, outside its node's range.
    return nodes.map((arg) => (arg.type === 'SequenceExpression' ? `(${this.gen(arg)})` : this.gen(arg))).join(', ');
  }

  private extendCall(object: string, name: string, args: AstNode[]): string {
    this.rewrote = true;
    if (LUXON_FUNCTIONS.has(name)) this.luxon = true;
    return `__extend(${object}, '${name}', [${this.args(args)}])`;
  }

  private temp(): string {
    return `__tmp[${this.temps++}]`;
  }

  private property(member: AstNode): string {
    const property = member.property as AstNode;
    return member.computed ? `[${this.gen(property)}]` : `.${this.text(property)}`;
  }

  /**
   * An optional chain, lowered: each `?.` checks the value so far (kept in a temporary) and yields undefined
   * for the whole chain when it is null or undefined, as JavaScript's chain does.
   */
  private chain(top: AstNode): string {
    const links: AstNode[] = [];
    let base = top;
    while (base.type === 'MemberExpression' || base.type === 'CallExpression') {
      links.unshift(base);
      base = (base.type === 'MemberExpression' ? base.object : base.callee) as AstNode;
    }
    let guards = '';
    let current = `(${this.gen(base)})`;
    const guard = (value: string): string => {
      const t = this.temp();
      guards += `(${t} = ${value}) == null ? undefined : `;
      return t;
    };
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      const next = links[i + 1];
      if (link.optional) current = guard(current);
      if (link.type === 'MemberExpression' && next?.type === 'CallExpression') {
        // A method call: the member and the call stay together, so the method gets its `this`.
        i++;
        const name = this.extensionName(next);
        const args = next.arguments as AstNode[];
        if (name && next.optional) {
          this.rewrote = true;
          if (LUXON_FUNCTIONS.has(name)) this.luxon = true;
          current = `${guard(`__extendOptional(${current}, '${name}')`)}(${this.args(args)})`;
        } else if (name) {
          current = this.extendCall(current, name, args);
        } else if (next.optional) {
          const self = this.temp();
          const method = guard(`(${self} = ${current}, ${self}${this.property(link)})`);
          current = `${method}.call(${[self, this.args(args)].filter(Boolean).join(', ')})`;
        } else {
          current = `${current}${this.property(link)}(${this.args(args)})`;
        }
      } else if (link.type === 'MemberExpression') {
        current = `${current}${this.property(link)}`;
      } else {
        current = `${current}(${this.args(link.arguments as AstNode[])})`;
      }
    }
    return `(${guards}${current})`;
  }
}
