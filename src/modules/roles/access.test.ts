import { describe, expect, it } from 'vitest';
import { SCOPES } from '../api-keys/scopes.ts';
import { buildAccess, expandKeyScope, mayAnywhere, mayGlobally, mayInProject, scopesBeyondRole } from './access.ts';

const access = (globalRole: string, memberships: { projectId: string; role: string }[] = [], custom = new Map<string, string[]>()) =>
  buildAccess({ userId: 'u1', email: 'u@example.com', globalRole, memberships, customRoles: custom });

describe('access', () => {
  it('the owner and admins may hold every API-key scope; an unknown role grants nothing', () => {
    for (const role of ['global:owner', 'global:admin']) expect(scopesBeyondRole(access(role), ['*'])).toEqual([]);
    expect(scopesBeyondRole(access('global:nobody'), ['tag:list'])).toEqual(['tag:list']);
  });

  it('a member gets global scopes from their role and the rest from their personal project', () => {
    const member = access('global:member', [{ projectId: 'p1', role: 'project:personalOwner' }]);
    expect(mayGlobally(member, 'tag:create')).toBe(true);
    expect(mayGlobally(member, 'tag:delete')).toBe(false);
    expect(mayGlobally(member, 'workflow:read')).toBe(false);
    expect(mayAnywhere(member, 'workflow:read')).toBe(true);
    // Executions follow the workflow's scopes, activation is publishing.
    expect(mayInProject(member, 'p1', 'execution:delete')).toBe(true);
    expect(mayInProject(member, 'p1', 'workflow:activate')).toBe(true);
    expect(mayInProject(member, 'p2', 'workflow:read')).toBe(false);
    expect(scopesBeyondRole(member, ['workflow:*', 'execution:*', 'user:create', 'securityAudit:generate'])).toEqual([
      'user:create',
      'securityAudit:generate',
    ]);
  });

  it('a viewer may read but not change; variables are allowed through project variable scopes', () => {
    const viewer = access('global:member', [{ projectId: 'p1', role: 'project:viewer' }]);
    expect(mayInProject(viewer, 'p1', 'workflow:read')).toBe(true);
    expect(mayInProject(viewer, 'p1', 'workflow:update')).toBe(false);
    expect(mayInProject(viewer, 'p1', 'execution:retry')).toBe(false);
    const editor = access('global:member', [{ projectId: 'p1', role: 'project:editor' }]);
    expect(mayInProject(editor, 'p1', 'variable:create')).toBe(true);
  });

  it('custom roles grant their stored scopes', () => {
    const custom = new Map([['project:reader', ['workflow:read']]]);
    const reader = access('global:member', [{ projectId: 'p1', role: 'project:reader' }], custom);
    expect(mayInProject(reader, 'p1', 'workflow:read')).toBe(true);
    expect(mayInProject(reader, 'p1', 'workflow:list')).toBe(false);
  });

  it('expands wildcards to the scopes of today', () => {
    expect(expandKeyScope('*')).toEqual(SCOPES);
    expect(expandKeyScope('tag:*')).toEqual(['tag:create', 'tag:read', 'tag:update', 'tag:delete', 'tag:list']);
    expect(expandKeyScope('workflow:read')).toEqual(['workflow:read']);
  });
});
