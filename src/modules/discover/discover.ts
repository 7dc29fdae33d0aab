import { hasScope, SCOPES, type Scope } from '../api-keys/scopes.ts';
import { type Access, mayAnywhere } from '../roles/access.ts';

/** A route as GET /discover describes it (from the route contracts). */
export interface DiscoverableRoute {
  method: string;
  /** Fastify's form (`/api/v1/workflows/:id`). */
  url: string;
  scopes: readonly string[];
  anyKey: boolean;
  operationId?: string;
  tags: readonly string[];
}

export interface DiscoverQuery {
  resource?: string;
  operation?: string;
  includeSchemas: boolean;
}

interface Endpoint {
  method: string;
  path: string;
  operationId: string;
  requestSchema?: unknown;
}

/** n8n's resource names: the OpenAPI tag, lower-cased, without spaces (`DataTable` → `datatable`). */
const resourceOf = (route: DiscoverableRoute) => (route.tags[0] ?? 'other').toLowerCase().replace(/\s+/g, '');

/** The action part of a scope (`workflow:read` → `read`). */
const actionOf = (scope: string) => scope.slice(scope.indexOf(':') + 1);

/** The OpenAPI form of a path (`{id}` for `:id`), which is how n8n lists endpoints. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * n8n's GET /discover: what this key may do, derived from the route contracts. Its scopes are the key's,
 * narrowed to what its user's roles allow somewhere; an endpoint is listed when the key holds all of its scopes
 * (and its user may use them); resources are the OpenAPI tags, each with the actions its listed endpoints take.
 */
export function discover(
  routes: readonly DiscoverableRoute[],
  key: { scopes: readonly string[]; access: Access },
  query: DiscoverQuery,
  requestSchemaOf: (method: string, path: string) => unknown,
) {
  const scopes = SCOPES.filter((scope) => hasScope(key.scopes, scope) && mayAnywhere(key.access, scope));
  const allowed = new Set<string>(scopes);
  const resources: Record<string, { operations: string[]; endpoints: Endpoint[] }> = {};
  const operations = new Set<string>();
  for (const route of routes) {
    if (!route.operationId || !route.url.startsWith('/api/')) continue;
    if (!route.anyKey && !route.scopes.every((scope) => allowed.has(scope as Scope))) continue;
    const resource = resourceOf(route);
    const actions = route.scopes.map(actionOf);
    for (const action of actions) operations.add(action);
    if (query.resource && query.resource !== resource) continue;
    if (query.operation && !actions.includes(query.operation)) continue;
    resources[resource] ??= { operations: [], endpoints: [] };
    const entry = resources[resource];
    for (const action of actions) if (!entry.operations.includes(action)) entry.operations.push(action);
    const path = openApiPath(route.url);
    const requestSchema = query.includeSchemas ? requestSchemaOf(route.method, path) : undefined;
    entry.endpoints.push({ method: route.method, path, operationId: route.operationId, ...(requestSchema ? { requestSchema } : {}) });
  }
  const allResources = [...new Set(routes.filter((r) => r.operationId && r.url.startsWith('/api/')).map(resourceOf))];
  return {
    scopes,
    resources,
    filters: {
      resource: { description: 'Filter to a specific resource', values: allResources },
      operation: { description: 'Filter to a specific operation', values: [...operations] },
      include: { description: 'Include additional data', values: ['schemas'] },
    },
  };
}
