import { NodeApiError, type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

const TIMEOUT_MS = 60_000;
/** A list read with "return all" stops here, whatever the server holds. */
const MAX_LISTED = 10_000;
const OPERATIONS = [
  'workflow:get',
  'workflow:getAll',
  'workflow:create',
  'workflow:update',
  'workflow:delete',
  'workflow:activate',
  'workflow:deactivate',
  'execution:get',
  'execution:getAll',
  'execution:delete',
  'credential:create',
  'credential:getAll',
  'credential:delete',
  'credential:getSchema',
  'audit:generate',
];

/** A resource locator parameter (`{ __rl, mode, value }`) or a plain id, as the id text. */
function idOf(value: unknown): string {
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value ?? '');
  return String(value ?? '');
}

function jsonParam(ctx: NodeContext, name: string, itemIndex: number): unknown {
  const value = ctx.getParam<unknown>(name, itemIndex, '{}');
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new NodeOperationError(`"${name}" is not valid JSON`, { itemIndex });
  }
}

/**
 * n8n's "n8n" node: calls an n8n public API (this server's own, or another n8n's) with an `n8nApi` credential:
 * workflows (get, list, create, update, delete, activate, deactivate), executions (get, list, delete), credentials
 * (create, delete, schema) and the security audit.
 */
export const n8nApiNode: NodeType = {
  type: 'n8n-nodes-base.n8n',
  typeVersions: [1],
  operations: OPERATIONS,
  async execute(ctx) {
    const secret = await ctx.getCredentials('n8nApi');
    const base = String(secret.baseUrl || 'http://localhost:5678/api/v1').replace(/\/+$/, '');
    const request = async (method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<unknown> => {
      const url = new URL(`${base}${path}`);
      for (const [name, value] of Object.entries(query ?? {})) if (value !== '') url.searchParams.set(name, value);
      const response = await fetch(url, {
        method,
        headers: {
          'x-n8n-api-key': String(secret.apiKey ?? ''),
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      }).catch((error: Error) => {
        throw new NodeApiError(`The n8n API at ${base} could not be reached: ${error.message}`);
      });
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : {};
      if (!response.ok) {
        throw new NodeApiError(String((parsed as { message?: unknown }).message ?? `The n8n API answered ${response.status}`), {
          httpCode: String(response.status),
          description: text.slice(0, 2000),
        });
      }
      return parsed;
    };
    const list = async (path: string, itemIndex: number, query: Record<string, string>): Promise<JsonObject[]> => {
      const returnAll = ctx.getParam<boolean>('returnAll', itemIndex, true) !== false;
      const limit = Number(ctx.getParam('limit', itemIndex, 100));
      const found: JsonObject[] = [];
      let cursor = '';
      do {
        const page = (await request('GET', path, undefined, {
          ...query,
          limit: String(returnAll ? 250 : Math.min(limit, 250)),
          ...(cursor ? { cursor } : {}),
        })) as {
          data: JsonObject[];
          nextCursor?: string | null;
        };
        found.push(...page.data);
        cursor = page.nextCursor ?? '';
      } while (cursor && (returnAll ? found.length < MAX_LISTED : found.length < limit));
      return returnAll ? found : found.slice(0, limit);
    };

    const output: Item[] = [];
    for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
      const resource = ctx.getParam<string>('resource', itemIndex, 'workflow');
      const operation = ctx.getParam<string>('operation', itemIndex, resource === 'audit' ? 'generate' : 'getAll');
      const key = `${resource}:${operation}`;
      const push = (value: unknown) => {
        for (const json of Array.isArray(value) ? value : [value])
          output.push({ json: json as JsonObject, pairedItem: { item: itemIndex } });
      };
      const filters = ctx.getParam<JsonObject>('filters', itemIndex, {});
      switch (key) {
        case 'workflow:get':
          push(await request('GET', `/workflows/${encodeURIComponent(idOf(ctx.getParam('workflowId', itemIndex, '')))}`));
          break;
        case 'workflow:getAll':
          push(
            await list('/workflows', itemIndex, {
              ...(filters.activeWorkflows !== undefined ? { active: String(filters.activeWorkflows) } : {}),
              ...(filters.tags ? { tags: String(filters.tags) } : {}),
              ...(filters.name ? { name: String(filters.name) } : {}),
              ...(filters.projectId ? { projectId: String(filters.projectId) } : {}),
              ...(filters.excludePinnedData ? { excludePinnedData: 'true' } : {}),
            }),
          );
          break;
        case 'workflow:create':
          push(await request('POST', '/workflows', jsonParam(ctx, 'workflowObject', itemIndex)));
          break;
        case 'workflow:update':
          push(
            await request(
              'PUT',
              `/workflows/${encodeURIComponent(idOf(ctx.getParam('workflowId', itemIndex, '')))}`,
              jsonParam(ctx, 'workflowObject', itemIndex),
            ),
          );
          break;
        case 'workflow:delete':
          push(await request('DELETE', `/workflows/${encodeURIComponent(idOf(ctx.getParam('workflowId', itemIndex, '')))}`));
          break;
        case 'workflow:activate':
        case 'workflow:deactivate':
          push(await request('POST', `/workflows/${encodeURIComponent(idOf(ctx.getParam('workflowId', itemIndex, '')))}/${operation}`));
          break;
        case 'execution:get': {
          const includeData = ctx.getParam<boolean>('options.includeData', itemIndex, false) === true;
          push(
            await request(
              'GET',
              `/executions/${encodeURIComponent(String(ctx.getParam('executionId', itemIndex, '')))}`,
              undefined,
              includeData ? { includeData: 'true' } : {},
            ),
          );
          break;
        }
        case 'execution:getAll':
          push(
            await list('/executions', itemIndex, {
              ...(filters.workflowId ? { workflowId: idOf(filters.workflowId) } : {}),
              ...(filters.status ? { status: String(filters.status) } : {}),
              ...(ctx.getParam<boolean>('options.includeData', itemIndex, false) === true ? { includeData: 'true' } : {}),
            }),
          );
          break;
        case 'execution:delete':
          push(await request('DELETE', `/executions/${encodeURIComponent(String(ctx.getParam('executionId', itemIndex, '')))}`));
          break;
        case 'credential:create':
          push(
            await request('POST', '/credentials', {
              name: ctx.getParam('name', itemIndex, ''),
              type: ctx.getParam('credentialTypeName', itemIndex, ''),
              data: jsonParam(ctx, 'data', itemIndex),
            }),
          );
          break;
        case 'credential:getAll':
          push(await list('/credentials', itemIndex, {}));
          break;
        case 'credential:delete':
          push(await request('DELETE', `/credentials/${encodeURIComponent(String(ctx.getParam('credentialId', itemIndex, '')))}`));
          break;
        case 'credential:getSchema':
          push(
            await request('GET', `/credentials/schema/${encodeURIComponent(String(ctx.getParam('credentialTypeName', itemIndex, '')))}`),
          );
          break;
        case 'audit:generate':
          push(await request('POST', '/audit', { additionalOptions: ctx.getParam('additionalOptions', itemIndex, {}) }));
          break;
        default:
          throw new NodeOperationError(`The n8n node's "${key}" is not supported by this server`, {
            itemIndex,
            description: `Supported: ${OPERATIONS.join(', ')}.`,
          });
      }
    }
    return [output];
  },
};
