import { describe, expect, it } from 'vitest';
import { findJsonProblem, mayHoldUnstorableString, unstorableReason } from './json-limits.ts';

describe('findJsonProblem', () => {
  it('names the path of a string PostgreSQL cannot store, or of such a key', () => {
    expect(findJsonProblem({ nodes: [{ name: 'a\u0000b' }] }, { strings: true })).toEqual({
      path: 'nodes/0/name',
      message: expect.stringMatching(/^contains a NUL character/),
    });
    expect(findJsonProblem({ p: { '\udc00': 1 } }, { strings: true })?.path).toBe('p/\udc00');
    expect(findJsonProblem({ p: { '\udc00': 1 } }, { strings: true })?.message).toMatch(
      /^has a key that contains an unpaired UTF-16 surrogate/,
    );
  });

  it('accepts surrogate pairs and ignores strings when not asked to check them', () => {
    expect(findJsonProblem({ emoji: '\ud83d\ude80' }, { strings: true })).toBeUndefined();
    expect(findJsonProblem({ name: 'a\u0000b' }, { strings: false })).toBeUndefined();
  });

  it('bounds nesting, at the depth where it is exceeded', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(findJsonProblem(deep, { strings: false, maxDepth: 10 })).toBeUndefined();
    expect(findJsonProblem([deep], { strings: false, maxDepth: 10 })).toEqual({
      path: '0/0/0/0/0/0/0/0/0/0',
      message: 'is nested more than 10 levels deep; flatten the structure',
    });
  });
});

describe('the raw-text precheck', () => {
  it('is certain when there is no escape that could produce an unstorable string', () => {
    expect(mayHoldUnstorableString('{"a":"plain \\u00e9 text \\ud83d\\ude80"}')).toBe(true);
    expect(mayHoldUnstorableString('{"a":"plain \\u00e9 text"}')).toBe(false);
    expect(mayHoldUnstorableString('{"a":"\\u0000"}')).toBe(true);
    expect(unstorableReason('fine')).toBeUndefined();
  });
});
