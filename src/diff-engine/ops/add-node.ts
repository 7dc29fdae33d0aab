import { randomUUID } from 'node:crypto';
import { NODE_KEYS, type WorkflowNode } from '../../workflow-model/index.ts';
import { assertNameFree, normaliseName } from '../nodes.ts';
import type { OperationOf } from '../operations.schema.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { isParameters, isPosition, POSITION_SHAPE } from './node-shape.ts';

export function addNode(ctx: DiffContext, op: OperationOf<'addNode'>) {
  const input = op.node;
  const unknown = Object.keys(input).filter((k) => !NODE_KEYS.has(k));
  if (unknown.length)
    throw new OperationError('VALIDATION_ERROR', `addNode: unknown node field(s) ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (typeof input.name !== 'string' || !input.name.trim())
    throw new OperationError('VALIDATION_ERROR', 'addNode: the node needs a non-empty string "name"');
  if (typeof input.type !== 'string' || !input.type)
    throw new OperationError('VALIDATION_ERROR', 'addNode: the node needs a string "type" such as "n8n-nodes-base.set"');
  if (!/^[@\w-]+(\/[\w-]+)?\.[\w-]+$/.test(input.type)) {
    throw new OperationError(
      'OPERATION_FAILED',
      `addNode: invalid node type "${input.type}": it must include its package, e.g. "n8n-nodes-base.httpRequest"`,
    );
  }
  if (input.type.startsWith('nodes-base.')) {
    throw new OperationError('OPERATION_FAILED', `addNode: invalid node type "${input.type}": use "n8n-${input.type}"`);
  }
  if (!isPosition(input.position)) throw new OperationError('VALIDATION_ERROR', `addNode: "position" must be [x, y]: ${POSITION_SHAPE}`);
  if (input.typeVersion !== undefined && (typeof input.typeVersion !== 'number' || input.typeVersion <= 0)) {
    throw new OperationError('VALIDATION_ERROR', 'addNode: "typeVersion" must be a positive number');
  }
  if (input.parameters !== undefined && !isParameters(input.parameters)) {
    throw new OperationError('VALIDATION_ERROR', 'addNode: "parameters" must be an object');
  }
  assertNameFree(ctx, input.name);
  const id = typeof input.id === 'string' && input.id ? input.id : randomUUID();
  if (ctx.doc.nodes.some((n) => n.id === id))
    throw new OperationError('VALIDATION_ERROR', `addNode: a node with id "${id}" already exists`);
  // A copy throughout: the new node must share nothing (parameters, position) with the caller's operation.
  const copy = structuredClone(input) as typeof input & { position: [number, number] };
  const node: WorkflowNode = {
    ...copy,
    id,
    name: input.name,
    type: input.type,
    typeVersion: (input.typeVersion as number) ?? 1,
    position: copy.position,
    parameters: (copy.parameters as Record<string, unknown>) ?? {},
  };
  ctx.doc.nodes.push(node);
  // The name (or id) is a node again: later operations must not treat it as removed.
  for (const ref of [node.name, normaliseName(node.name), id]) ctx.removed.delete(ref);
}
