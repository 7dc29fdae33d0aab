import type { Operation } from '../../diff-engine/index.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import { hasScope, type Scope } from '../api-keys/scopes.ts';

/**
 * The scopes each diff operation needs beyond the route's own `workflow:update`: what its standalone route
 * requires, so a batch can never do what the key could not do one route at a time. A Record over every operation
 * type, so adding an operation without deciding its scopes does not compile (as a route without scopes does not
 * boot).
 */
export const OPERATION_SCOPES: Record<Operation['type'], readonly Scope[]> = {
  addNode: [],
  removeNode: [],
  updateNode: [],
  moveNode: [],
  enableNode: [],
  disableNode: [],
  addConnection: [],
  removeConnection: [],
  rewireConnection: [],
  cleanStaleConnections: [],
  replaceConnections: [],
  updateSettings: [],
  updateName: [],
  activateWorkflow: ['workflow:activate'],
  deactivateWorkflow: ['workflow:deactivate'],
  addTag: ['workflowTags:update'],
  removeTag: ['workflowTags:update'],
};

/** addTag of a tag that does not exist yet creates it, which POST /tags guards with tag:create. */
const NEW_TAG_SCOPE: Scope = 'tag:create';

type RawOperation = { type?: unknown; tag?: unknown } | null | undefined;

const isKnownType = (type: unknown): type is Operation['type'] => typeof type === 'string' && Object.hasOwn(OPERATION_SCOPES, type);

/** The tag names a batch's addTag operations name (as the engine reads them: trimmed). */
export function addedTagNames(operations: readonly unknown[]): string[] {
  const names = (operations as RawOperation[]).flatMap((op) =>
    op?.type === 'addTag' && typeof op.tag === 'string' ? [op.tag.trim()] : [],
  );
  return [...new Set(names)];
}

/**
 * Refuses the batch, before anything is applied, when the key lacks a scope one of its operations needs: a 403
 * naming the first such operation and every scope it lacks. Malformed operations are left to the engine. Returns
 * every scope the operations need, which the key's user must also hold in the workflow's project.
 */
export function assertOperationScopes(
  operations: readonly unknown[],
  granted: readonly string[],
  existingTags: ReadonlySet<string>,
): Scope[] {
  const all = new Set<Scope>();
  (operations as RawOperation[]).forEach((op, index) => {
    const type = op?.type;
    if (!isKnownType(type)) return;
    const needed = [...OPERATION_SCOPES[type]];
    if (type === 'addTag' && typeof op?.tag === 'string' && !existingTags.has(op.tag.trim())) needed.push(NEW_TAG_SCOPE);
    for (const scope of needed) all.add(scope);
    const missing = needed.filter((scope) => !hasScope(granted, scope));
    if (missing.length) {
      throw new ForbiddenError(
        {
          operation: index,
          type,
          missingScopes: missing,
          reason: `operations[${index}] (${type}) needs the scope(s) ${missing.join(', ')}, which this API key does not hold; nothing was applied`,
        },
        `Forbidden: operations[${index}] (${type}) needs the scope ${missing.join(', ')}`,
      );
    }
  });
  return [...all];
}
