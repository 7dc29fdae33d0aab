import { renameInConnections } from '../connections.ts';
import { assertNameFree, normaliseName, requireNode } from '../nodes.ts';
import { nodeRefOf, type OperationOf } from '../operations.schema.ts';
import { setPath } from '../paths.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { isParameters, isPosition } from './node-shape.ts';

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
  // Deleting or replacing `parameters` with a non-object would break the node (and the Switch output check).
  if (!isParameters(draft.parameters)) throw new OperationError('VALIDATION_ERROR', 'updateNode: "parameters" must be an object');
  if (draft.name !== node.name) {
    assertNameFree(ctx, draft.name, node);
    renameInConnections(ctx.doc.connections, node.name, draft.name);
    ctx.renames.set(node.name, draft.name);
    if (normaliseName(node.name) !== node.name) ctx.renames.set(normaliseName(node.name), draft.name);
  }
  ctx.doc.nodes[ctx.doc.nodes.indexOf(node)] = draft;
}
