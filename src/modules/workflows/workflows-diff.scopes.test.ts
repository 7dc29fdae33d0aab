import { describe, expect, it } from 'vitest';
import { OperationSchema } from '../../diff-engine/index.ts';
import { SCOPES } from '../api-keys/scopes.ts';
import { addedTagNames, assertOperationScopes, OPERATION_SCOPES } from './workflows-diff.scopes.ts';

const EDITOR = ['workflow:read', 'workflow:update'];

describe('OPERATION_SCOPES', () => {
  it('declares scopes for exactly the operation types the engine knows, each a real scope', () => {
    const types = OperationSchema.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(OPERATION_SCOPES).sort()).toEqual(types);
    for (const scopes of Object.values(OPERATION_SCOPES)) for (const scope of scopes) expect(SCOPES).toContain(scope);
  });

  it('asks for what the standalone routes ask for', () => {
    expect(OPERATION_SCOPES.activateWorkflow).toEqual(['workflow:activate']);
    expect(OPERATION_SCOPES.deactivateWorkflow).toEqual(['workflow:deactivate']);
    expect(OPERATION_SCOPES.addTag).toEqual(['workflowTags:update']);
    expect(OPERATION_SCOPES.removeTag).toEqual(['workflowTags:update']);
  });
});

describe('assertOperationScopes', () => {
  const none = new Set<string>();

  it('lets node and connection edits through with workflow:update alone', () => {
    expect(() =>
      assertOperationScopes([{ type: 'addNode' }, { type: 'updateSettings' }, { type: 'bogus' }, null], EDITOR, none),
    ).not.toThrow();
  });

  it('names the operation and the scope it lacks', () => {
    const attempt = () => assertOperationScopes([{ type: 'moveNode' }, { type: 'activateWorkflow' }], EDITOR, none);
    expect(attempt).toThrow('Forbidden: operations[1] (activateWorkflow) needs the scope workflow:activate');
    try {
      attempt();
    } catch (err) {
      expect((err as { statusCode: number; details: unknown }).statusCode).toBe(403);
      expect((err as { details: unknown }).details).toMatchObject({
        operation: 1,
        type: 'activateWorkflow',
        missingScopes: ['workflow:activate'],
      });
    }
  });

  it('needs tag:create only for a tag that does not exist yet', () => {
    const tagger = [...EDITOR, 'workflowTags:update'];
    expect(() => assertOperationScopes([{ type: 'addTag', tag: ' known ' }], tagger, new Set(['known']))).not.toThrow();
    expect(() => assertOperationScopes([{ type: 'addTag', tag: 'new' }], tagger, new Set(['known']))).toThrow(/needs the scope tag:create/);
    expect(() => assertOperationScopes([{ type: 'addTag', tag: 'new' }], [...tagger, 'tag:create'], none)).not.toThrow();
    expect(() => assertOperationScopes([{ type: 'removeTag', tag: 'x' }], EDITOR, none)).toThrow(/workflowTags:update/);
    expect(() => assertOperationScopes([{ type: 'activateWorkflow' }], ['workflow:*'], none)).not.toThrow();
  });

  it('reads the added tag names as the engine does', () => {
    expect(
      addedTagNames([{ type: 'addTag', tag: ' a ' }, { type: 'addTag', tag: 'a' }, { type: 'removeTag', tag: 'b' }, { type: 'addTag' }]),
    ).toEqual(['a']);
  });
});
