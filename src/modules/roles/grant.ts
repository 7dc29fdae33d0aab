import { ForbiddenError } from '../../lib/errors.ts';
import type { Principal } from '../api-keys/api-keys.service.ts';
import { type Access, mayGlobally, mayInProject } from './access.ts';

/**
 * What one request may do: its key's user (their access) and the API-key scopes its route needs (the route
 * contract's, plus what a diff batch's operations add). The auth plugin admitted the route because the user may do
 * these somewhere; services then check the project of what is touched.
 */
export interface Grant {
  access: Access;
  scopes: readonly string[];
}

/** Who writes: the key (named in history entries) and what its request may do. */
export interface Caller {
  principal: Principal;
  grant: Grant;
}

/** The projects whose content a grant reaches: every one (owner, admin), or exactly these. */
export function reachableProjects(grant: Grant): 'all' | string[] {
  if (grant.scopes.every((scope) => mayGlobally(grant.access, scope))) return 'all';
  return [...grant.access.projects.keys()].filter((id) => grant.scopes.every((scope) => mayInProject(grant.access, id, scope)));
}

/** As reachableProjects, for a repository filter: undefined for no restriction. */
export const projectFilterOf = (grant: Grant): string[] | undefined => {
  const reachable = reachableProjects(grant);
  return reachable === 'all' ? undefined : reachable;
};

/** The same grant with more scopes (a diff batch's operations). */
export const withScopes = (grant: Grant, scopes: readonly string[]): Grant =>
  scopes.length ? { access: grant.access, scopes: [...new Set([...grant.scopes, ...scopes])] } : grant;

/**
 * Admits a request to something `projectId` holds: every scope of the grant there. Something the user may not even
 * see (`seeScope` there) is answered as missing, by `hidden`, so ids of other projects' content never leak; what they
 * see but may not do this to is a 403 naming what their role there lacks.
 */
export function admit(grant: Grant, projectId: string, seeScope: string, hidden: () => never): void {
  if (!mayInProject(grant.access, projectId, seeScope)) hidden();
  const missing = grant.scopes.filter((scope) => !mayInProject(grant.access, projectId, scope));
  if (!missing.length) return;
  const role = grant.access.projects.get(projectId)?.role;
  throw new ForbiddenError({
    reason: `The role of user ${grant.access.email} in this project (${role ?? 'none'}) does not allow this`,
    missingScopes: missing,
  });
}
