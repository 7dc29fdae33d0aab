/**
 * API-key scopes, with n8n's names (`resource:action`). A key may also hold `resource:*` (every action on a
 * resource) or `*` (everything, including scopes added by later versions: the owner key holds it).
 */
export const SCOPES = [
  'workflow:create',
  'workflow:read',
  'workflow:update',
  'workflow:delete',
  'workflow:list',
  'workflow:move',
  'workflow:activate',
  'workflow:deactivate',
  'workflow:execute',
  'workflowTags:update',
  'workflowTags:list',
  'execution:read',
  'execution:list',
  'execution:delete',
  'execution:retry',
  'execution:stop',
  'executionTags:list',
  'executionTags:update',
  'annotationTag:create',
  'annotationTag:list',
  'credential:create',
  'credential:read',
  'credential:update',
  'credential:delete',
  'credential:list',
  'credential:move',
  'tag:create',
  'tag:read',
  'tag:update',
  'tag:delete',
  'tag:list',
  'variable:create',
  'variable:read',
  'variable:update',
  'variable:delete',
  'variable:list',
  'project:create',
  'project:update',
  'project:delete',
  'project:list',
  'project:manageMembers',
  'folder:create',
  'folder:read',
  'folder:update',
  'folder:delete',
  'folder:list',
  'dataTable:create',
  'dataTable:read',
  'dataTable:update',
  'dataTable:delete',
  'dataTable:list',
  'dataTableColumn:create',
  'dataTableColumn:read',
  'dataTableColumn:update',
  'dataTableColumn:delete',
  'dataTableRow:create',
  'dataTableRow:read',
  'dataTableRow:update',
  'dataTableRow:delete',
  'dataTableRow:upsert',
  'user:read',
  'user:list',
  'user:create',
  'user:changeRole',
  'user:delete',
  'role:list',
  'role:read',
  'role:manage',
  'securityAudit:generate',
  'insights:read',
  'otel:manage',
  'sourceControl:pull',
  'apiKey:create',
  'apiKey:list',
  'apiKey:delete',
] as const;

export type Scope = (typeof SCOPES)[number];

const KNOWN = new Set<string>(SCOPES);
const RESOURCES = new Set(SCOPES.map((s) => s.split(':')[0]));

export function isGrantableScope(value: string): boolean {
  if (value === '*') return true;
  const parts = value.split(':');
  if (parts.length !== 2) return false;
  return parts[1] === '*' ? RESOURCES.has(parts[0] ?? '') : KNOWN.has(value);
}

export function hasScope(granted: readonly string[], required: Scope): boolean {
  const resource = required.slice(0, required.indexOf(':'));
  return granted.some((g) => g === required || g === '*' || g === `${resource}:*`);
}

/** True when every scope in `requested` is covered by `granted`: a key can never mint a stronger key. */
export function coversScopes(granted: readonly string[], requested: readonly string[]): boolean {
  return requested.every((r) => {
    // A wildcard also covers actions added later, so only the same or a broader wildcard covers it.
    if (r === '*' || r.endsWith(':*')) return granted.includes('*') || granted.includes(r);
    return hasScope(granted, r as Scope);
  });
}

/** The scopes in `requested` that `granted` does not cover, in the order asked for (for messages that name them). */
export function uncoveredScopes(granted: readonly string[], requested: readonly string[]): string[] {
  return requested.filter((scope) => !coversScopes(granted, [scope]));
}
