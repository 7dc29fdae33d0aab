import { randomUUID } from 'node:crypto';
import { removeEdges, renameInConnections } from '../connections.ts';
import { assertNameFree, editNode, normaliseName, requireNode } from '../nodes.ts';
import { nodeRefOf, type OperationOf } from '../operations.schema.ts';
import { setPath } from '../paths.ts';
import { type DiffContext, type DiffNode, OperationError } from '../types.ts';

const NODE_KEYS = new Set([
  'id',
  'name',
  'type',
  'typeVersion',
  'position',
  'parameters',
  'webhookId',
  'disabled',
  'notesInFlow',
  'notes',
  'executeOnce',
  'alwaysOutputData',
  'retryOnFail',
  'maxTries',
  'waitBetweenTries',
  'continueOnFail',
  'onError',
  'credentials',
]);

const isPosition = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

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
  if (!isPosition(input.position))
    throw new OperationError('VALIDATION_ERROR', 'addNode: "position" must be [x, y]: an array of two numbers');
  if (input.typeVersion !== undefined && (typeof input.typeVersion !== 'number' || input.typeVersion <= 0)) {
    throw new OperationError('VALIDATION_ERROR', 'addNode: "typeVersion" must be a positive number');
  }
  if (
    input.parameters !== undefined &&
    (typeof input.parameters !== 'object' || input.parameters === null || Array.isArray(input.parameters))
  ) {
    throw new OperationError('VALIDATION_ERROR', 'addNode: "parameters" must be an object');
  }
  assertNameFree(ctx, input.name);
  const id = typeof input.id === 'string' && input.id ? input.id : randomUUID();
  if (ctx.doc.nodes.some((n) => n.id === id))
    throw new OperationError('VALIDATION_ERROR', `addNode: a node with id "${id}" already exists`);
  const node: DiffNode = {
    ...structuredClone(input),
    id,
    name: input.name,
    type: input.type,
    typeVersion: (input.typeVersion as number) ?? 1,
    position: input.position,
    parameters: (input.parameters as Record<string, unknown>) ?? {},
  };
  ctx.doc.nodes.push(node);
  ctx.removed.delete(node.name);
}

export function removeNode(ctx: DiffContext, op: OperationOf<'removeNode'>) {
  const node = requireNode(ctx, nodeRefOf(op));
  ctx.doc.nodes = ctx.doc.nodes.filter((n) => n !== node);
  delete ctx.doc.connections[node.name];
  removeEdges(ctx.doc.connections, (_s, _o, _i, edge) => edge.node === node.name);
  ctx.removed.add(node.name);
}

export function updateNode(ctx: DiffContext, op: OperationOf<'updateNode'>) {
  const changes = op.changes ?? op.updates;
  if (!changes || !Object.keys(changes).length) {
    throw new OperationError(
      'VALIDATION_ERROR',
      'updateNode needs "changes": an object of paths to new values, e.g. {"parameters.url": "https://…"}',
    );
  }
  const node = requireNode(ctx, nodeRefOf(op));
  // Work on a copy so a failing path leaves the node untouched (continueOnError keeps earlier operations).
  const draft = structuredClone(node);
  for (const [path, value] of Object.entries(changes)) {
    if (path === 'id' && value !== node.id)
      throw new OperationError(
        'VALIDATION_ERROR',
        `updateNode: the id of node "${node.name}" cannot change; remove and re-add the node instead`,
      );
    setPath(draft as unknown as Record<string, unknown>, path, value);
  }
  if (typeof draft.name !== 'string' || !draft.name.trim())
    throw new OperationError('VALIDATION_ERROR', 'updateNode: a node name must be a non-empty string');
  if (typeof draft.type !== 'string' || !draft.type)
    throw new OperationError('VALIDATION_ERROR', 'updateNode: a node type must be a non-empty string');
  if (!isPosition(draft.position))
    throw new OperationError('VALIDATION_ERROR', 'updateNode: "position" must be [x, y]: an array of two numbers');
  if (draft.name !== node.name) {
    assertNameFree(ctx, draft.name, node);
    renameInConnections(ctx.doc.connections, node.name, draft.name);
    ctx.renames.set(node.name, draft.name);
    if (normaliseName(node.name) !== node.name) ctx.renames.set(normaliseName(node.name), draft.name);
  }
  ctx.doc.nodes[ctx.doc.nodes.indexOf(node)] = draft;
}

export function moveNode(ctx: DiffContext, op: OperationOf<'moveNode'>) {
  editNode(ctx, requireNode(ctx, nodeRefOf(op))).position = [op.position[0], op.position[1]];
}

export function setNodeDisabled(ctx: DiffContext, op: OperationOf<'enableNode'> | OperationOf<'disableNode'>) {
  editNode(ctx, requireNode(ctx, nodeRefOf(op))).disabled = op.type === 'disableNode';
}
