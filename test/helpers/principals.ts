import type { Principal } from '../../src/modules/api-keys/api-keys.service.ts';
import { buildAccess } from '../../src/modules/roles/access.ts';
import type { Caller, Grant } from '../../src/modules/roles/grant.ts';

/** A principal built by hand for calling services directly (fixtures, benchmarks): a `*` key of an owner. */
export function ownerPrincipal(label = 'fixture', apiKeyId = label): Principal {
  return {
    apiKeyId,
    label,
    scopes: ['*'],
    access: buildAccess({
      userId: '00000000-0000-4000-8000-000000000000',
      email: 'owner@flowgate.local',
      globalRole: 'global:owner',
      memberships: [],
      customRoles: new Map(),
    }),
  };
}

/**
 * A principal as a caller of services, for fixtures and benchmarks: its grant names no route scopes, so it reaches
 * what its user may see (everything, for the owner). Authorization itself is tested over HTTP.
 */
export function asCaller(principal: Principal): Caller {
  return { principal, grant: { access: principal.access, scopes: [] } };
}

/** The owner principal's grant, for service calls that take one. */
export const ownerGrant = (): Grant => asCaller(ownerPrincipal()).grant;
