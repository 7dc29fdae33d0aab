import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../lib/schemas.ts';
import type { DataTableRow } from './data-table-rows.repository.ts';
import type { ColumnDef } from './data-table-values.ts';
import {
  ColumnParamsSchema,
  CreateColumnBodySchema,
  CreateDataTableBodySchema,
  DataTableColumnSchema,
  DataTableListSchema,
  DataTableSchema,
  DeleteRowsQuerySchema,
  InsertRowsBodySchema,
  RenameDataTableBodySchema,
  RowListQuerySchema,
  TableListQuerySchema,
  TableParamsSchema,
  toColumnDto,
  toDataTableDto,
  UpdateColumnBodySchema,
  WriteRowsBodySchema,
} from './data-tables.schemas.ts';

const TAGS = ['DataTable'];
const Row = z.record(z.string(), z.unknown());
const RowsOrTrue = z.union([z.boolean(), z.array(Row)]);
const refused = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const rowRefused = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

/** n8n's dry-run answer: each row before the change, then as it would be after ("after" of a deleted row is all null). */
function dryRunPairs(before: DataTableRow[], after: DataTableRow[] | null, columns: readonly ColumnDef[]) {
  const empty = Object.fromEntries([...['id', 'createdAt', 'updatedAt'], ...columns.map((c) => c.name)].map((k) => [k, null]));
  return before.flatMap((row, i) => [
    { ...row, dryRunState: 'before' },
    { ...(after ? (after[i] ?? empty) : empty), dryRunState: 'after' },
  ]);
}

export const dataTablesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { dataTables } = app.services;
  const base = '/data-tables/:dataTableId';

  app.get(
    '/data-tables',
    {
      config: { scopes: ['dataTable:list'] },
      schema: {
        operationId: 'listDataTables',
        summary: 'List data tables',
        tags: TAGS,
        querystring: TableListQuerySchema,
        response: { 200: DataTableListSchema },
      },
    },
    async (request) => {
      const page = await dataTables.list(request.query, request.grant!);
      return { data: page.data.map((t) => toDataTableDto(t, false)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/data-tables',
    {
      config: { scopes: ['dataTable:create'] },
      schema: {
        operationId: 'createDataTable',
        summary: 'Create a data table with typed columns',
        tags: TAGS,
        body: CreateDataTableBodySchema,
        response: { 201: DataTableSchema, ...refused },
      },
    },
    async (request, reply) => reply.status(201).send(toDataTableDto(await dataTables.create(request.body, request.grant!))),
  );

  app.get(
    base,
    {
      config: { scopes: ['dataTable:read'] },
      schema: {
        operationId: 'getDataTable',
        summary: 'Get a data table',
        tags: TAGS,
        params: TableParamsSchema,
        response: { 200: DataTableSchema, 404: ErrorSchema },
      },
    },
    async (request) => toDataTableDto(await dataTables.get(request.params.dataTableId, request.grant!)),
  );

  app.patch(
    base,
    {
      config: { scopes: ['dataTable:update'] },
      schema: {
        operationId: 'updateDataTable',
        summary: 'Rename a data table',
        tags: TAGS,
        params: TableParamsSchema,
        body: RenameDataTableBodySchema,
        response: { 200: DataTableSchema, ...refused },
      },
    },
    async (request) => toDataTableDto(await dataTables.rename(request.params.dataTableId, request.body.name, request.grant!)),
  );

  app.delete(
    base,
    {
      config: { scopes: ['dataTable:delete'] },
      schema: {
        operationId: 'deleteDataTable',
        summary: 'Delete a data table and its rows',
        tags: TAGS,
        params: TableParamsSchema,
        response: { 204: z.null().describe('Deleted'), 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await dataTables.delete(request.params.dataTableId, request.grant!);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${base}/columns`,
    {
      config: { scopes: ['dataTableColumn:read'] },
      schema: {
        operationId: 'listDataTableColumns',
        summary: 'List a data table’s columns, in order',
        tags: TAGS,
        params: TableParamsSchema,
        response: { 200: z.array(DataTableColumnSchema), 404: ErrorSchema },
      },
    },
    async (request) => (await dataTables.columns(request.params.dataTableId, request.grant!)).map((c) => toColumnDto(c)),
  );

  app.post(
    `${base}/columns`,
    {
      config: { scopes: ['dataTableColumn:create'] },
      schema: {
        operationId: 'createDataTableColumn',
        summary: 'Add a column (at `index`, default last)',
        tags: TAGS,
        params: TableParamsSchema,
        body: CreateColumnBodySchema,
        response: { 201: DataTableColumnSchema, ...refused },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toColumnDto(await dataTables.addColumn(request.params.dataTableId, request.body, request.grant!))),
  );

  app.patch(
    `${base}/columns/:columnId`,
    {
      config: { scopes: ['dataTableColumn:update'] },
      schema: {
        operationId: 'updateDataTableColumn',
        summary: 'Rename a column or move it to another index',
        tags: TAGS,
        params: ColumnParamsSchema,
        body: UpdateColumnBodySchema,
        response: { 200: DataTableColumnSchema, ...refused },
      },
    },
    async (request) => {
      const { dataTableId, columnId } = request.params;
      return toColumnDto(await dataTables.updateColumn(dataTableId, columnId, request.body, request.grant!));
    },
  );

  app.delete(
    `${base}/columns/:columnId`,
    {
      config: { scopes: ['dataTableColumn:delete'] },
      schema: {
        operationId: 'deleteDataTableColumn',
        summary: 'Delete a column and its values',
        tags: TAGS,
        params: ColumnParamsSchema,
        response: { 204: z.null().describe('Deleted'), 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await dataTables.deleteColumn(request.params.dataTableId, request.params.columnId, request.grant!);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${base}/rows`,
    {
      config: { scopes: ['dataTableRow:read'] },
      schema: {
        operationId: 'getDataTableRows',
        summary: 'Rows, filtered, searched and sorted in the database',
        tags: TAGS,
        params: TableParamsSchema,
        querystring: RowListQuerySchema,
        response: { 200: z.object({ data: z.array(Row), nextCursor: z.string().nullable() }), 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => dataTables.rows(request.params.dataTableId, request.query, request.grant!),
  );

  app.post(
    `${base}/rows`,
    {
      config: { scopes: ['dataTableRow:create'] },
      schema: {
        operationId: 'insertDataTableRows',
        summary: 'Insert rows (at most 1000); returnType count, id or all',
        tags: TAGS,
        params: TableParamsSchema,
        body: InsertRowsBodySchema,
        response: {
          200: z.union([z.object({ success: z.boolean(), insertedRows: z.number().int() }), z.array(z.number().int()), z.array(Row)]),
          ...rowRefused,
        },
      },
    },
    async (request) => {
      const inserted = await dataTables.insert(request.params.dataTableId, request.body.data, request.grant!);
      if (request.body.returnType === 'all') return inserted;
      if (request.body.returnType === 'id') return inserted.map((row) => row.id as number);
      return { success: true, insertedRows: inserted.length };
    },
  );

  app.patch(
    `${base}/rows/update`,
    {
      config: { scopes: ['dataTableRow:update'] },
      schema: {
        operationId: 'updateDataTableRows',
        summary: 'Set columns on the rows a filter matches',
        tags: TAGS,
        params: TableParamsSchema,
        body: WriteRowsBodySchema,
        response: { 200: RowsOrTrue, ...rowRefused },
      },
    },
    async (request) => {
      const { before, after } = await dataTables.update(request.params.dataTableId, request.body, request.grant!);
      if (request.body.dryRun) return dryRunPairs(before, after, []);
      return request.body.returnData ? after : true;
    },
  );

  app.post(
    `${base}/rows/upsert`,
    {
      config: { scopes: ['dataTableRow:upsert'] },
      schema: {
        operationId: 'upsertDataTableRow',
        summary: 'Update the rows a filter matches, or insert one when none does',
        tags: TAGS,
        params: TableParamsSchema,
        body: WriteRowsBodySchema,
        response: { 200: RowsOrTrue, ...rowRefused },
      },
    },
    async (request) => {
      const { before, after } = await dataTables.upsert(request.params.dataTableId, request.body, request.grant!);
      if (request.body.dryRun)
        return before.length ? dryRunPairs(before, after, []) : after.map((row) => ({ ...row, dryRunState: 'after' }));
      return request.body.returnData ? after : true;
    },
  );

  app.delete(
    `${base}/rows/delete`,
    {
      config: { scopes: ['dataTableRow:delete'] },
      schema: {
        operationId: 'deleteDataTableRows',
        summary: 'Delete the rows a filter matches',
        tags: TAGS,
        params: TableParamsSchema,
        querystring: DeleteRowsQuerySchema,
        response: { 200: RowsOrTrue, ...rowRefused },
      },
    },
    async (request) => {
      const { before, columns } = await dataTables.deleteRows(request.params.dataTableId, request.query, request.grant!);
      if (request.query.dryRun) return dryRunPairs(before, null, columns);
      return request.query.returnData ? before : true;
    },
  );

  app.delete(
    `${base}/rows/clear`,
    {
      config: { scopes: ['dataTableRow:delete'] },
      schema: {
        operationId: 'clearDataTableRows',
        summary: 'Delete every row',
        tags: TAGS,
        params: TableParamsSchema,
        response: { 200: z.object({ deletedCount: z.number().int() }), 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => ({ deletedCount: await dataTables.clear(request.params.dataTableId, request.grant!) }),
  );
};
