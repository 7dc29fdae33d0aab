import { type ColumnDef, type ColumnType, SYSTEM_COLUMNS, tableRequestError, toStored } from './data-table-values.ts';

/** n8n's row filter: conditions on columns, all (`and`, the default) or any (`or`) of them. */
export interface RowFilter {
  type?: 'and' | 'or';
  filters: { columnName: string; condition: Condition; value?: unknown }[];
}

export const CONDITIONS = ['eq', 'neq', 'like', 'ilike', 'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty'] as const;
export type Condition = (typeof CONDITIONS)[number];

const COMPARISON: Record<'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte', string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** A column as a filter or a sort names it: a user column (quoted identifier) or one of the system columns. */
export interface ResolvedColumn {
  sql: string;
  def: ColumnDef;
}

const SYSTEM_TYPES: Record<keyof typeof SYSTEM_COLUMNS, ColumnType> = { id: 'number', createdAt: 'date', updatedAt: 'date' };

/** Column names are checked against the table's columns (n8n's pattern allows no quotes), then quoted. */
export function resolveColumn(columns: readonly ColumnDef[], name: string): ResolvedColumn {
  if (Object.hasOwn(SYSTEM_COLUMNS, name)) {
    const key = name as keyof typeof SYSTEM_COLUMNS;
    return { sql: `"${SYSTEM_COLUMNS[key]}"`, def: { name, type: SYSTEM_TYPES[key] } };
  }
  const def = columns.find((c) => c.name === name);
  if (!def) throw tableRequestError(`unknown column name '${name}'`);
  return { sql: `"${def.name}"`, def };
}

/**
 * The filter as a SQL condition over the table's columns, with its values pushed to `params` (typed as their
 * columns store them). An empty filter is no condition.
 */
export function filterToSql(filter: RowFilter | undefined, columns: readonly ColumnDef[], params: unknown[]): string {
  if (!filter?.filters.length) return 'TRUE';
  const parts = filter.filters.map(({ columnName, condition, value }) => {
    const column = resolveColumn(columns, columnName);
    const param = (v: unknown) => `$${params.push(v)}`;
    switch (condition) {
      case 'isEmpty':
        return column.def.type === 'string' ? `(${column.sql} IS NULL OR ${column.sql} = '')` : `${column.sql} IS NULL`;
      case 'isNotEmpty':
        return column.def.type === 'string' ? `(${column.sql} IS NOT NULL AND ${column.sql} <> '')` : `${column.sql} IS NOT NULL`;
      case 'like':
      case 'ilike':
        if (typeof value !== 'string') throw tableRequestError(`the '${condition}' filter on '${columnName}' needs a string value`);
        return `${column.sql}::text ${condition === 'like' ? 'LIKE' : 'ILIKE'} ${param(value)}`;
      default: {
        if (value === null || value === undefined) {
          if (condition === 'eq') return `${column.sql} IS NULL`;
          if (condition === 'neq') return `${column.sql} IS NOT NULL`;
          throw tableRequestError(`the '${condition}' filter on '${columnName}' needs a value`);
        }
        const stored = toStored(column.def, value);
        // neq keeps rows without a value, as n8n's does ("not equal" to something is true of nothing).
        const comparison = `${column.sql} ${COMPARISON[condition]} ${param(stored)}`;
        return condition === 'neq' ? `(${comparison} OR ${column.sql} IS NULL)` : comparison;
      }
    }
  });
  return `(${parts.join(filter.type === 'or' ? ' OR ' : ' AND ')})`;
}

/** n8n's sortBy, `column:asc` or `column:desc`, as an ORDER BY (id last, so pages are stable). */
export function sortToSql(sortBy: string | undefined, columns: readonly ColumnDef[]): string {
  if (!sortBy) return '"id" ASC';
  const [name, direction = 'asc', ...rest] = sortBy.split(':');
  if (!name || rest.length || !['asc', 'desc'].includes(direction.toLowerCase())) {
    throw tableRequestError(`sortBy must be "<column>:asc" or "<column>:desc", not '${sortBy}'`);
  }
  const column = resolveColumn(columns, name);
  const order = `${column.sql} ${direction.toUpperCase()} NULLS LAST`;
  return column.sql === '"id"' ? order : `${order}, "id" ASC`;
}
