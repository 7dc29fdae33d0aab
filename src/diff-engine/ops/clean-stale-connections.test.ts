import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { cleanStaleConnections } from './clean-stale-connections.ts';
import { applyOne, testContext, testDoc } from './test-support.ts';

const toSet = { node: 'Set', type: 'main', index: 0 };
const toGone = { node: 'Gone', type: 'main', index: 0 };

/** Stale: edges from the missing "Ghost", and IF's edges to the missing "Gone" (inner slot 0 and trailing slot 2). */
function staleDoc() {
  const doc = testDoc();
  doc.connections.IF = { main: [[toGone], [toSet], [toGone]], ai_tool: [[{ node: 'Gone', type: 'ai_tool', index: 0 }]] };
  doc.connections.Ghost = { main: [[toSet]] };
  return doc;
}

const expectedStale = [
  { source: 'IF', target: 'Gone', output: 'main', index: 0 },
  { source: 'IF', target: 'Gone', output: 'main', index: 2 },
  { source: 'IF', target: 'Gone', output: 'ai_tool', index: 0 },
  { source: 'Ghost', target: 'Set', output: 'main', index: 0 },
];

describe('cleanStaleConnections', () => {
  it('dryRun reports stale connections without removing them', () => {
    const ctx = testContext(staleDoc());
    cleanStaleConnections(ctx, { type: 'cleanStaleConnections', dryRun: true });
    expect(ctx.staleConnections).toEqual(expectedStale);
    expect(ctx.doc.connections).toEqual(staleDoc().connections);
  });

  it('dryRun through the batch: the report comes back, and the stale connections the input had are warnings', () => {
    const result = applyOne(staleDoc(), { type: 'cleanStaleConnections', dryRun: true });
    expect(result.staleConnections).toEqual(expectedStale);
    expect(result).toMatchObject({ ok: true, errors: [] });
    expect(result.doc.connections).toEqual(staleDoc().connections);
    // Each message once, though IF has three stale edges to "Gone".
    expect(result.warnings).toEqual(
      [
        'Stale connection from "IF" to "Gone", which is not a node. Run cleanStaleConnections or remove it.',
        'IF node "IF" has two outputs (true = 0, false = 1) but has connections on output 2. Use branch: "true" or "false".',
        'Connections come from "Ghost", which is not a node. Run cleanStaleConnections or remove them.',
      ].map((problem) => `Pre-existing problem, not caused by this batch: ${problem}`),
    );
  });

  it('dryRun after a batch made connections stale: they fail the invariants', () => {
    const result = applyOperations(testDoc(), [
      { type: 'removeConnection', source: 'IF', target: 'Set' },
      { type: 'replaceConnections', connections: { IF: { main: [[toGone]] } } },
      { type: 'cleanStaleConnections', dryRun: true },
    ]);
    expect(result.staleConnections).toEqual([{ source: 'IF', target: 'Gone', output: 'main', index: 0 }]);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        operation: -1,
        code: 'STRUCTURAL_INTEGRITY',
        message: 'Stale connection from "IF" to "Gone", which is not a node. Run cleanStaleConnections or remove it.',
      },
    ]);
  });

  it('removes stale source keys and edges, trimming trailing empty slots only, and reports what it removed', () => {
    const result = applyOne(staleDoc(), { type: 'cleanStaleConnections' });
    expect(result.ok).toBe(true);
    expect(result.doc.connections).toEqual({
      Webhook: { main: [[{ node: 'IF', type: 'main', index: 0 }]] },
      IF: { main: [[], [toSet]] },
    });
    expect(result.staleConnections).toEqual(expectedStale);
  });

  it('does nothing on a clean workflow', () => {
    const input = testDoc();
    const result = applyOne(input, { type: 'cleanStaleConnections' });
    expect(result).toMatchObject({ ok: true, staleConnections: [] });
    expect(result.doc.connections).toEqual(input.connections);
  });

  it('cleans up after operations earlier in the batch', () => {
    const result = applyOperations(testDoc(), [
      { type: 'replaceConnections', connections: { Set: { main: [[toGone], [{ node: 'IF', type: 'main', index: 0 }]] } } },
      { type: 'cleanStaleConnections' },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections).toEqual({ Set: { main: [[], [{ node: 'IF', type: 'main', index: 0 }]] } });
  });

  it('rejects a non-boolean dryRun', () => {
    const result = applyOne(testDoc(), { type: 'cleanStaleConnections', dryRun: 'yes' });
    expect(result.ok).toBe(false);
    expect(result.errors[0]?.message).toMatch(/^operations\[0\]: .* at dryRun$/);
  });
});
