import { describe, expect, it } from 'vitest';
import { applyOperations, PRE_EXISTING } from './apply.ts';
import { applyOne, onlyError, SWITCH_TYPE, testDoc, testNode } from './ops/test-support.ts';
import type { WorkflowDoc } from './types.ts';

/*
 * Workflows imported from n8n may carry connection maps the invariants reject. No operation may throw a TypeError on
 * them: each skips the parts it cannot read and leaves them as they were (or fails with a clear message when it
 * would have to write into one), and the batch keeps them as pre-existing problems (warnings).
 */

const edge = (node: string) => ({ node, type: 'main', index: 0 });

/** Every kind of malformed part, on nodes that exist; "Sink" is only reached through well-formed edges. */
function quirkyConnections(): Record<string, unknown> {
  return {
    // Edges without `node`, null, and a string, next to a good edge.
    Webhook: { main: [[edge('IF'), { type: 'main', index: 0 }, null, 'edge']] },
    // A slot that is an object, a slot that is a string (and so a third IF output), an output that is not an array.
    IF: { main: [[edge('Sink')], { node: 'Other' }, 'slot'], ai_tool: 'outputs' },
    Switch: { main: [[edge('Sink')]], ai_tool: { 0: [] } },
    // Sources whose value is not an object of outputs.
    Other: 'not an object',
    Text: 42,
    Empty: null,
  };
}

function quirkyDoc(): WorkflowDoc {
  const doc = testDoc(
    testNode('Other'),
    testNode('Switch', SWITCH_TYPE, { parameters: { rules: { values: [{}, {}] } } }),
    testNode('Sink'),
    testNode('Text'),
    testNode('Empty'),
  );
  doc.connections = quirkyConnections() as WorkflowDoc['connections'];
  return doc;
}

const PROBLEMS = [
  'Malformed connection from "Webhook" output "main"[0]: expected {node, type, index}',
  'Malformed connection from "IF" output "main"[1]: a slot must be an array or null',
  'Malformed connection from "IF" output "main"[2]: a slot must be an array or null',
  'IF node "IF" has two outputs (true = 0, false = 1) but has connections on output 2. Use branch: "true" or "false".',
  'Connections of "IF" output "ai_tool" must be an array of slots',
  'Connections of "Switch" output "ai_tool" must be an array of slots',
  'Connections of "Other" must be an object of output types, each an array of slots',
  'Connections of "Text" must be an object of output types, each an array of slots',
  'Connections of "Empty" must be an object of output types, each an array of slots',
];

const noTypeErrors = (result: { errors: { message: string }[] }) =>
  expect(result.errors.filter((e) => /TypeError|Failed to apply operation/.test(e.message))).toEqual([]);

describe('operations on a malformed connection map', () => {
  it('a batch of every operation type applies, keeps the malformed parts, and reports them as pre-existing', () => {
    const input = quirkyDoc();
    const operations = [
      { type: 'addNode', node: { name: 'New', type: 'n8n-nodes-base.noOp', position: [0, 0] } },
      { type: 'removeNode', nodeName: 'Set' },
      { type: 'updateNode', nodeName: 'Sink', changes: { name: 'Drain', 'parameters.x': 1 } },
      { type: 'moveNode', nodeName: 'Other', position: [5, 5] },
      { type: 'enableNode', nodeName: 'IF' },
      { type: 'disableNode', nodeName: 'Other' },
      { type: 'addConnection', source: 'Webhook', target: 'New' },
      { type: 'removeConnection', source: 'Webhook', target: 'IF' },
      { type: 'rewireConnection', source: 'Switch', from: 'Sink', to: 'New' },
      { type: 'removeConnection', source: 'IF', target: 'Drain', branch: 'true' },
      { type: 'cleanStaleConnections', dryRun: true },
      { type: 'cleanStaleConnections' },
      { type: 'activateWorkflow' },
      { type: 'deactivateWorkflow' },
      { type: 'updateSettings', settings: { timezone: 'UTC' } },
      { type: 'updateName', name: 'Quirky' },
      { type: 'addTag', tag: 'imported' },
      { type: 'removeTag', tag: 'imported' },
    ];
    const result = applyOperations(input, operations);
    noTypeErrors(result);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.applied).toEqual(operations.map((_, i) => i));
    expect(result.staleConnections).toEqual([]);
    expect(result.doc.connections).toEqual({
      Webhook: { main: [[{ type: 'main', index: 0 }, null, 'edge', edge('New')]] },
      IF: { main: [[], { node: 'Other' }, 'slot'], ai_tool: 'outputs' },
      Switch: { main: [[edge('New')]], ai_tool: { 0: [] } },
      Other: 'not an object',
      Text: 42,
      Empty: null,
    });
    expect(result.warnings).toEqual(PROBLEMS.map((p) => `${PRE_EXISTING}${p}`));
    expect(input.connections).toEqual(quirkyConnections());
  });

  it('replaceConnections with such a map, then every connection operation: invariant errors, never a TypeError', () => {
    const input = quirkyDoc();
    input.connections = {};
    const result = applyOperations(
      input,
      [
        { type: 'replaceConnections', connections: quirkyConnections() },
        { type: 'addConnection', source: 'Webhook', target: 'Set' },
        { type: 'removeConnection', source: 'Webhook', target: 'IF' },
        { type: 'rewireConnection', source: 'IF', from: 'Sink', to: 'Set' },
        { type: 'cleanStaleConnections' },
      ],
      { continueOnError: true },
    );
    noTypeErrors(result);
    expect(result.failed).toEqual([]);
    // Caused by this batch (the input had no connections): they fail it.
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => [e.operation, e.code])).toEqual(result.errors.map(() => [-1, 'STRUCTURAL_INTEGRITY']));
    // The Webhook slot has three malformed edges: one error each.
    expect(result.errors).toHaveLength(PROBLEMS.length + 2);
    expect([...new Set(result.errors.map((e) => e.message))]).toEqual(PROBLEMS);
    expect(result.doc.connections).toBe(input.connections);
  });

  it('writing into a malformed part fails with a clear message', () => {
    const cannot = (source: string, what: string, expected: string) =>
      `Cannot connect from "${source}": ${what} in the stored connections is malformed (${expected}). Fix the connections with replaceConnections first.`;
    const cases: [Record<string, unknown>, string][] = [
      [{ source: 'Other', target: 'Set' }, cannot('Other', 'its entry', 'it must be an object of output types')],
      [{ source: 'Empty', target: 'Set' }, cannot('Empty', 'its entry', 'it must be an object of output types')],
      [{ source: 'IF', target: 'Set', sourceOutput: 'ai_tool' }, cannot('IF', 'output "ai_tool"', 'it must be an array of slots')],
      [{ source: 'IF', target: 'Set', branch: 'false' }, cannot('IF', 'output "main"[1]', 'a slot must be an array or null')],
      [{ source: 'IF', target: 'Set', sourceIndex: 2 }, cannot('IF', 'output "main"[2]', 'a slot must be an array or null')],
    ];
    for (const [connection, message] of cases) {
      expect(onlyError(applyOne(quirkyDoc(), { type: 'addConnection', ...connection }))).toEqual({
        operation: 0,
        code: 'STRUCTURAL_INTEGRITY',
        message,
      });
    }
  });

  it('reading a malformed part finds no connection there', () => {
    expect(onlyError(applyOne(quirkyDoc(), { type: 'removeConnection', source: 'IF', target: 'Other', branch: 'false' })).message).toBe(
      'No connection from "IF" (output "main", index 1) to "Other"',
    );
    expect(onlyError(applyOne(quirkyDoc(), { type: 'removeConnection', source: 'Other', target: 'Set' })).message).toBe(
      'No connection from "Other" (output "main") to "Set"',
    );
    expect(
      onlyError(applyOne(quirkyDoc(), { type: 'rewireConnection', source: 'IF', from: 'Other', to: 'Set', sourceIndex: 1 })).message,
    ).toBe('No connection from "IF" (output "main") to "Other" to rewire');
    expect(
      onlyError(applyOne(quirkyDoc(), { type: 'rewireConnection', source: 'IF', from: 'Other', to: 'Set', sourceOutput: 'ai_tool' }))
        .message,
    ).toBe('No connection from "IF" (output "ai_tool") to "Other" to rewire');
  });
});

describe('node names that are Object.prototype keys', () => {
  it('"__proto__" and "constructor" are connection keys like any other, and nothing leaks into Object.prototype', () => {
    const doc = testDoc(testNode('__proto__'), testNode('constructor'));
    const result = applyOperations(doc, [
      { type: 'addConnection', source: '__proto__', target: 'Set' },
      { type: 'addConnection', source: 'constructor', target: 'Set' },
      { type: 'addConnection', source: 'Set', target: '__proto__', sourceOutput: 'constructor' },
      { type: 'updateNode', nodeName: 'constructor', changes: { name: 'Builder' } },
    ]);
    expect(result.errors).toEqual([]);
    expect(Object.hasOwn(result.doc.connections, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(result.doc.connections))).toEqual(
      JSON.parse(
        '{"Webhook":{"main":[[{"node":"IF","type":"main","index":0}]]},"IF":{"main":[[{"node":"Set","type":"main","index":0}]]},' +
          '"__proto__":{"main":[[{"node":"Set","type":"main","index":0}]]},"Set":{"constructor":[[{"node":"__proto__","type":"constructor","index":0}]]},' +
          '"Builder":{"main":[[{"node":"Set","type":"main","index":0}]]}}',
      ),
    );
    expect(({} as Record<string, unknown>).main).toBeUndefined();
    expect((Object as unknown as Record<string, unknown>).main).toBeUndefined();
    expect(Object.getPrototypeOf(result.doc.connections)).toBe(Object.prototype);
  });
});
