import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { MAX_CONNECTION_INDEX } from '../limits.ts';
import { applyOne, onlyError, testDoc } from './test-support.ts';

const replace = (connections: unknown) => ({ type: 'replaceConnections', connections });

describe('replaceConnections', () => {
  it('replaces the whole connection map with a copy of the given one', () => {
    const connections = { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } };
    const input = testDoc();
    const result = applyOne(input, replace(connections));
    expect(result.ok).toBe(true);
    expect(result.doc.connections).toEqual(connections);
    expect(result.doc.connections).not.toBe(connections);
    expect(result.doc.connections.Webhook).not.toBe(connections.Webhook);
    expect(input.connections.IF).toBeDefined();
  });

  it('an empty map removes every connection', () => {
    expect(applyOne(testDoc(), replace({})).doc.connections).toEqual({});
  });

  it('later operations in the batch work on the new map', () => {
    const result = applyOperations(testDoc(), [replace({}), { type: 'addConnection', source: 'Webhook', target: 'Set' }]);
    expect(result.doc.connections).toEqual({ Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } });
  });

  it('connections to or from missing nodes fail the batch invariants', () => {
    expect(onlyError(applyOne(testDoc(), replace({ Webhook: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } })))).toEqual({
      operation: -1,
      code: 'STRUCTURAL_INTEGRITY',
      message: 'Stale connection from "Webhook" to "Ghost", which is not a node. Run cleanStaleConnections or remove it.',
    });
    expect(onlyError(applyOne(testDoc(), replace({ Ghost: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } }))).message).toBe(
      'Connections come from "Ghost", which is not a node. Run cleanStaleConnections or remove them.',
    );
  });

  it('a malformed map fails the batch invariants rather than throwing', () => {
    const cases: [unknown, string][] = [
      [{ Webhook: null }, 'Connections of "Webhook" must be an object of output types, each an array of slots'],
      [{ Webhook: 'x' }, 'Connections of "Webhook" must be an object of output types, each an array of slots'],
      [{ Webhook: { main: {} } }, 'Connections of "Webhook" output "main" must be an array of slots'],
      [{ Webhook: { main: [5] } }, 'Malformed connection from "Webhook" output "main"[0]: a slot must be an array or null'],
      [{ Webhook: { main: [[{ node: 'Set' }]] } }, 'Malformed connection from "Webhook" output "main"[0]: expected {node, type, index}'],
      [{ Webhook: { main: [[null]] } }, 'Malformed connection from "Webhook" output "main"[0]: expected {node, type, index}'],
    ];
    for (const [connections, message] of cases) {
      expect(onlyError(applyOne(testDoc(), replace(connections)))).toEqual({ operation: -1, code: 'STRUCTURAL_INTEGRITY', message });
    }
  });

  it('bounds a map that arrives whole: input indexes and the number of slots of an output', () => {
    const edge = (index: number) => ({ node: 'Set', type: 'main', index });
    expect(onlyError(applyOne(testDoc(), replace({ Webhook: { main: [[edge(MAX_CONNECTION_INDEX + 1)]] } })))).toEqual({
      operation: -1,
      code: 'STRUCTURAL_INTEGRITY',
      message: `Connection from "Webhook" output "main"[0] to "Set" uses input index ${MAX_CONNECTION_INDEX + 1}; the highest allowed is ${MAX_CONNECTION_INDEX}`,
    });
    const slots = (n: number) => [...Array.from({ length: n - 1 }, () => []), [edge(0)]];
    expect(onlyError(applyOne(testDoc(), replace({ Webhook: { main: slots(MAX_CONNECTION_INDEX + 2) } })))).toEqual({
      operation: -1,
      code: 'STRUCTURAL_INTEGRITY',
      message: `Connections of "Webhook" output "main" have ${MAX_CONNECTION_INDEX + 2} slots; a node may have at most ${MAX_CONNECTION_INDEX + 1} outputs (indexes 0 to ${MAX_CONNECTION_INDEX})`,
    });
    expect(
      applyOne(testDoc(), replace({ Webhook: { main: slots(MAX_CONNECTION_INDEX + 1) }, IF: { main: [[edge(MAX_CONNECTION_INDEX)]] } })).ok,
    ).toBe(true);
  });

  it('accepts null slots', () => {
    const result = applyOne(testDoc(), replace({ IF: { main: [null, [{ node: 'Set', type: 'main', index: 0 }]] } }));
    expect(result.ok).toBe(true);
  });

  it('requires a connections object', () => {
    for (const operation of [{ type: 'replaceConnections' }, replace([])]) {
      expect(onlyError(applyOne(testDoc(), operation))).toMatchObject({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^operations\[0\]: .* at connections$/),
      });
    }
  });
});
