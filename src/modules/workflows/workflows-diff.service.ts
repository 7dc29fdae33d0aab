import { z } from 'zod';
import type { PrismaClient } from '../../db/client.ts';
import { type ApplyResult, applyOperations, NODE_OPERATIONS, type Operation } from '../../diff-engine/index.ts';
import { newId } from '../../lib/ids.ts';
import type { Principal } from '../api-keys/api-keys.service.ts';
import { tagsRepository } from '../tags/tags.repository.ts';
import { stateOf } from './workflow-state.ts';
import type { WorkflowWithRelations } from './workflows.dto.ts';
import { setWorkflowTagsByName } from './workflows.queries.ts';
import { NodeSchema, SettingsSchema } from './workflows.schemas.ts';
import type { WorkflowsService } from './workflows.service.ts';
import type { DiffRequest } from './workflows-diff.schemas.ts';
import { addedTagNames, assertOperationScopes } from './workflows-diff.scopes.ts';

/** A batch that cannot be saved: thrown inside the transaction so nothing is written, caught and reported. */
class DiffRejected extends Error {
  constructor(readonly result: ApplyResult) {
    super('diff rejected');
  }
}

export type DiffOutcome =
  | { ok: true; workflow: WorkflowWithRelations; result: ApplyResult; message: string }
  | { ok: false; result: ApplyResult; message: string; code: string };

const NodesSchema = z.array(NodeSchema);

/**
 * After the engine: the document must still be a workflow the API would accept on PUT. Returns the nodes as
 * PUT would store them (defaults such as typeVersion 1 filled in).
 */
function checkSavable(result: ApplyResult) {
  const nodes = NodesSchema.safeParse(result.doc.nodes);
  const settings = SettingsSchema.safeParse(result.doc.settings);
  for (const [what, parsed] of [
    ['nodes', nodes],
    ['settings', settings],
  ] as const) {
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      result.errors.push({
        operation: -1,
        code: 'VALIDATION_ERROR',
        message: `The result has invalid ${what}: ${issue.path.join('.')} ${issue.message}`,
      });
    }
  }
  if (!nodes.success || result.errors.some((e) => e.operation === -1)) throw new DiffRejected({ ...result, ok: false });
  return nodes.data;
}

function summarise(result: ApplyResult, operations: unknown[]) {
  const nodeOps = result.applied.filter((i) => NODE_OPERATIONS.has((operations[i] as Operation).type)).length;
  return `Applied ${result.applied.length} of ${operations.length} operation(s) (${nodeOps} node, ${result.applied.length - nodeOps} other)`;
}

export type WorkflowsDiffService = ReturnType<typeof createWorkflowsDiffService>;

export function createWorkflowsDiffService(deps: { workflows: WorkflowsService; prisma: PrismaClient }) {
  const { workflows, prisma } = deps;

  return {
    /**
     * Applies a diff batch in one transaction under the workflow's row lock: the engine runs on the current
     * state, the result is validated, and the workflow, its history entry, tags and activation are written
     * together. Any failure (or validateOnly) leaves the stored workflow exactly as it was.
     */
    async apply(id: string, request: DiffRequest, principal: Principal, expectedVersionId?: string): Promise<DiffOutcome> {
      const tagNames = addedTagNames(request.operations);
      const existingTags = new Set(tagNames.length ? (await tagsRepository.findByNames(prisma, tagNames)).map((tag) => tag.name) : []);
      assertOperationScopes(request.operations, principal.scopes, existingTags);
      let result: ApplyResult | undefined;
      const operations = request.operations.map((op, index) => ({
        index,
        type: (op as { type?: unknown })?.type,
        description: (op as { description?: unknown })?.description,
      }));
      try {
        const workflow = await workflows.saveChange(
          id,
          principal,
          { expectedVersionId, message: request.intent, operations, skipHistory: !request.createBackup, dryRun: request.validateOnly },
          async (current, tx) => {
            workflows.assertEditable(current);
            const doc = {
              name: current.name,
              // The engine works on its own copy; these are read, never mutated.
              nodes: current.nodes as never,
              connections: current.connections as never,
              settings: current.settings as Record<string, unknown>,
              active: current.active,
              tags: current.tags.map((t) => t.tag.name),
            };
            result = applyOperations(doc, request.operations, { continueOnError: request.continueOnError });
            if (!result.ok) throw new DiffRejected(result);
            const savableNodes = checkSavable(result);
            if (result.doc.tags.join('\n') !== doc.tags.join('\n')) await setWorkflowTagsByName(tx, id, result.doc.tags, () => newId());
            const { name, connections, settings } = result.doc;
            return { ...stateOf(current), name, nodes: savableNodes, connections, settings };
          },
          () => ({ active: result?.doc.active }),
        );
        const ok = result!;
        return {
          ok: true,
          workflow,
          result: ok,
          message: request.validateOnly
            ? `Validation successful: ${summarise(ok, request.operations)}; nothing was saved`
            : summarise(ok, request.operations),
        };
      } catch (err) {
        if (!(err instanceof DiffRejected)) throw err;
        const failed = err.result;
        const first = failed.errors[0];
        return {
          ok: false,
          result: failed,
          code: first?.code ?? 'VALIDATION_ERROR',
          message: `No changes were saved: ${first ? `${first.operation >= 0 ? `operation ${first.operation}: ` : ''}${first.message}` : 'the batch failed'}`,
        };
      }
    },
  };
}
