/**
 * n8n expression strings: `=` followed by text with `{{ code }}` blocks. A lone block keeps its value's
 * type (`={{ $json.n * 2 }}` → 42); text around blocks makes the result a string.
 * Segments: a string is literal text, a one-element array holds the code of a block.
 */
export type Segment = string | [string];

const cache = new Map<string, Segment[]>();
const MAX_CACHED = 5000;

export function parseTemplate(expression: string): Segment[] {
  const cached = cache.get(expression);
  if (cached) return cached;
  const body = expression.startsWith('=') ? expression.slice(1) : expression;
  const segments: Segment[] = [];
  let rest = body;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open === -1) {
      segments.push(rest);
      break;
    }
    const close = rest.indexOf('}}', open + 2);
    if (close === -1) {
      segments.push(rest);
      break;
    }
    if (open > 0) segments.push(rest.slice(0, open));
    const code = rest.slice(open + 2, close).trim();
    segments.push(code === '' ? '' : [code]);
    rest = rest.slice(close + 2);
  }
  const result = mergeText(segments);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(expression, result);
  return result;
}

function mergeText(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const last = out[out.length - 1];
    if (typeof segment === 'string' && typeof last === 'string') out[out.length - 1] = last + segment;
    else out.push(segment);
  }
  return out.length === 0 ? [''] : out;
}

/** True when the template has no code block at all (`=plain text`): no sandbox needed. */
export function isPlainText(segments: Segment[]): boolean {
  return segments.every((s) => typeof s === 'string');
}
