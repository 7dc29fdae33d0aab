import type { WorkflowNode } from '../workflow-model/index.ts';
import { type DiffContext, OperationError } from './types.ts';

/** Names that differ only by surrounding or repeated whitespace are the same name (callers often mangle spacing). */
export const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ');

function describeNodes(ctx: DiffContext): string {
  const names = ctx.doc.nodes.map((n) => `"${n.name}"`);
  return names.length ? `Available nodes: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}` : 'The workflow has no nodes.';
}

/**
 * Finds a node by id or name. A name used before a rename earlier in this batch still resolves (unlike the
 * client-side engine, where connection operations had to use the new name).
 */
export function findNode(ctx: DiffContext, ref: string | undefined): WorkflowNode | undefined {
  if (ref === undefined) return undefined;
  // Exact matches first: plain string comparison, no normalising of every node name on the common path.
  const exact = ctx.doc.nodes.find((n) => n.id === ref || n.name === ref);
  if (exact) return exact;
  const wanted = normaliseName(ref);
  const byName = ctx.doc.nodes.find((n) => normaliseName(n.name) === wanted);
  if (byName) return byName;
  let renamed = ctx.renames.get(ref) ?? ctx.renames.get(wanted);
  // Follow a chain of renames (A → B → C) to the current name.
  for (let hops = 0; renamed !== undefined && hops < 100; hops++) {
    const current = ctx.doc.nodes.find((n) => n.name === renamed);
    if (current) return current;
    renamed = ctx.renames.get(renamed);
  }
  return undefined;
}

/**
 * The name a node had when it was removed earlier in this batch, when `ref` (its name, id, or a name it had before
 * a rename) names one; undefined otherwise. Only meaningful when findNode found no current node for `ref`.
 */
export function findRemoved(ctx: DiffContext, ref: string): string | undefined {
  let name: string | undefined = ref;
  for (let hops = 0; name !== undefined && hops < 100; hops++) {
    const removed = ctx.removed.get(name) ?? ctx.removed.get(normaliseName(name));
    if (removed !== undefined) return removed;
    name = ctx.renames.get(name) ?? ctx.renames.get(normaliseName(name));
  }
  return undefined;
}

export function requireNode(ctx: DiffContext, ref: string | undefined, role = 'Node'): WorkflowNode {
  if (ref === undefined || ref === '')
    throw new OperationError('VALIDATION_ERROR', `${role} is required: give its name (nodeName) or id (nodeId)`);
  const node = findNode(ctx, ref);
  if (node) return node;
  const removed = findRemoved(ctx, ref);
  if (removed !== undefined) {
    const named = removed === ref ? `"${ref}"` : `"${ref}" ("${removed}")`;
    throw new OperationError(
      'VALIDATION_ERROR',
      `${role} ${named} was removed earlier in this batch; its connections were removed with it`,
    );
  }
  throw new OperationError('VALIDATION_ERROR', `${role} not found: "${ref}". ${describeNodes(ctx)}`);
}

export function assertNameFree(ctx: DiffContext, name: string, except?: WorkflowNode) {
  const clash = ctx.doc.nodes.find((n) => n !== except && normaliseName(n.name) === normaliseName(name));
  if (clash)
    throw new OperationError(
      'VALIDATION_ERROR',
      `A node named "${clash.name}" already exists: node names must be unique. Choose another name.`,
    );
}

/** Replaces `node` in the document with a copy and returns the copy, for operations that change a node. */
export function editNode(ctx: DiffContext, node: WorkflowNode): WorkflowNode {
  const copy = structuredClone(node);
  ctx.doc.nodes[ctx.doc.nodes.indexOf(node)] = copy;
  return copy;
}
