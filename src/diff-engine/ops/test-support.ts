/**
 * Test support for the operation tests (imported only by *.test.ts files): a small workflow and a context to run
 * one operation function directly.
 */

import type { WorkflowNode } from '../../workflow-model/index.ts';
import { type ApplyResult, applyOperations, type DiffError } from '../apply.ts';
import type { DiffContext, WorkflowDoc } from '../types.ts';

export const IF_TYPE = 'n8n-nodes-base.if';
export const SWITCH_TYPE = 'n8n-nodes-base.switch';

/** A node with an id of `id-<name>`, typeVersion 1, position [0, 0] and no parameters, unless `extra` says otherwise. */
export function testNode(name: string, type = 'n8n-nodes-base.set', extra: Partial<WorkflowNode> = {}): WorkflowNode {
  return { id: `id-${name}`, name, type, typeVersion: 1, position: [0, 0], parameters: {}, ...extra };
}

/** "W": Webhook → IF, IF (true) → Set, plus `extraNodes` (unconnected); settings { executionOrder: 'v1' }, inactive, no tags. */
export function testDoc(...extraNodes: WorkflowNode[]): WorkflowDoc {
  return {
    name: 'W',
    nodes: [testNode('Webhook', 'n8n-nodes-base.webhook'), testNode('IF', IF_TYPE), testNode('Set'), ...extraNodes],
    connections: {
      Webhook: { main: [[{ node: 'IF', type: 'main', index: 0 }]] },
      IF: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
    active: false,
    tags: [],
  };
}

/** A fresh batch context over `doc` (edited in place by operation functions called directly). */
export function testContext(doc: WorkflowDoc = testDoc()): DiffContext {
  return { doc, renames: new Map(), warnings: [], removed: new Map(), staleConnections: [] };
}

/** Applies a one-operation batch (atomic unless `options` say otherwise). */
export const applyOne = (doc: WorkflowDoc, operation: Record<string, unknown>, options?: { continueOnError?: boolean }) =>
  applyOperations(doc, [operation], options);

/** The only error of a failed batch; throws (failing the test) when the batch succeeded or has several errors. */
export function onlyError(result: ApplyResult): DiffError {
  if (result.ok || result.errors.length !== 1) {
    throw new Error(`expected exactly one error, got ok=${result.ok} errors=${JSON.stringify(result.errors)}`);
  }
  return result.errors[0]!;
}

/** The node named `name` in `doc`, or a thrown error. */
export function nodeNamed(doc: WorkflowDoc, name: string): WorkflowNode {
  const node = doc.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node named "${name}" in ${JSON.stringify(doc.nodes.map((n) => n.name))}`);
  return node;
}
