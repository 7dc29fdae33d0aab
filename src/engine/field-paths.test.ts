import { describe, expect, it } from 'vitest';
import { parsePath, readField, readPath, removePath, writePath } from './field-paths.ts';
import type { JsonObject } from './types.ts';

// Expected segments are what lodash 4's castPath gives for the same path (checked against lodash itself).
describe('parsePath', () => {
  it.each([
    ['a', ['a']],
    ['a.b', ['a', 'b']],
    ['a[0].b', ['a', '0', 'b']],
    ['a[0][1]', ['a', '0', '1']],
    ['a["b.c"]', ['a', 'b.c']],
    ["a['b.c'].d", ['a', 'b.c', 'd']],
    ["a['it\\'s']", ['a', "it's"]],
    ['a[b.c]', ['a', 'b', 'c']],
    ['a[-1]', ['a', '-1']],
    ['a..b', ['a', '', 'b']],
    ['.a', ['', 'a']],
    ['a.', ['a', '']],
    ['a[]', ['a', '']],
    ['a[b', ['a[b']],
    ['a]b', ['a]b']],
    ['a b', ['a b']],
    ['', ['']],
  ])('%s → %j', (path, segments) => {
    expect(parsePath({}, path)).toEqual(segments);
  });

  it('keeps a key the object holds as written in one piece, own keys only', () => {
    expect(parsePath({ 'a.b': 1 }, 'a.b')).toEqual(['a.b']);
    expect(parsePath({ 'a[0]': 1 }, 'a[0]')).toEqual(['a[0]']);
    expect(parsePath(Object.create({ 'a.b': 1 }), 'a.b')).toEqual(['a', 'b']);
  });
});

describe('readPath, writePath, removePath (lodash get, set, unset)', () => {
  const data = (): JsonObject => ({ a: [{ b: 1 }, { b: [5, 6] }], 'a.b': 'literal', x: { 'y.z': 2 } });

  it('reads bracket paths and prefers a key that exists as written', () => {
    expect(readPath(data(), 'a[1].b[0]')).toBe(5);
    expect(readPath(data(), 'x["y.z"]')).toBe(2);
    expect(readPath(data(), 'a.b')).toBe('literal');
    expect(readPath(data(), 'a[2].b')).toBeUndefined();
  });

  it('writes like lodash set: arrays before an index, objects otherwise', () => {
    const json: JsonObject = {};
    writePath(json, 'list[1].name', 'n');
    writePath(json, 'meta["team.id"]', 7);
    expect(json).toEqual({ list: [undefined, { name: 'n' }], meta: { 'team.id': 7 } });
  });

  it('removes a bracket path', () => {
    const json = data();
    removePath(json, 'a[1].b');
    removePath(json, 'x["y.z"]');
    expect(json).toEqual({ a: [{ b: 1 }, {}], 'a.b': 'literal', x: {} });
  });

  it('never walks, writes or removes through a prototype key in bracket form', () => {
    const json: JsonObject = { a: {} };
    writePath(json, '["__proto__"].polluted', 'yes');
    writePath(json, 'b[0]["constructor"]["prototype"].polluted', 'yes');
    removePath(json, 'a["constructor"]["prototype"]["hasOwnProperty"]');
    expect(json).toEqual({ a: {} });
    expect(({} as JsonObject).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'hasOwnProperty')).toBe(true);
    expect(readPath(json, 'a["constructor"]')).toBeUndefined();
  });

  it('readField takes the name literally with disableDotNotation', () => {
    expect(readField(data(), 'x["y.z"]', true)).toBeUndefined();
    expect(readField({ 'x["y.z"]': 1 }, 'x["y.z"]', true)).toBe(1);
    expect(readField(data(), 'x["y.z"]', false)).toBe(2);
  });
});
