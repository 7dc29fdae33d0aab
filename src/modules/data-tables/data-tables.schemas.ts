import { z } from 'zod';
import { jsonQuery, PaginationQuerySchema } from '../../lib/schemas.ts';
import { CONDITIONS } from './data-table-filter.ts';
import { COLUMN_TYPES } from './data-table-values.ts';
import { type DataTable, type DataTableColumn, TABLE_ORDERS, type TableOrder } from './data-tables.repository.ts';

const ColumnSchema = z.object({
  updatedAt: z.string(),
  createdAt: z.string(),
  id: z.string(),
  dataTableId: z.string().optional(),
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  index: z.number().int(),
});

export const DataTableColumnSchema = ColumnSchema.meta({ id: 'DataTableColumn' });

export const DataTableSchema = z
  .object({
    updatedAt: z.string(),
    createdAt: z.string(),
    id: z.string(),
    name: z.string(),
    projectId: z.string(),
    columns: z.array(ColumnSchema),
    sizeBytes: z.number().int(),
  })
  .meta({ id: 'DataTable' });

export const DataTableListSchema = z.object({ data: z.array(DataTableSchema), nextCursor: z.string().nullable() });

/** n8n's column names: a letter, then letters, digits and underscores, at most 63 (a PostgreSQL identifier). */
const ColumnName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'must start with a letter and hold only letters, digits and underscores');

/** Reserved: every row has them. */
const NotSystem = ColumnName.refine((name) => !['id', 'createdAt', 'updatedAt'].includes(name), 'is a column every row has already');

export const CreateDataTableBodySchema = z.object({
  name: z.string().trim().min(1).max(128),
  columns: z.array(z.object({ name: NotSystem, type: z.enum(COLUMN_TYPES) })).max(100),
  projectId: z.string().max(64).optional(),
});

export const RenameDataTableBodySchema = z.object({ name: z.string().trim().min(1).max(128) });

export const CreateColumnBodySchema = z.object({ name: NotSystem, type: z.enum(COLUMN_TYPES), index: z.number().int().min(0).optional() });

export const UpdateColumnBodySchema = z
  .strictObject({ name: NotSystem.optional(), index: z.number().int().min(0).optional() })
  .refine((b) => b.name !== undefined || b.index !== undefined, 'request/body must have name or index');

export const TableParamsSchema = z.object({ dataTableId: z.string().min(1).max(64) });
export const ColumnParamsSchema = TableParamsSchema.extend({ columnId: z.string().min(1).max(64) });

/** Data table queries' JSON parameters (a filter may name many conditions). */
const tableJsonQuery = <T extends z.ZodType>(schema: T) => jsonQuery(schema, { maxLength: 10_000, message: 'must be JSON' });

export const RowFilterSchema = z.object({
  type: z.enum(['and', 'or']).default('and'),
  filters: z
    .array(z.object({ columnName: z.string().min(1).max(63), condition: z.enum(CONDITIONS), value: z.unknown().optional() }))
    .max(100),
});

export const TableListQuerySchema = PaginationQuerySchema.extend({
  filter: tableJsonQuery(
    z.object({ projectId: z.string().max(64).optional(), name: z.string().max(128).optional(), id: z.string().max(64).optional() }),
  )
    .optional()
    .describe('JSON: {"projectId", "name" (part of it), "id"}'),
  sortBy: z.enum(Object.keys(TABLE_ORDERS) as [TableOrder, ...TableOrder[]]).optional(),
});

export const RowListQuerySchema = PaginationQuerySchema.extend({
  filter: tableJsonQuery(RowFilterSchema)
    .optional()
    .describe('JSON: {"type": "and"|"or", "filters": [{"columnName", "condition", "value"}]}'),
  sortBy: z.string().max(80).optional().describe('"<column>:asc" or "<column>:desc"'),
  search: z.string().max(200).optional().describe('Rows where any text column contains this'),
});

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

export const DeleteRowsQuerySchema = z.object({
  filter: tableJsonQuery(RowFilterSchema.extend({ filters: RowFilterSchema.shape.filters.min(1) })),
  returnData: flag,
  dryRun: flag,
});

/** At most 1000 rows per request: every size a client controls is bounded. */
export const InsertRowsBodySchema = z.object({
  data: z.array(z.record(z.string(), z.unknown())).min(1).max(1000),
  returnType: z.enum(['count', 'id', 'all']).default('count'),
});

export const WriteRowsBodySchema = z.object({
  filter: RowFilterSchema.extend({ filters: RowFilterSchema.shape.filters.min(1) }),
  data: z.record(z.string(), z.unknown()),
  returnData: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

const iso = (d: Date) => d.toISOString();

export function toColumnDto(column: DataTableColumn, withTable = true) {
  return {
    updatedAt: iso(column.updatedAt),
    createdAt: iso(column.createdAt),
    id: column.id,
    ...(withTable ? { dataTableId: column.dataTableId } : {}),
    name: column.name,
    type: column.type,
    index: column.index,
  };
}

export function toDataTableDto(table: DataTable & { sizeBytes: number }, withTableIds = true) {
  return {
    updatedAt: iso(table.updatedAt),
    createdAt: iso(table.createdAt),
    id: table.id,
    name: table.name,
    projectId: table.projectId,
    columns: table.columns.map((c) => toColumnDto(c, withTableIds)),
    sizeBytes: table.sizeBytes,
  };
}
