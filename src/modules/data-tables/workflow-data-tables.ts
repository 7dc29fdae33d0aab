import type { DataTableStore, TableHandle } from '../../engine/nodes/data-table.ts';
import type { JsonObject } from '../../engine/types.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Access } from '../roles/access.ts';
import type { Grant } from '../roles/grant.ts';
import type { DataTablesService } from './data-tables.service.ts';

/** What a running workflow may do with its own project's data tables (and nothing with any other project's). */
const WORKFLOW_SCOPES: ReadonlySet<string> = new Set(['dataTable:read', 'dataTable:readColumn', 'dataTable:readRow', 'dataTable:writeRow']);

function workflowGrant(projectId: string): Grant {
  const access: Access = {
    userId: 'workflow',
    email: `a workflow of project ${projectId}`,
    globalRole: 'workflow',
    globalScopes: new Set(),
    projects: new Map([[projectId, { role: 'workflow', scopes: WORKFLOW_SCOPES }]]),
  };
  return { access, scopes: [] };
}

/**
 * The Data Table node's view of the data tables: those of the running workflow's project, through the same
 * service (and so the same checks, size limit and upsert lock) as the API.
 */
export function createWorkflowDataTables(tables: DataTablesService): DataTableStore {
  return {
    async open(projectId, locator): Promise<TableHandle> {
      if (!projectId) throw new Error('This workflow belongs to no project, so it has no data tables');
      const grant = workflowGrant(projectId);
      const table = await tables
        .resolve(projectId, { id: locator.value, ...(locator.name ? { name: locator.name } : {}) }, grant)
        .catch((err: unknown) => {
          if (!(err instanceof NotFoundError)) throw err;
          throw new Error(`Data table "${locator.name ?? locator.value}" was not found in this workflow's project`);
        });
      const rows = (found: Record<string, unknown>[]) => found as JsonObject[];
      return {
        columns: table.columns,
        find: async (filter, limit) => rows(await tables.findRows(table.id, filter, limit, grant)),
        insert: async (row) => rows(await tables.insert(table.id, [row], grant))[0]!,
        update: async (filter, data) => rows((await tables.update(table.id, { filter, data }, grant)).after),
        upsert: async (filter, data) => rows((await tables.upsert(table.id, { filter, data }, grant)).after),
        delete: async (filter) => rows((await tables.deleteRows(table.id, { filter }, grant)).before),
      };
    },
  };
}
