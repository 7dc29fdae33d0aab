import { describe, expect, it } from 'vitest';
import { createWorkflowDocumentCache, type DocumentValues } from './workflow-documents.cache.ts';

const documents = (nodes: object[]): DocumentValues =>
  ({ nodes, connections: {}, nodeGroups: [], settings: { executionOrder: 'v1' }, staticData: null, pinData: null, meta: null }) as never;

describe('workflow document cache', () => {
  it('hands an edit the values it wrote only while the row is still at that row version, deep-frozen', () => {
    const cache = createWorkflowDocumentCache({ maxBytes: 1024 * 1024 });
    const values = documents([{ name: 'A', parameters: { deep: { x: 1 } } }]);
    const texts = cache.serialize(values);
    cache.setWritten('w:v1:1', texts, values, '100');
    const got = cache.values('w:v1:1', '100')!;
    expect(got.nodes).toEqual([{ name: 'A', parameters: { deep: { x: 1 } } }]);
    expect(Object.isFrozen((got.nodes[0] as unknown as { parameters: { deep: object } }).parameters.deep)).toBe(true);
    expect(cache.values('w:v1:1', '101')).toBeUndefined();
    expect(cache.values('w:v2:1', '100')).toBeUndefined();
    // The list pages' view of the same entry: the text written.
    expect(cache.get('w:v1:1')?.nodes.text).toBe(texts.nodes);
  });

  it('serializes a kept node from its remembered text and a changed one anew, as JSON.stringify would', () => {
    const cache = createWorkflowDocumentCache({ maxBytes: 1024 * 1024 });
    const kept = { name: 'Kept', parameters: { a: 1 } };
    const first = documents([kept, { name: 'Other', parameters: {} }]);
    cache.setWritten('w:v1:1', cache.serialize(first), first, '1');
    const next = documents([kept, { name: 'Other', parameters: { b: [1, null] } }]);
    const texts = cache.serialize(next);
    expect(texts.nodes).toBe(JSON.stringify(next.nodes));
    expect(JSON.parse(texts.settings!)).toEqual({ executionOrder: 'v1' });
    expect(texts.staticData).toBeNull();
    expect(() => {
      (kept.parameters as { a: number }).a = 2;
    }).toThrow(TypeError);
  });

  it('keeps nothing and freezes nothing when turned off', () => {
    const cache = createWorkflowDocumentCache({ maxBytes: 0 });
    const values = documents([{ name: 'A', parameters: {} }]);
    cache.setWritten('k', cache.serialize(values), values, '1');
    expect(cache.values('k', '1')).toBeUndefined();
    expect(Object.isFrozen(values.nodes[0])).toBe(false);
  });
});
