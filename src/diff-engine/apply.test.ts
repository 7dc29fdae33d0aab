import { describe, expect, it } from 'vitest';
import { applyOperations, PRE_EXISTING } from './apply.ts';
import { SWITCH_TYPE, testDoc, testNode } from './ops/test-support.ts';

// Batch semantics only; each operation has its own tests in ops/<operation>.test.ts.
describe('applyOperations', () => {
  it('never mutates its input', () => {
    const input = testDoc();
    const snapshot = structuredClone(input);
    applyOperations(input, [
      { type: 'removeNode', nodeName: 'Set' },
      { type: 'updateNode', nodeName: 'IF', changes: { 'parameters.x': 1, name: 'Check' } },
      { type: 'moveNode', nodeName: 'Webhook', position: [5, 5] },
      { type: 'updateSettings', settings: { executionOrder: null } },
      { type: 'addTag', tag: 'prod' },
      { type: 'updateName', name: 'X' },
    ]);
    expect(input).toEqual(snapshot);
  });

  it('copies connections of any stored shape: odd parts and a __proto__ key come back as they were, not shared', () => {
    const input = testDoc();
    const odd = JSON.parse(
      '{"__proto__": {"main": [[{"node": "IF", "type": "main", "index": 0, "extra": {"deep": [1]}}]]}, "Legacy": [1, 2], "Holes": {"main": [null, 7]}}',
    );
    input.connections = { ...input.connections, ...odd };
    const stored = structuredClone(input.connections);
    const result = applyOperations(input, [{ type: 'updateName', name: 'Renamed' }]);
    expect(result.ok).toBe(true);
    expect(Object.keys(result.doc.connections)).toContain('__proto__');
    expect(Object.getPrototypeOf(result.doc.connections)).toBe(Object.prototype);
    // An own key named __proto__, read as one (a plain property read would still find it, but lint rightly objects).
    const ownProto = (connections: object) =>
      Object.getOwnPropertyDescriptor(connections, '__proto__')?.value as { main: { extra: unknown }[][] };
    expect(ownProto(result.doc.connections)).toEqual(ownProto(stored));
    expect(ownProto(result.doc.connections).main[0]![0]!.extra).not.toBe(ownProto(input.connections).main[0]![0]!.extra);
    expect(result.doc.connections.Legacy).toEqual([1, 2]);
    expect(result.doc.connections.Holes).toEqual({ main: [null, 7] });
    expect(input.connections).toEqual(stored);
  });

  it('runs node operations first, so a batch may connect a node before adding it', () => {
    const result = applyOperations(testDoc(), [
      { type: 'addConnection', source: 'IF', target: 'Slack', branch: 'false' },
      { type: 'addNode', node: { name: 'Slack', type: 'n8n-nodes-base.slack', position: [400, 200] } },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections.IF?.main?.[1]).toEqual([{ node: 'Slack', type: 'main', index: 0 }]);
    expect(result.doc.nodes.find((n) => n.name === 'Slack')?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs each pass in request order', () => {
    const result = applyOperations(testDoc(), [
      { type: 'updateName', name: 'First' },
      { type: 'updateNode', nodeName: 'Set', changes: { notes: 'a' } },
      { type: 'updateName', name: 'Second' },
      { type: 'updateNode', nodeName: 'Set', changes: { notes: 'b' } },
    ]);
    expect(result.doc.name).toBe('Second');
    expect(result.doc.nodes[2]?.notes).toBe('b');
    expect(result.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('resolves a node by the name it had before a rename in the same batch', () => {
    const result = applyOperations(testDoc(), [
      { type: 'updateNode', nodeName: 'Set', changes: { name: 'Store' } },
      { type: 'addNode', node: { name: 'Log', type: 'n8n-nodes-base.noOp', position: [600, 0] } },
      { type: 'addConnection', source: 'Set', target: 'Log' },
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections.IF?.main?.[0]).toEqual([{ node: 'Store', type: 'main', index: 0 }]);
    expect(result.doc.connections.Store?.main?.[0]).toEqual([{ node: 'Log', type: 'main', index: 0 }]);
  });

  it('is atomic by default: one failure returns the input unchanged, with the failing index', () => {
    const input = testDoc();
    const result = applyOperations(input, [
      { type: 'updateName', name: 'Renamed' },
      { type: 'removeNode', nodeName: 'Ghost' },
      { type: 'addTag', tag: 'never-run' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.doc).toBe(input);
    expect(result.errors).toEqual([{ operation: 1, code: 'VALIDATION_ERROR', message: expect.stringMatching(/Node not found: "Ghost"/) }]);
    // Pass 1 (removeNode) failed first: nothing else ran.
    expect(result.results.map((r) => r.status)).toEqual(['not_run', 'failed', 'not_run']);
  });

  it('with continueOnError applies what it can and reports applied and failed indexes', () => {
    const result = applyOperations(
      testDoc(),
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

  it('with continueOnError, a batch where every operation fails is not ok', () => {
    const input = testDoc();
    const result = applyOperations(input, [{ type: 'removeNode', nodeName: 'Ghost' }], { continueOnError: true });
    expect(result).toMatchObject({ ok: false, applied: [], failed: [0] });
    expect(result.doc).toBe(input);
  });

  it('an empty batch is ok and returns an equal document', () => {
    const input = testDoc();
    const result = applyOperations(input, []);
    expect(result).toMatchObject({ ok: true, errors: [], results: [] });
    expect(result.doc).toEqual(input);
  });

  it('carries each operation description into its result', () => {
    const result = applyOperations(testDoc(), [{ type: 'updateName', name: 'X', description: 'tidy the name' }]);
    expect(result.results).toEqual([{ index: 0, type: 'updateName', status: 'applied', description: 'tidy the name' }]);
  });

  it('rejects malformed operations with the index and a clear message', () => {
    const result = applyOperations(testDoc(), [{ type: 'moveNode', nodeName: 'Set', position: [1] }, { type: 'teleport' }, null]);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.operation)).toEqual([0, 1, 2]);
    expect(result.errors[0]?.message).toMatch(/^operations\[0\]: .* at position$/);
    expect(result.errors[1]?.message).toMatch(/Unknown operation type "teleport"\. Supported: addNode/);
    expect(result.errors[2]?.message).toMatch(/^operations\[2\]: Unknown operation type undefined/);
    expect(result.results.map((r) => r.type)).toEqual(['moveNode', 'teleport', 'unknown']);
  });

  it('names unknown fields of an operation', () => {
    const result = applyOperations(testDoc(), [{ type: 'removeNode', nodeName: 'Set', cascade: true }]);
    expect(result.errors).toEqual([
      { operation: 0, code: 'VALIDATION_ERROR', message: 'operations[0]: unknown field(s) "cascade" for removeNode' },
    ]);
  });

  it('rejects a third output on an IF node as STRUCTURAL_INTEGRITY', () => {
    const result = applyOperations(testDoc(), [{ type: 'addConnection', source: 'IF', target: 'Set', sourceIndex: 2 }]);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({
      operation: -1,
      code: 'STRUCTURAL_INTEGRITY',
      message: expect.stringMatching(/IF node "IF" has two outputs/),
    });
  });

  it('rejects a Switch case beyond its rules (plus the fallback output when it has one)', () => {
    const input = testDoc(testNode('Switch', SWITCH_TYPE, { parameters: { rules: { values: [{}, {}] } } }));
    expect(applyOperations(input, [{ type: 'addConnection', source: 'Switch', target: 'Set', case: 1 }]).ok).toBe(true);
    const bad = applyOperations(input, [{ type: 'addConnection', source: 'Switch', target: 'Set', case: 2 }]);
    expect(bad.errors[0]).toMatchObject({
      code: 'STRUCTURAL_INTEGRITY',
      message: expect.stringMatching(/Switch node "Switch" has 2 output/),
    });
    const withFallback = testDoc(
      testNode('Switch', SWITCH_TYPE, { parameters: { rules: { values: [{}, {}] }, options: { fallbackOutput: 'extra' } } }),
    );
    expect(applyOperations(withFallback, [{ type: 'addConnection', source: 'Switch', target: 'Set', case: 2 }]).ok).toBe(true);
  });

  it('checks invariants on the whole result, even when every operation succeeded', () => {
    const input = testDoc(testNode('Other'));
    const result = applyOperations(
      input,
      [
        { type: 'updateName', name: 'X' },
        { type: 'addConnection', source: 'IF', target: 'Other', sourceIndex: 2 },
      ],
      {
        continueOnError: true,
      },
    );
    expect(result.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(result.ok).toBe(false);
    expect(result.doc).toBe(input);
    expect(result.errors).toEqual([
      {
        operation: -1,
        code: 'STRUCTURAL_INTEGRITY',
        message: 'IF node "IF" has two outputs (true = 0, false = 1) but has connections on output 2. Use branch: "true" or "false".',
      },
    ]);
  });

  it('problems the input already had are warnings, not errors, when the batch did not cause them', () => {
    const input = testDoc(testNode(' Set '));
    const result = applyOperations(input, [{ type: 'updateName', name: 'X' }]);
    expect(result).toMatchObject({ ok: true, errors: [] });
    expect(result.doc.name).toBe('X');
    expect(result.warnings).toEqual([
      'Pre-existing problem, not caused by this batch: Duplicate node name: " Set " and "Set"; node names must be unique',
    ]);
    const unnamed = applyOperations({ ...testDoc(), name: ' ' }, []);
    expect(unnamed).toMatchObject({ ok: true, errors: [], warnings: [`${PRE_EXISTING}The workflow name must not be empty`] });
  });

  it('a batch that causes a new problem still fails, also next to pre-existing ones, counted per occurrence', () => {
    const input = testDoc(testNode(' Set '), testNode('Other'));
    const toGone = { node: 'Gone', type: 'main', index: 0 };
    input.connections.Set = { main: [[toGone]] };
    const stale = 'Stale connection from "Set" to "Gone", which is not a node. Run cleanStaleConnections or remove it.';
    const result = applyOperations(input, [
      {
        type: 'replaceConnections',
        connections: { ...input.connections, Webhook: { main: [[{ node: 'Lost', type: 'main', index: 0 }]] } },
      },
    ]);
    expect(result.ok).toBe(false);
    expect(result.doc).toBe(input);
    expect(result.errors).toEqual([
      {
        operation: -1,
        code: 'STRUCTURAL_INTEGRITY',
        message: 'Stale connection from "Webhook" to "Lost", which is not a node. Run cleanStaleConnections or remove it.',
      },
    ]);
    expect(result.warnings).toEqual([
      `${PRE_EXISTING}Duplicate node name: " Set " and "Set"; node names must be unique`,
      `${PRE_EXISTING}${stale}`,
    ]);
    // A second stale edge with the same message is new: the input had one.
    const twice = applyOperations(input, [{ type: 'replaceConnections', connections: { Set: { main: [[toGone], [toGone]] } } }]);
    expect(twice.errors).toEqual([{ operation: -1, code: 'STRUCTURAL_INTEGRITY', message: stale }]);
  });

  it('an imported quirk (IF output 2, a Switch beyond its rules, an object slot) does not block an unrelated edit', () => {
    const input = testDoc(testNode('Other'), testNode('Switch', SWITCH_TYPE, { parameters: { rules: { values: [{}] } } }));
    const toOther = { node: 'Other', type: 'main', index: 0 };
    input.connections.IF = { main: [[{ node: 'Set', type: 'main', index: 0 }], [], [toOther]] };
    input.connections.Switch = { main: [[], [toOther]] };
    input.connections.Other = { main: [{ node: 'Set' }] } as never;
    const result = applyOperations(input, [
      { type: 'updateNode', nodeName: 'Set', changes: { 'parameters.value': 1 } },
      { type: 'addConnection', source: 'Webhook', target: 'Other' },
      { type: 'updateNode', nodeName: 'Switch', changes: { 'parameters.options.x': true } },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      `${PRE_EXISTING}IF node "IF" has two outputs (true = 0, false = 1) but has connections on output 2. Use branch: "true" or "false".`,
      `${PRE_EXISTING}Switch node "Switch" has 1 output(s) but has connections on output 1: add a rule, or connect a case below 1.`,
      `${PRE_EXISTING}Malformed connection from "Other" output "main"[0]: a slot must be an array or null`,
    ]);
    expect(result.doc.connections.Other).toEqual(input.connections.Other);
    // Making the quirk worse is a new problem (another message): it fails.
    const worse = applyOperations(input, [{ type: 'addConnection', source: 'IF', target: 'Webhook', sourceIndex: 3 }]);
    expect(worse.ok).toBe(false);
    expect(worse.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^IF node "IF" has two outputs .* on output 3\./)]);
  });

  it('applies 50 operations to a 500-node workflow quickly', () => {
    const big = testDoc();
    for (let i = 0; i < 500; i++) big.nodes.push(testNode(`N${i}`));
    const ops = Array.from({ length: 50 }, (_, i) => ({ type: 'updateNode', nodeName: `N${i}`, changes: { 'parameters.value': i } }));
    const started = performance.now();
    const result = applyOperations(big, ops);
    expect(result.ok).toBe(true);
    // Generous bound for a loaded CI machine; the benchmark reports the real figure.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
