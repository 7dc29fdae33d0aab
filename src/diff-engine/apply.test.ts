import { describe, expect, it } from 'vitest';
import { applyOperations } from './apply.ts';
import type { WorkflowDoc } from './types.ts';

const node = (name: string, type = 'n8n-nodes-base.set', extra: Record<string, unknown> = {}) => ({
  id: `id-${name}`,
  name,
  type,
  typeVersion: 1,
  position: [0, 0] as [number, number],
  parameters: {},
  ...extra,
});

function doc(): WorkflowDoc {
  return {
    name: 'W',
    nodes: [node('Webhook', 'n8n-nodes-base.webhook'), node('IF', 'n8n-nodes-base.if'), node('Set')],
    connections: {
      Webhook: { main: [[{ node: 'IF', type: 'main', index: 0 }]] },
      IF: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
    active: false,
    tags: [],
  };
}

describe('applyOperations', () => {
  it('never mutates its input', () => {
    const input = doc();
    const snapshot = structuredClone(input);
    applyOperations(input, [
      { type: 'removeNode', nodeName: 'Set' },
      { type: 'updateName', name: 'X' },
    ]);
    expect(input).toEqual(snapshot);
  });

  it('runs node operations first, so a batch may connect a node before adding it', () => {
    const result = applyOperations(doc(), [
      { type: 'addConnection', source: 'IF', target: 'Slack', branch: 'false' },
      { type: 'addNode', node: { name: 'Slack', type: 'n8n-nodes-base.slack', position: [400, 200] } },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections.IF?.main?.[1]).toEqual([{ node: 'Slack', type: 'main', index: 0 }]);
    expect(result.doc.nodes.find((n) => n.name === 'Slack')?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('resolves a node by the name it had before a rename in the same batch', () => {
    const result = applyOperations(doc(), [
      { type: 'updateNode', nodeName: 'Set', changes: { name: 'Store' } },
      { type: 'addNode', node: { name: 'Log', type: 'n8n-nodes-base.noOp', position: [600, 0] } },
      { type: 'addConnection', source: 'Set', target: 'Log' },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections.IF?.main?.[0]).toEqual([{ node: 'Store', type: 'main', index: 0 }]);
    expect(result.doc.connections.Store?.main?.[0]).toEqual([{ node: 'Log', type: 'main', index: 0 }]);
  });

  it('is atomic by default: one failure returns the input unchanged, with the failing index', () => {
    const input = doc();
    const result = applyOperations(input, [
      { type: 'updateName', name: 'Renamed' },
      { type: 'removeNode', nodeName: 'Ghost' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.doc).toBe(input);
    expect(result.errors).toEqual([{ operation: 1, code: 'VALIDATION_ERROR', message: expect.stringMatching(/Node not found: "Ghost"/) }]);
  });

  it('with continueOnError applies what it can and reports applied and failed indexes', () => {
    const result = applyOperations(
      doc(),
      [
        { type: 'updateName', name: 'Renamed' },
        { type: 'removeNode', nodeName: 'Ghost' },
        { type: 'disableNode', nodeName: 'Set' },
        { type: 'bogus' },
      ],
      { continueOnError: true },
    );
    expect(result.ok).toBe(true);
    expect(result.applied).toEqual([0, 2]);
    expect(result.failed).toEqual([1, 3]);
    expect(result.doc.name).toBe('Renamed');
    expect(result.doc.nodes.find((n) => n.name === 'Set')?.disabled).toBe(true);
  });

  it('rejects malformed operations with the index and a clear message', () => {
    const result = applyOperations(doc(), [{ type: 'moveNode', nodeName: 'Set', position: [1] }, { type: 'teleport' }]);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.operation)).toEqual([0, 1]);
    expect(result.errors[1]?.message).toMatch(/Unknown operation type "teleport"\. Supported: addNode/);
  });

  it('removing a node removes its connections; IF keeps positional outputs', () => {
    const input = doc();
    input.connections.IF = { main: [[{ node: 'Set', type: 'main', index: 0 }], [{ node: 'Webhook', type: 'main', index: 0 }]] };
    const result = applyOperations(input, [{ type: 'removeNode', nodeName: 'Set' }]);
    expect(result.doc.connections.IF?.main).toEqual([[], [{ node: 'Webhook', type: 'main', index: 0 }]]);
  });

  it('rejects a third output on an IF node as STRUCTURAL_INTEGRITY', () => {
    const result = applyOperations(doc(), [{ type: 'addConnection', source: 'IF', target: 'Set', sourceIndex: 2 }]);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({
      operation: -1,
      code: 'STRUCTURAL_INTEGRITY',
      message: expect.stringMatching(/IF node "IF" has two outputs/),
    });
  });

  it('rejects a Switch case beyond its rules', () => {
    const input = doc();
    input.nodes.push(node('Switch', 'n8n-nodes-base.switch', { parameters: { rules: { values: [{}, {}] } } }));
    expect(applyOperations(input, [{ type: 'addConnection', source: 'Switch', target: 'Set', case: 1 }]).ok).toBe(true);
    const bad = applyOperations(input, [{ type: 'addConnection', source: 'Switch', target: 'Set', case: 2 }]);
    expect(bad.errors[0]).toMatchObject({
      code: 'STRUCTURAL_INTEGRITY',
      message: expect.stringMatching(/Switch node "Switch" has 2 output/),
    });
  });

  it('cleanStaleConnections dryRun reports without removing', () => {
    const input = doc();
    input.connections.Set = { main: [[{ node: 'Gone', type: 'main', index: 0 }]] };
    const dry = applyOperations(input, [{ type: 'cleanStaleConnections', dryRun: true }], { continueOnError: true });
    expect(dry.staleConnections).toEqual([{ source: 'Set', target: 'Gone', output: 'main', index: 0 }]);
    const real = applyOperations(input, [{ type: 'cleanStaleConnections' }]);
    expect(real.ok).toBe(true);
    expect(real.doc.connections.Set).toBeUndefined();
  });

  it('updateNode: dot paths with array indexes, intermediate objects, null deletes, alias "updates"', () => {
    const input = doc();
    input.nodes[2]!.parameters = { assignments: { assignments: [{ name: 'a' }, { name: 'b' }] }, drop: 1 };
    const result = applyOperations(input, [
      {
        type: 'updateNode',
        nodeName: 'Set',
        updates: { 'parameters.assignments.assignments[1].name': 'B', 'parameters.options.deep.flag': true, 'parameters.drop': null },
      },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.nodes[2]!.parameters).toEqual({
      assignments: { assignments: [{ name: 'a' }, { name: 'B' }] },
      options: { deep: { flag: true } },
    });
  });

  it('rewireConnection keeps the slot and moves the target; removeConnection with ignoreErrors is silent', () => {
    const input = doc();
    input.nodes.push(node('Other'));
    const result = applyOperations(input, [
      { type: 'rewireConnection', source: 'IF', from: 'Set', to: 'Other' },
      { type: 'removeConnection', source: 'Webhook', target: 'Set', ignoreErrors: true },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections.IF?.main?.[0]).toEqual([{ node: 'Other', type: 'main', index: 0 }]);
  });

  it('records activation, settings merge and tags for the service to apply', () => {
    const result = applyOperations(doc(), [
      { type: 'activateWorkflow' },
      { type: 'updateSettings', settings: { timezone: 'Europe/Berlin', executionOrder: null } },
      { type: 'addTag', tag: 'prod' },
      { type: 'addTag', tag: 'PROD' },
    ]);
    expect(result.doc).toMatchObject({ active: true, settings: { timezone: 'Europe/Berlin' }, tags: ['prod'] });
  });

  it('applies 50 operations to a 500-node workflow quickly', () => {
    const big = doc();
    for (let i = 0; i < 500; i++) big.nodes.push(node(`N${i}`));
    const ops = Array.from({ length: 50 }, (_, i) => ({ type: 'updateNode', nodeName: `N${i}`, changes: { 'parameters.value': i } }));
    const started = performance.now();
    const result = applyOperations(big, ops);
    expect(result.ok).toBe(true);
    // Generous bound for a loaded CI machine; the benchmark reports the real figure.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
