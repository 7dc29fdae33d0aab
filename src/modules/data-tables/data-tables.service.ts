import { inTransaction, type SqlClient, type SqlPool } from '../../db/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import type { Access } from '../roles/access.ts';
import { admit, type Grant } from '../roles/grant.ts';
import type { RowFilter } from './data-table-filter.ts';
import { type DataTableRow, type RowQuery, dataTableRowsRepository as rows } from './data-table-rows.repository.ts';
import { type ColumnDef, type ColumnType, tableRequestError } from './data-table-values.ts';
import { type DataTable, dataTablesRepository as repo, type TableOrder } from './data-tables.repository.ts';

export type DataTablesService = ReturnType<typeof createDataTablesService>;

const notFound = (id: string): never => {
  throw new NotFoundError(`Could not find the data table: '${id}'`);
};
const nameTaken = (name: string) => new ConflictError(`Data table with name '${name}' already exists in this project`);

/** At most this many values in one INSERT statement (PostgreSQL takes 65,535 parameters). */
const MAX_PARAMETERS = 60_000;

/** Those who may read a data table see it; owner and admin see every one. */
function visibleProjects(access: Access): string[] | undefined {
  if (access.globalScopes.has('dataTable:read')) return undefined;
  return [...access.projects].filter(([, p]) => p.scopes.has('dataTable:listProject') || p.scopes.has('dataTable:read')).map(([id]) => id);
}

function knownColumns(table: DataTable, data: Record<string, unknown>) {
  for (const key of Object.keys(data)) {
    if (!table.columns.some((c) => c.name === key)) throw tableRequestError(`unknown column name '${key}'`);
  }
}

type RowWrite = { filter: RowFilter; dryRun?: boolean; returnData?: boolean };

/**
 * n8n's data tables: a project's tables of typed columns, each kept in a PostgreSQL table of its own, so filters
 * and sorts run in the database. Writes hold the table's row lock (column changes and row writes queue up), and
 * the size limit (`N8N_DATA_TABLES_MAX_SIZE_BYTES`) is checked before each write that adds data.
 */
export function createDataTablesService(deps: {
  sql: SqlPool;
  projects: Pick<ProjectsService, 'personalProjectOf' | 'findById'>;
  maxBytes: number;
}) {
  const { sql, projects, maxBytes } = deps;

  async function findAdmitted(db: SqlClient, id: string, grant: Grant, lock = false): Promise<DataTable> {
    const table = (lock ? await repo.lockById(db, id) : await repo.findById(db, id)) ?? notFound(id);
    admit(grant, table.projectId, 'dataTable:read', () => notFound(id));
    return table;
  }

  async function assertRoom(db: SqlClient) {
    if (maxBytes <= 0) return;
    const used = await repo.sizeBytes(db);
    if (used >= maxBytes) {
      throw new AppError(
        400,
        'VALIDATION_ERROR',
        `Data tables use ${used} bytes, at or over this server's limit of ${maxBytes} (N8N_DATA_TABLES_MAX_SIZE_BYTES): delete rows or tables, or raise the limit`,
      );
    }
  }

  /** Runs a row write; a dry run answers n8n's before/after pairs and writes nothing. */
  async function withDryRun<T>(dryRun: boolean | undefined, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    if (!dryRun) return inTransaction(sql, fn);
    let result: T | undefined;
    await inTransaction(sql, async (tx) => {
      result = await fn(tx);
      throw new DryRun();
    }).catch((err: unknown) => {
      if (!(err instanceof DryRun)) throw err;
    });
    return result as T;
  }

  const withSize = async (table: DataTable) => ({ ...table, sizeBytes: await repo.sizeBytes(sql, table.id) });

  async function insertRows(tx: SqlClient, table: DataTable, data: readonly Record<string, unknown>[]) {
    for (const row of data) knownColumns(table, row);
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, table.columns.length)));
    const inserted: DataTableRow[] = [];
    for (let i = 0; i < data.length; i += perStatement)
      inserted.push(...(await rows.insert(tx, table.id, table.columns, data.slice(i, i + perStatement))));
    return inserted;
  }

  return {
    list(
      query: { limit: number; cursor?: string; filter?: { projectId?: string; name?: string; id?: string }; sortBy?: TableOrder },
      grant: Grant,
    ) {
      const filter = { ...query.filter, projectIds: visibleProjects(grant.access) };
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), async (range) =>
        Promise.all((await repo.list(sql, filter, query.sortBy ?? 'createdAt:desc', range)).map(withSize)),
      );
    },

    async get(id: string, grant: Grant) {
      return withSize(await findAdmitted(sql, id, grant));
    },

    /** In `projectId` (where the caller needs dataTable:create; one they cannot see is "not found"), else their personal project. */
    async create(input: { name: string; columns: ColumnDef[]; projectId?: string }, grant: Grant) {
      const names = input.columns.map((c) => c.name);
      const duplicate = names.find((name, i) => names.indexOf(name) !== i);
      if (duplicate) throw new ValidationError(`Column names must be unique: '${duplicate}' is given twice`);
      const project = input.projectId ? await projects.findById(sql, input.projectId) : await projects.personalProjectOf(grant.access);
      const hidden = (): never => {
        throw new NotFoundError(`Project with ID "${input.projectId}" not found`);
      };
      if (!project) hidden();
      admit(grant, project!.id, 'project:read', hidden);
      const id = await inTransaction(sql, async (tx) => {
        if (await repo.nameTaken(tx, project!.id, input.name)) throw nameTaken(input.name);
        return repo.create(tx, { name: input.name, projectId: project!.id, columns: input.columns });
      });
      return withSize((await repo.findById(sql, id))!);
    },

    rename: (id: string, name: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        if (await repo.nameTaken(tx, table.projectId, name, id)) throw nameTaken(name);
        await repo.rename(tx, id, name);
        return withSize((await repo.findById(tx, id))!);
      }),

    delete: (id: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        await findAdmitted(tx, id, grant, true);
        await repo.drop(tx, id);
      }),

    async columns(id: string, grant: Grant) {
      return (await findAdmitted(sql, id, grant)).columns;
    },

    addColumn: (id: string, input: { name: string; type: ColumnType; index?: number }, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        if (table.columns.some((c) => c.name === input.name)) {
          throw new ConflictError(`A column with name '${input.name}' already exists in this data table`);
        }
        const index = Math.min(input.index ?? table.columns.length, table.columns.length);
        const columnId = await repo.addColumn(tx, id, input, index);
        await repo.touch(tx, id);
        return (await repo.findById(tx, id))!.columns.find((c) => c.id === columnId)!;
      }),

    updateColumn: (id: string, columnId: string, input: { name?: string; index?: number }, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        const column = table.columns.find((c) => c.id === columnId);
        if (!column) throw new NotFoundError(`Could not find the column '${columnId}' in data table '${id}'`);
        if (input.name !== undefined && input.name !== column.name) {
          if (table.columns.some((c) => c.name === input.name)) {
            throw new ConflictError(`A column with name '${input.name}' already exists in this data table`);
          }
          await repo.renameColumn(tx, id, { id: columnId, from: column.name, to: input.name });
        }
        if (input.index !== undefined) {
          const order = table.columns.filter((c) => c.id !== columnId).map((c) => c.id);
          order.splice(Math.min(input.index, order.length), 0, columnId);
          await repo.reorderColumns(tx, order);
        }
        await repo.touch(tx, id);
        return (await repo.findById(tx, id))!.columns.find((c) => c.id === columnId)!;
      }),

    deleteColumn: (id: string, columnId: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        const column = table.columns.find((c) => c.id === columnId);
        if (!column) throw new NotFoundError(`Could not find the column '${columnId}' in data table '${id}'`);
        await repo.dropColumn(tx, id, column);
        await repo.reorderColumns(
          tx,
          table.columns.filter((c) => c.id !== columnId).map((c) => c.id),
        );
      }),

    async rows(id: string, query: RowQuery & { limit: number; cursor?: string }, grant: Grant) {
      const table = await findAdmitted(sql, id, grant);
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => rows.page(sql, id, table.columns, query, range));
    },

    /** The table `idOrName` names in a project: by id, else by name (a workflow imported from elsewhere names its own ids). */
    async resolve(projectId: string, idOrName: { id: string; name?: string }, grant: Grant) {
      const byId = await repo.findById(sql, idOrName.id);
      if (byId?.projectId === projectId) return findAdmitted(sql, byId.id, grant);
      const byName = (await repo.findByName(sql, projectId, idOrName.name ?? idOrName.id)) ?? notFound(idOrName.id);
      return findAdmitted(sql, byName.id, grant);
    },

    /** The rows a filter matches, in id order: `limit` of them, or all when it is undefined. */
    async findRows(id: string, filter: RowFilter, limit: number | undefined, grant: Grant) {
      const table = await findAdmitted(sql, id, grant);
      const found: DataTableRow[] = [];
      const want = limit ?? Number.POSITIVE_INFINITY;
      while (found.length < want) {
        const take = Math.min(1000, want - found.length);
        const page = await rows.page(sql, id, table.columns, { filter }, { offset: found.length, take });
        found.push(...page);
        if (page.length < take) break;
      }
      return found;
    },

    insert: (id: string, data: readonly Record<string, unknown>[], grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        await assertRoom(tx);
        return insertRows(tx, table, data);
      }),

    /** Rows matching the filter get `data`; answers the rows as changed (dry run: before and after each). */
    update: (id: string, input: RowWrite & { data: Record<string, unknown> }, grant: Grant) =>
      withDryRun(input.dryRun, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        knownColumns(table, input.data);
        await assertRoom(tx);
        const before = await rows.lockMatching(tx, id, table.columns, input.filter);
        const after = before.length
          ? await rows.update(
              tx,
              id,
              table.columns,
              before.map((r) => r.id as number),
              input.data,
            )
          : [];
        return { before, after };
      }),

    /** Updates the rows the filter matches, or inserts `data` when none does; concurrent upserts of one table queue up. */
    upsert: (id: string, input: RowWrite & { data: Record<string, unknown> }, grant: Grant) =>
      withDryRun(input.dryRun, async (tx) => {
        const table = await findAdmitted(tx, id, grant);
        knownColumns(table, input.data);
        await rows.lockForUpsert(tx, id);
        await assertRoom(tx);
        const before = await rows.lockMatching(tx, id, table.columns, input.filter);
        if (before.length) {
          return {
            before,
            after: await rows.update(
              tx,
              id,
              table.columns,
              before.map((r) => r.id as number),
              input.data,
            ),
            inserted: false,
          };
        }
        return { before: [], after: await insertRows(tx, table, [input.data]), inserted: true };
      }),

    deleteRows: (id: string, input: RowWrite, grant: Grant) =>
      withDryRun(input.dryRun, async (tx) => {
        const table = await findAdmitted(tx, id, grant, true);
        const before = await rows.lockMatching(tx, id, table.columns, input.filter);
        if (before.length)
          await rows.deleteByIds(
            tx,
            id,
            before.map((r) => r.id as number),
          );
        return { before, columns: table.columns };
      }),

    clear: (id: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        await findAdmitted(tx, id, grant, true);
        return rows.clear(tx, id);
      }),
  };
}

class DryRun extends Error {}
