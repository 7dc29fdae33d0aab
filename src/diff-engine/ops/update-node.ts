import { applyChanges } from '../changes.ts';
import { renameInConnections } from '../connections.ts';
import { assertNameFree, normaliseName, requireNode } from '../nodes.ts';
import { nodeRefOf, type OperationOf } from '../operations.schema.ts';
import { type DiffContext, OperationError } from '../types.ts';
import { CREDENTIALS_SHAPE, isCredentials, isParameters, isPosition, POSITION_SHAPE } from './node-shape.ts';

export function updateNode(ctx: DiffContext, op: OperationOf<'updateNode'>) {
  const changes = op.changes ?? op.updates;
  if (!changes || !Object.keys(changes).length) {
    throw new OperationError(
      'VALIDATION_ERROR',
      'updateNode needs "changes": an object of paths to new values, e.g. {"parameters.url": "https://…"}',
    );
  }
  const node = requireNode(ctx, nodeRefOf(op));
  if (Object.hasOwn(changes, 'id') && changes.id !== node.id)
    throw new OperationError(
      'VALIDATION_ERROR',
      `updateNode: the id of node "${node.name}" cannot change; remove and re-add the node instead`,
    );
  // The operation is atomic: every change goes to a copy, and the copy (and a rename) replaces the node only once
  // every path and check has passed, so a failing path leaves the node and the connections untouched.
  const draft = structuredClone(node);
  applyChanges(draft as unknown as Record<string, unknown>, changes);
  if (typeof draft.name !== 'string' || !draft.name.trim())
    throw new OperationError('VALIDATION_ERROR', 'updateNode: a node name must be a non-empty string');
  if (typeof draft.type !== 'string' || !draft.type)
    throw new OperationError('VALIDATION_ERROR', 'updateNode: a node type must be a non-empty string');
  // Deleting or replacing `parameters` with a non-object would break the node (and the Switch output check).
  if (!isParameters(draft.parameters)) throw new OperationError('VALIDATION_ERROR', 'updateNode: "parameters" must be an object');
  // Position and credentials are checked only when this operation touches them, so a node imported with an odd
  // value there (a position beyond the canvas bound, a legacy credentials entry) can still be edited otherwise.
  const touches = (field: string) => Object.keys(changes).some((path) => path.split(/[.[]/)[0] === field);
  if (touches('position') && !isPosition(draft.position))
    throw new OperationError('VALIDATION_ERROR', `updateNode: "position" must be [x, y]: ${POSITION_SHAPE}`);
  if (touches('credentials') && !isCredentials(draft.credentials))
    throw new OperationError('VALIDATION_ERROR', `updateNode: ${CREDENTIALS_SHAPE}`);
  if (draft.name !== node.name) {
    assertNameFree(ctx, draft.name, node);
    renameInConnections(ctx.doc.connections, node.name, draft.name);
    ctx.renames.set(node.name, draft.name);
    if (normaliseName(node.name) !== node.name) ctx.renames.set(normaliseName(node.name), draft.name);
  }
  ctx.doc.nodes[ctx.doc.nodes.indexOf(node)] = draft;
}
