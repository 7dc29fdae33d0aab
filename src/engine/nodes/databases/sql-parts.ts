import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';

/** How a database names things and numbers parameters. */
export interface Dialect {
  quote(name: string): string;
  placeholder(index: number): string;
}

/** A resource locator (`{ __rl, mode, value }`) or a plain name, as the name text. */
export function nameOf(value: unknown): string {
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value ?? '');
  return String(value ?? '');
}

/** `options.queryReplacement`: a list, or a comma-separated text of values for `$1`, `$2`... */
export function queryValues(replacement: unknown): unknown[] {
  if (Array.isArray(replacement)) return replacement;
  if (replacement === undefined || replacement === null || replacement === '') return [];
  if (typeof replacement !== 'string') return [replacement];
  return replacement.split(',').map((value) => value.trim());
}

/** The row an insert or update writes: the item's fields (autoMapInputData) or the node's `columns.value` mapping. */
export function columnValues(ctx: NodeContext, item: Item, itemIndex: number): JsonObject {
  const mode = ctx.getParam<string>('columns.mappingMode', itemIndex, ctx.getParam('dataMode', itemIndex, 'autoMapInputData'));
  const chosen =
    mode === 'defineBelow'
      ? ctx.getParam<JsonObject>('columns.value', itemIndex, {})
      : Object.fromEntries(Object.entries(item.json).filter(([, value]) => value !== undefined));
  const row: JsonObject = {};
  for (const [name, value] of Object.entries(chosen ?? {})) {
    row[name] = value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
  }
  return row;
}

const OPERATORS: Record<string, string> = { equal: '=', '!=': '<>', LIKE: 'LIKE', '>': '>', '<': '<', '>=': '>=', '<=': '<=' };

/** The WHERE of n8n's `where.values` conditions, joined by `combineConditions`, with parameters from `firstIndex`. */
export function conditionsSql(
  ctx: NodeContext,
  itemIndex: number,
  dialect: Dialect,
  firstIndex: number,
): { text: string; values: unknown[] } {
  const conditions = ctx.getParam<{ column?: string; condition?: string; value?: unknown }[]>('where.values', itemIndex, []);
  const joiner = ctx.getParam<string>('combineConditions', itemIndex, 'AND') === 'OR' ? ' OR ' : ' AND ';
  const values: unknown[] = [];
  const parts = (Array.isArray(conditions) ? conditions : []).map((condition) => {
    const column = dialect.quote(nameOf(condition.column));
    const operator = condition.condition ?? 'equal';
    if (operator === 'IS NULL' || operator === 'IS NOT NULL') return `${column} ${operator}`;
    const sql = OPERATORS[operator];
    if (!sql) throw new NodeOperationError(`Unknown condition "${operator}"`, { itemIndex });
    values.push(condition.value);
    return `${column} ${sql} ${dialect.placeholder(firstIndex + values.length - 1)}`;
  });
  return { text: parts.length ? ` WHERE ${parts.join(joiner)}` : '', values };
}

export function sortSql(ctx: NodeContext, itemIndex: number, dialect: Dialect): string {
  const rules = ctx.getParam<{ column?: string; direction?: string }[]>('sort.values', itemIndex, []);
  const parts = (Array.isArray(rules) ? rules : []).map(
    (rule) => `${dialect.quote(nameOf(rule.column))} ${String(rule.direction ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`,
  );
  return parts.length ? ` ORDER BY ${parts.join(', ')}` : '';
}

/** `options.outputColumns` as a column list, or every column. */
export function outputColumns(ctx: NodeContext, itemIndex: number, dialect: Dialect): string {
  const columns = ctx.getParam<string[]>('options.outputColumns', itemIndex, []);
  return Array.isArray(columns) && columns.length && !columns.includes('*') ? columns.map((c) => dialect.quote(String(c))).join(', ') : '*';
}
