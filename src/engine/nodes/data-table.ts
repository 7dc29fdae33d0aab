import { type NodeContext, NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

/** A column of a data table, as the node needs it to convert values. */
export interface TableColumn {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'json';
}

/** A condition of the node's filters, in the data tables API's terms. */
export interface TableCondition {
  columnName: string;
  condition: 'eq' | 'neq' | 'like' | 'ilike' | 'gt' | 'gte' | 'lt' | 'lte' | 'isEmpty' | 'isNotEmpty';
  value?: unknown;
}

export interface TableFilter {
  type: 'and' | 'or';
  filters: TableCondition[];
}

/**
 * The data tables of the running workflow's project, as the node reaches them: the executions module provides
 * it (a table of another project is not found).
 */
export interface DataTableStore {
  /** The table a resource locator names: by id, else by the name it was saved with (imported workflows). */
  open(projectId: string | undefined, locator: { value: string; name?: string }): Promise<TableHandle>;
}

/** One data table, as the node works with it. */
export interface TableHandle {
  columns: TableColumn[];
  find(filter: TableFilter, limit: number | undefined): Promise<JsonObject[]>;
  insert(row: JsonObject): Promise<JsonObject>;
  update(filter: TableFilter, data: JsonObject): Promise<JsonObject[]>;
  upsert(filter: TableFilter, data: JsonObject): Promise<JsonObject[]>;
  delete(filter: TableFilter): Promise<JsonObject[]>;
}

type RawCondition = { keyName?: string; condition?: string; keyValue?: unknown };

/**
 * A value from a node parameter as its column holds it: expressions give strings ("0", "true") where the column
 * wants a number or a boolean, as n8n's node converts them.
 */
export function toColumnValue(column: TableColumn | undefined, value: unknown): unknown {
  if (value === null || value === undefined || value === '' || !column || typeof value !== 'string') {
    return value === '' && column && column.type !== 'string' ? null : value;
  }
  switch (column.type) {
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'json':
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

function filterOf(ctx: NodeContext, columns: TableColumn[], itemIndex: number): TableFilter {
  const raw = ctx.getParam<RawCondition[]>('filters.conditions', itemIndex, []) ?? [];
  const filters = raw.map((c): TableCondition => {
    const columnName = String(c.keyName ?? '');
    const column =
      columns.find((col) => col.name === columnName) ?? (['id', 'createdAt', 'updatedAt'].includes(columnName) ? undefined : null);
    if (column === null) throw new NodeOperationError(`The data table has no column "${columnName}"`, { itemIndex });
    const condition = c.condition ?? 'eq';
    if (condition === 'isTrue' || condition === 'isFalse') return { columnName, condition: 'eq', value: condition === 'isTrue' };
    const value = columnName === 'id' ? toColumnValue({ name: 'id', type: 'number' }, c.keyValue) : toColumnValue(column, c.keyValue);
    return { columnName, condition: condition as TableCondition['condition'], value };
  });
  const matchType = ctx.getParam<string>('matchType', itemIndex, 'anyCondition');
  return { type: matchType === 'allConditions' ? 'and' : 'or', filters };
}

/** The row the node's column mapping makes of an item: defined below (resolved per item), or the item's own fields. */
function rowOf(ctx: NodeContext, columns: TableColumn[], item: Item, itemIndex: number): JsonObject {
  const mode = ctx.getParam<string>('columns.mappingMode', itemIndex, 'defineBelow');
  const source = mode === 'autoMapInputData' ? item.json : (ctx.getParam<JsonObject>('columns.value', itemIndex, {}) ?? {});
  const row: JsonObject = {};
  for (const column of columns) {
    if (!Object.hasOwn(source, column.name)) continue;
    const value = source[column.name];
    row[column.name] = (value instanceof Date ? value.toISOString() : toColumnValue(column, value)) as JsonObject[string];
  }
  return row;
}

type Operation = 'insert' | 'get' | 'update' | 'upsert' | 'deleteRows' | 'rowExists' | 'rowNotExists';
const OPERATIONS = new Set<Operation>(['insert', 'get', 'update', 'upsert', 'deleteRows', 'rowExists', 'rowNotExists']);

/**
 * n8n's Data Table node (typeVersions 1 and 1.1, resource row): insert, get (filters, limit or all), update, upsert,
 * delete, and row exists / does not exist (which pass the input items on). Every item runs against the table
 * of the workflow's project that `dataTableId` names.
 */
export function createDataTableNode(store: DataTableStore): NodeType {
  return {
    type: 'n8n-nodes-base.dataTable',
    typeVersions: [1, 1.1],
    operations: ['row:insert', 'row:get', 'row:update', 'row:upsert', 'row:deleteRows', 'row:rowExists', 'row:rowNotExists'],
    async execute(ctx) {
      const resource = ctx.getParam<string>('resource', 0, 'row');
      if (resource !== 'row') throw new NodeOperationError(`The Data Table node's "${resource}" resource is not supported here`);
      const operation = ctx.getParam<string>('operation', 0, 'insert') as Operation;
      if (!OPERATIONS.has(operation)) throw new NodeOperationError(`The Data Table node's "${operation}" operation is not supported here`);
      const out: Item[] = [];
      const items = ctx.items.length ? ctx.items : [{ json: {} }];
      for (const [itemIndex, item] of items.entries()) {
        const locator = ctx.getParam<{ value?: unknown; cachedResultName?: string } | string>('dataTableId', itemIndex, '');
        const value = typeof locator === 'string' ? locator : String(locator?.value ?? '');
        if (!value) throw new NodeOperationError('No data table is selected (dataTableId)', { itemIndex });
        const name = typeof locator === 'object' ? locator?.cachedResultName : undefined;
        const table = await store.open(ctx.workflow.projectId, { value, ...(name ? { name } : {}) });
        const rows = await runOperation(ctx, operation, table, item, itemIndex);
        if (operation === 'rowExists' || operation === 'rowNotExists') {
          if (rows.length > 0 === (operation === 'rowExists')) out.push(paired(item.json, itemIndex, item.binary));
        } else {
          for (const row of rows) out.push(paired(row, itemIndex));
        }
      }
      return [out];
    },
  };
}

async function runOperation(
  ctx: NodeContext,
  operation: Operation,
  table: TableHandle,
  item: Item,
  itemIndex: number,
): Promise<JsonObject[]> {
  const filter = () => filterOf(ctx, table.columns, itemIndex);
  const row = () => rowOf(ctx, table.columns, item, itemIndex);
  switch (operation) {
    case 'insert':
      return [await table.insert(row())];
    case 'get': {
      const returnAll = ctx.getParam<boolean>('returnAll', itemIndex, false);
      return table.find(filter(), returnAll ? undefined : Number(ctx.getParam('limit', itemIndex, 50)));
    }
    case 'rowExists':
    case 'rowNotExists':
      return table.find(filter(), 1);
    case 'update':
      return table.update(requireConditions(filter(), itemIndex), row());
    case 'upsert':
      return table.upsert(requireConditions(filter(), itemIndex), row());
    case 'deleteRows':
      return table.delete(requireConditions(filter(), itemIndex));
  }
}

/** Writing to every row needs a condition (n8n's node asks for at least one). */
function requireConditions(filter: TableFilter, itemIndex: number): TableFilter {
  if (!filter.filters.length) throw new NodeOperationError('At least one condition is required', { itemIndex });
  return filter;
}
