import { describe, expect, it } from 'vitest';
import { forEachEdge, runnableConnections } from './connections.ts';

describe('runnableConnections', () => {
  it('keeps the well-formed edges at their output index and drops the rest', () => {
    const stored = {
      A: {
        main: [
          [{ node: 'B', type: 'main', index: 0 }],
          { node: 'C', type: 'main', index: 0 },
          [{ node: 'C' }, { node: 'D', type: 'main', index: 1 }],
        ],
      },
      B: 'not an object',
      C: { main: 'not a list', ai_tool: [[{ node: 'A', type: 'ai_tool', index: 0 }]] },
    };
    expect(JSON.parse(JSON.stringify(runnableConnections(stored)))).toEqual({
      A: { main: [[{ node: 'B', type: 'main', index: 0 }], null, [{ node: 'D', type: 'main', index: 1 }]] },
      C: { ai_tool: [[{ node: 'A', type: 'ai_tool', index: 0 }]] },
    });
    expect(runnableConnections(null)).toEqual({});
    expect(runnableConnections([1, 2])).toEqual({});
  });

  it('keeps "__proto__" as a node name and a connection type, never touching Object.prototype', () => {
    const stored = JSON.parse('{"__proto__":{"__proto__":[[{"node":"B","type":"main","index":0}]]}}');
    const result = runnableConnections(stored);
    expect(Object.keys(result)).toEqual(['__proto__']);
    const proto = '__proto__';
    expect(result[proto]?.[proto]).toEqual([[{ node: 'B', type: 'main', index: 0 }]]);
    expect(({} as Record<string, unknown>).main).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('visits edges with their position, skipping malformed ones without shifting the others', () => {
    const seen: string[] = [];
    forEachEdge({ A: { main: [[{ bad: 1 }, { node: 'B', type: 'main', index: 0 }]] } }, (s, t, o, p, e) =>
      seen.push(`${s}/${t}/${o}/${p}->${e.node}`),
    );
    expect(seen).toEqual(['A/main/0/1->B']);
  });
});
