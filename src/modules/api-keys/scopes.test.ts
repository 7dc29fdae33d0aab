import { describe, expect, it } from 'vitest';
import { coversScopes, hasScope, isGrantableScope, SCOPES, type Scope, uncoveredScopes } from './scopes.ts';

const RESOURCES = [...new Set(SCOPES.map((s) => s.split(':')[0]!))];
const WORKFLOW_SCOPES = SCOPES.filter((s) => s.startsWith('workflow:'));

describe('SCOPES', () => {
  it('holds unique resource:action names', () => {
    expect(new Set(SCOPES).size).toBe(SCOPES.length);
    for (const scope of SCOPES) expect(scope).toMatch(/^[a-zA-Z]+:[a-zA-Z]+$/);
  });
});

describe('isGrantableScope', () => {
  it.each([...SCOPES])('accepts the known scope %s', (scope) => {
    expect(isGrantableScope(scope)).toBe(true);
  });

  it('accepts *', () => {
    expect(isGrantableScope('*')).toBe(true);
  });

  it.each(RESOURCES)('accepts %s:*', (resource) => {
    expect(isGrantableScope(`${resource}:*`)).toBe(true);
  });

  it.each([
    '',
    'workflow',
    'workflow:',
    ':read',
    ':*',
    '*:*',
    '*:read',
    'workflow:fly',
    'Workflow:read',
    'workflow:READ',
    'nope:*',
    'nope:read',
    'workflows:*',
    'workflow:read:extra',
    ' workflow:read',
    'workflow:read ',
    '**',
  ])('rejects %j', (value) => {
    expect(isGrantableScope(value)).toBe(false);
  });

  // Documents a bug: split(':') ignores everything after the second segment, so a wildcard with trailing parts passes.
  it.each(['workflow:*:extra', 'tag:*:', 'workflow:*:read'])('rejects the malformed wildcard %j', (value) => {
    expect(isGrantableScope(value)).toBe(false);
  });
});

describe('hasScope', () => {
  it('grants an exact scope', () => {
    expect(hasScope(['workflow:read'], 'workflow:read')).toBe(true);
    expect(hasScope(['tag:list', 'workflow:read'], 'workflow:read')).toBe(true);
  });

  it('does not grant a different action on the same resource', () => {
    expect(hasScope(['workflow:read'], 'workflow:update')).toBe(false);
  });

  it('grants nothing from an empty list', () => {
    expect(hasScope([], 'workflow:read')).toBe(false);
  });

  it.each([...SCOPES])('grants %s from *', (scope) => {
    expect(hasScope(['*'], scope)).toBe(true);
  });

  it.each([...SCOPES])('grants %s from its own resource:*', (scope) => {
    const resource = scope.split(':')[0]!;
    expect(hasScope([`${resource}:*`], scope)).toBe(true);
  });

  it.each([...SCOPES])('does not grant %s from any other resource:*', (scope) => {
    const own = scope.split(':')[0]!;
    const others = RESOURCES.filter((r) => r !== own).map((r) => `${r}:*`);
    expect(hasScope(others, scope)).toBe(false);
  });

  it('keeps workflow:* and workflowTags:* apart (a shared prefix is not a shared resource)', () => {
    expect(hasScope(['workflow:*'], 'workflowTags:update')).toBe(false);
    expect(hasScope(['workflow:*'], 'workflowTags:list')).toBe(false);
    expect(hasScope(['workflowTags:*'], 'workflow:update')).toBe(false);
    expect(hasScope(['workflowTags:*'], 'workflowTags:update')).toBe(true);
  });

  it('does not treat malformed wildcards as wildcards', () => {
    expect(hasScope(['*:*'], 'workflow:read')).toBe(false);
    expect(hasScope(['workflow*'], 'workflow:read')).toBe(false);
    expect(hasScope(['workflow:'], 'workflow:read')).toBe(false);
    expect(hasScope(['**'], 'workflow:read')).toBe(false);
    expect(hasScope(['*:read'], 'workflow:read')).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(hasScope(['Workflow:read'], 'workflow:read')).toBe(false);
    expect(hasScope(['WORKFLOW:*'], 'workflow:read')).toBe(false);
  });
});

describe('coversScopes', () => {
  it('covers a subset of individual scopes', () => {
    expect(coversScopes(['workflow:read', 'workflow:list', 'tag:list'], ['workflow:read', 'tag:list'])).toBe(true);
  });

  it('covers the same list', () => {
    expect(coversScopes(['workflow:read', 'tag:list'], ['workflow:read', 'tag:list'])).toBe(true);
  });

  it('does not cover a scope the key lacks', () => {
    expect(coversScopes(['workflow:read'], ['workflow:read', 'workflow:delete'])).toBe(false);
    expect(coversScopes([], ['workflow:read'])).toBe(false);
  });

  it('covers an empty request', () => {
    expect(coversScopes([], [])).toBe(true);
  });

  it('covers individual scopes of a resource from resource:*', () => {
    expect(coversScopes(['workflow:*'], WORKFLOW_SCOPES)).toBe(true);
  });

  it('does not cover another resource from resource:*', () => {
    expect(coversScopes(['workflow:*'], ['workflowTags:update'])).toBe(false);
    expect(coversScopes(['workflow:*'], ['tag:read'])).toBe(false);
  });

  it('covers resource:* from the same resource:*', () => {
    expect(coversScopes(['workflow:*'], ['workflow:*'])).toBe(true);
  });

  it('does not cover resource:* from every individual scope of that resource (a key cannot mint a stronger key)', () => {
    expect(coversScopes(WORKFLOW_SCOPES, ['workflow:*'])).toBe(false);
  });

  it('does not cover resource:* from a different resource:*', () => {
    expect(coversScopes(['workflow:*'], ['workflowTags:*'])).toBe(false);
    expect(coversScopes(['workflowTags:*'], ['workflow:*'])).toBe(false);
  });

  it('covers anything from *', () => {
    expect(coversScopes(['*'], [...SCOPES])).toBe(true);
    expect(
      coversScopes(
        ['*'],
        RESOURCES.map((r) => `${r}:*`),
      ),
    ).toBe(true);
    expect(coversScopes(['*'], ['*'])).toBe(true);
  });

  it('covers * only from *', () => {
    expect(coversScopes(['*'], ['*'])).toBe(true);
    expect(coversScopes([...SCOPES], ['*'])).toBe(false);
    expect(
      coversScopes(
        RESOURCES.map((r) => `${r}:*`),
        ['*'],
      ),
    ).toBe(false);
    expect(coversScopes([...SCOPES, ...RESOURCES.map((r) => `${r}:*`)], ['*'])).toBe(false);
  });

  it('fails when any one requested scope is not covered', () => {
    expect(coversScopes(['workflow:*', 'tag:read'], ['workflow:read', 'tag:read', 'tag:delete'])).toBe(false);
    expect(coversScopes(['workflow:*', 'tag:read'], ['workflow:read', 'tag:read'])).toBe(true);
  });

  it('agrees with hasScope for every individual scope', () => {
    const granted = ['workflow:*', 'tag:read', 'execution:list'];
    for (const scope of SCOPES as readonly Scope[]) {
      expect(coversScopes(granted, [scope])).toBe(hasScope(granted, scope));
    }
  });
});

describe('uncoveredScopes', () => {
  it('is empty when everything is covered', () => {
    expect(uncoveredScopes(['*'], ['*', 'workflow:*', 'tag:read'])).toEqual([]);
    expect(uncoveredScopes(['workflow:*'], ['workflow:read', 'workflow:*'])).toEqual([]);
    expect(uncoveredScopes([], [])).toEqual([]);
  });

  it('names each scope that is not covered, in the order asked for', () => {
    expect(uncoveredScopes(['apiKey:delete'], ['*'])).toEqual(['*']);
    expect(uncoveredScopes(['workflow:read'], ['workflow:read', 'workflow:*', 'tag:list'])).toEqual(['workflow:*', 'tag:list']);
    expect(uncoveredScopes([...SCOPES], ['*', 'tag:*'])).toEqual(['*', 'tag:*']);
  });

  it('agrees with coversScopes', () => {
    const granted = ['workflow:*', 'tag:read'];
    for (const requested of [['workflow:read'], ['tag:*'], ['*'], ['tag:read', 'execution:list']]) {
      expect(uncoveredScopes(granted, requested).length === 0).toBe(coversScopes(granted, requested));
    }
  });
});
