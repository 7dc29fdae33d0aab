import type { Principal } from '../../src/modules/api-keys/api-keys.service.ts';
import { buildAccess } from '../../src/modules/roles/access.ts';

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
