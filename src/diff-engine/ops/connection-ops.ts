import { addEdge, removeEdges, tidy } from '../connections.ts';
import { requireNode } from '../nodes.ts';
import type { OperationOf } from '../operations.schema.ts';
import { type DiffConnections, type DiffContext, type DiffNode, OperationError } from '../types.ts';

const IF_TYPE = 'n8n-nodes-base.if';

interface SlotSpec {
  sourceOutput?: string | number;
  sourceIndex?: number;
  branch?: 'true' | 'false' | boolean;
  case?: number;
}

/** Resolves output type and index: explicit sourceIndex, then IF `branch`, then Switch `case`, then 0. */
function resolveSlot(source: DiffNode, spec: SlotSpec, opType: string): { output: string; index: number } {
  let output = spec.sourceOutput === undefined ? 'main' : String(spec.sourceOutput);
  let index = spec.sourceIndex;
  // A numeric output ("1") means main output 1, as n8n-mcp's callers send it.
  if (/^\d+$/.test(output)) {
    index ??= Number(output);
    output = 'main';
  }
  if (spec.branch !== undefined) {
    if (source.type !== IF_TYPE)
      throw new OperationError(
        'VALIDATION_ERROR',
        `${opType}: "branch" applies to IF nodes only; "${source.name}" is ${source.type}. Use sourceIndex or case.`,
      );
    const branchIndex = String(spec.branch) === 'true' ? 0 : 1;
    if (index !== undefined && index !== branchIndex)
      throw new OperationError(
        'VALIDATION_ERROR',
        `${opType}: branch "${spec.branch}" is output ${branchIndex}, but sourceIndex says ${index}`,
      );
    index = branchIndex;
  }
  if (spec.case !== undefined) {
    if (index !== undefined && index !== spec.case)
      throw new OperationError('VALIDATION_ERROR', `${opType}: case ${spec.case} conflicts with sourceIndex ${index}`);
    index = spec.case;
  }
  return { output, index: index ?? 0 };
}

function slotHas(connections: DiffConnections, source: string, output: string, index: number, target: string) {
  return (connections[source]?.[output]?.[index] ?? []).some((e) => e.node === target);
}

export function addConnection(ctx: DiffContext, op: OperationOf<'addConnection'>) {
  const source = requireNode(ctx, op.source, 'Source node');
  const target = requireNode(ctx, op.target, 'Target node');
  const { output, index } = resolveSlot(source, op, 'addConnection');
  const targetInput = op.targetInput === undefined ? output : /^\d+$/.test(String(op.targetInput)) ? 'main' : String(op.targetInput);
  if (slotHas(ctx.doc.connections, source.name, output, index, target.name)) {
    throw new OperationError(
      'VALIDATION_ERROR',
      `Connection already exists from "${source.name}" (output "${output}", index ${index}) to "${target.name}"`,
    );
  }
  addEdge(ctx.doc.connections, source.name, output, index, { node: target.name, type: targetInput, index: op.targetIndex ?? 0 });
}

export function removeConnection(ctx: DiffContext, op: OperationOf<'removeConnection'>) {
  try {
    const source = requireNode(ctx, op.source, 'Source node');
    const target = requireNode(ctx, op.target, 'Target node');
    const explicitSlot = op.sourceIndex !== undefined || op.branch !== undefined || op.case !== undefined;
    const { output, index } = resolveSlot(source, op, 'removeConnection');
    const removed = removeEdges(
      ctx.doc.connections,
      (s, o, i, edge) => s === source.name && o === output && (!explicitSlot || i === index) && edge.node === target.name,
    );
    if (!removed) {
      throw new OperationError(
        'VALIDATION_ERROR',
        `No connection from "${source.name}" (output "${output}"${explicitSlot ? `, index ${index}` : ''}) to "${target.name}"`,
      );
    }
  } catch (err) {
    if (!op.ignoreErrors) throw err;
  }
}

export function rewireConnection(ctx: DiffContext, op: OperationOf<'rewireConnection'>) {
  const source = requireNode(ctx, op.source, 'Source node');
  const from = requireNode(ctx, op.from, '"from" node');
  const to = requireNode(ctx, op.to, '"to" node');
  if (from === to) throw new OperationError('VALIDATION_ERROR', `rewireConnection: "from" and "to" are the same node "${from.name}"`);
  const explicitSlot = op.sourceIndex !== undefined || op.branch !== undefined || op.case !== undefined;
  const { output, index } = resolveSlot(source, op, 'rewireConnection');
  const slots = ctx.doc.connections[source.name]?.[output] ?? [];
  const indexes = slots.flatMap((slot, i) => ((!explicitSlot || i === index) && slot?.some((e) => e.node === from.name) ? [i] : []));
  if (!indexes.length)
    throw new OperationError('VALIDATION_ERROR', `No connection from "${source.name}" (output "${output}") to "${from.name}" to rewire`);
  for (const i of indexes) {
    const slot = slots[i]!;
    const edge = slot.find((e) => e.node === from.name)!;
    // Keep the edge's place, input type and index: only its target changes.
    if (slot.some((e) => e.node === to.name)) slots[i] = slot.filter((e) => e.node !== from.name);
    else edge.node = to.name;
  }
  tidy(ctx.doc.connections, source.name);
}

export function cleanStaleConnections(ctx: DiffContext, op: OperationOf<'cleanStaleConnections'>) {
  const names = new Set(ctx.doc.nodes.map((n) => n.name));
  const stale: DiffContext['staleConnections'] = [];
  for (const [source, outputs] of Object.entries(ctx.doc.connections)) {
    for (const [output, slots] of Object.entries(outputs)) {
      slots.forEach((slot, index) => {
        for (const edge of slot ?? [])
          if (!names.has(source) || !names.has(edge.node)) stale.push({ source, target: edge.node, output, index });
      });
    }
  }
  ctx.staleConnections.push(...stale);
  if (op.dryRun) return;
  for (const source of Object.keys(ctx.doc.connections)) if (!names.has(source)) delete ctx.doc.connections[source];
  removeEdges(ctx.doc.connections, (_s, _o, _i, edge) => !names.has(edge.node));
}

export function replaceConnections(ctx: DiffContext, op: OperationOf<'replaceConnections'>) {
  ctx.doc.connections = structuredClone(op.connections) as DiffConnections;
}
