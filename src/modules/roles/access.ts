import { SCOPES } from '../api-keys/scopes.ts';
import { SYSTEM_ROLES } from './system-roles.ts';

/**
 * What a user may do, resolved once per key (and cached with it): their global role's scopes, and per project
 * the scopes of their role there. An API key's scopes say what the key may be used for; this says what its user
 * may do. A request needs both.
 */
export interface Access {
  userId: string;
  email: string;
  globalRole: string;
  globalScopes: ReadonlySet<string>;
  /** Project id → the user's role there and its scopes. */
  projects: ReadonlyMap<string, { role: string; scopes: ReadonlySet<string> }>;
}

const SYSTEM_SCOPES = new Map(SYSTEM_ROLES.map((role) => [role.slug, role.scopes]));

/** The scopes a role grants: a system role's from code, a custom role's as stored; an unknown role grants nothing. */
export function scopesOfRole(slug: string, customRoles: ReadonlyMap<string, readonly string[]>): readonly string[] {
  return SYSTEM_SCOPES.get(slug) ?? customRoles.get(slug) ?? [];
}

/** A user, their project roles and the custom roles among their roles: what access is built from. */
export interface AccessInputs {
  userId: string;
  email: string;
  globalRole: string;
  memberships: readonly { projectId: string; role: string }[];
  customRoles: ReadonlyMap<string, readonly string[]>;
}

export function buildAccess(input: AccessInputs): Access {
  return {
    userId: input.userId,
    email: input.email,
    globalRole: input.globalRole,
    globalScopes: new Set(scopesOfRole(input.globalRole, input.customRoles)),
    projects: new Map(
      input.memberships.map((m) => [m.projectId, { role: m.role, scopes: new Set(scopesOfRole(m.role, input.customRoles)) }]),
    ),
  };
}

/**
 * The role scopes that allow an API-key scope. Most are the same name; the public API's names for some actions
 * differ from the roles' (n8n checks executions against the workflow's scopes, activation is publishing), and a
 * variable may be allowed globally or in a project.
 */
const ROLE_SCOPES_FOR_KEY_SCOPE: Record<string, readonly string[]> = {
  'workflow:activate': ['workflow:publish'],
  'workflow:deactivate': ['workflow:unpublish'],
  'workflowTags:update': ['workflow:update'],
  'workflowTags:list': ['workflow:read'],
  'execution:read': ['workflow:read'],
  'execution:list': ['workflow:list'],
  'execution:delete': ['workflow:delete'],
  'execution:retry': ['workflow:execute'],
  'execution:stop': ['workflow:execute'],
  'executionTags:list': ['workflow:read'],
  'executionTags:update': ['workflow:update'],
  'variable:create': ['variable:create', 'projectVariable:create'],
  'variable:read': ['variable:read', 'projectVariable:read'],
  'variable:update': ['variable:update', 'projectVariable:update'],
  'variable:delete': ['variable:delete', 'projectVariable:delete'],
  'variable:list': ['variable:list', 'projectVariable:list'],
  'dataTable:list': ['dataTable:list', 'dataTable:listProject'],
  'dataTableColumn:read': ['dataTable:readColumn'],
  'dataTableColumn:create': ['dataTable:writeColumn'],
  'dataTableColumn:update': ['dataTable:writeColumn'],
  'dataTableColumn:delete': ['dataTable:writeColumn'],
  'dataTableRow:read': ['dataTable:readRow'],
  'dataTableRow:create': ['dataTable:writeRow'],
  'dataTableRow:update': ['dataTable:writeRow'],
  'dataTableRow:delete': ['dataTable:writeRow'],
  'dataTableRow:upsert': ['dataTable:writeRow'],
};

export const roleScopesFor = (keyScope: string): readonly string[] => ROLE_SCOPES_FOR_KEY_SCOPE[keyScope] ?? [keyScope];

const grantsAny = (scopes: ReadonlySet<string>, keyScope: string) => roleScopesFor(keyScope).some((s) => scopes.has(s));

/** Whether the user may do this anywhere: globally, or in at least one of their projects. */
export function mayAnywhere(access: Access, keyScope: string): boolean {
  if (grantsAny(access.globalScopes, keyScope)) return true;
  for (const project of access.projects.values()) if (grantsAny(project.scopes, keyScope)) return true;
  return false;
}

/** Whether the user may do this everywhere (owner and admin, or a global custom role with the scope). */
export const mayGlobally = (access: Access, keyScope: string): boolean => grantsAny(access.globalScopes, keyScope);

/** Whether the user may do this in one project: globally, or by their role there. */
export function mayInProject(access: Access, projectId: string, keyScope: string): boolean {
  if (grantsAny(access.globalScopes, keyScope)) return true;
  const project = access.projects.get(projectId);
  return !!project && grantsAny(project.scopes, keyScope);
}

/** The concrete API-key scopes a requested scope stands for (`*` and `resource:*` expanded). */
export function expandKeyScope(scope: string): readonly string[] {
  if (scope === '*') return SCOPES;
  if (scope.endsWith(':*')) {
    const resource = scope.slice(0, -1);
    return SCOPES.filter((s) => s.startsWith(resource));
  }
  return [scope];
}

/** The concrete scopes among `requested` that the user's roles do not allow, for a message that names them. */
export function scopesBeyondRole(access: Access, requested: readonly string[]): string[] {
  const beyond = new Set<string>();
  for (const scope of requested) for (const concrete of expandKeyScope(scope)) if (!mayAnywhere(access, concrete)) beyond.add(concrete);
  return [...beyond];
}
