import { ValidationError } from '../../lib/errors.ts';

/** The column types n8n's data tables have, and how each is stored. */
export const COLUMN_TYPES = ['string', 'number', 'boolean', 'date', 'json'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const SQL_TYPE: Record<ColumnType, string> = {
  string: 'text',
  number: 'double precision',
  boolean: 'boolean',
  date: 'timestamptz',
  json: 'jsonb',
};

/** The columns every row has besides the user's (n8n's names), and their SQL columns. */
export const SYSTEM_COLUMNS = { id: 'id', createdAt: 'created_at', updatedAt: 'updated_at' } as const;

export interface ColumnDef {
  name: string;
  type: ColumnType;
}

/** n8n's words for a request a data table refuses. */
export const tableRequestError = (detail: string) => new ValidationError(`Validation error with data table request: ${detail}`);

const describe = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A value as its column stores it (the pg parameter), or a 400 in n8n's words. null is every type's "no value";
 * dates take ISO strings (or epoch milliseconds) and are stored as timestamps.
 */
export function toStored(column: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const mismatch = (expects: string) =>
    tableRequestError(
      `value '${describe(value)}' does not match column type '${column.type}': '${column.name}' expects ${expects} but we got '${describe(value)}'`,
    );
  switch (column.type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch('a string');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch('a boolean');
      return value;
    case 'date': {
      const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
      if (!date || Number.isNaN(date.getTime())) throw mismatch('a date');
      return date;
    }
    case 'json':
      return JSON.stringify(value);
  }
}

/** A stored value as answers carry it: dates as ISO strings. */
export function fromStored(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'date' && value instanceof Date) return value.toISOString();
  return value;
}
