import type { SqlPool } from '../../db/client.ts';
import { type ApplyResult, applyOperations, NODE_OPERATIONS, type Operation } from '../../diff-engine/index.ts';
import type { ErrorCode } from '../../lib/error-codes.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { type Caller, withScopes } from '../roles/grant.ts';
import { type EditDependencies, lockForEdit, persistEdit, runEdit } from './workflow-edit.ts';
import { assertEditable, stateOf } from './workflow-state.ts';
import { workflowsRepository } from './workflows.repository.ts';
import { NodeSchema, SettingsSchema, type WorkflowNode } from './workflows.schemas.ts';
import type { TagLookup } from './workflows.service.ts';
import type { WorkflowWithRelations } from './workflows.types.ts';
import type { DiffRequest } from './workflows-diff.schemas.ts';
import { addedTagNames, assertOperationScopes } from './workflows-diff.scopes.ts';

/** A batch that cannot be saved: thrown inside the transaction so nothing is written, caught and reported. */
class DiffRejected extends Error {
  constructor(readonly result: ApplyResult) {
    super('diff rejected');
  }
}

/** An error of a refused batch: the engine's (its codes are registry codes, checked here by the compiler) or the save's. */
export interface BatchError {
  /** The operation's index; -1 when the batch as a whole is refused. */
  operation: number;
  code: ErrorCode;
  message: string;
}

export type BatchReport = Omit<ApplyResult, 'ok' | 'doc' | 'errors'> & { errors: BatchError[] };

/** Which nodes a batch touched: indexes into the saved workflow's nodes (added or changed), and removed names. */
export interface NodeChanges {
  nodes: number[];
  removedNodes: string[];
}

/**
 * The engine copies on write (apply.ts): a node the batch did not touch is the very object it was given, so
 * identity tells the touched ones apart without comparing 200 nodes' JSON. Stored nodes all carry ids, so a
 * node whose id is gone was removed (a renamed node keeps its id).
 */
function nodeChanges(before: readonly WorkflowNode[], after: readonly WorkflowNode[]): NodeChanges {
  const untouched = new Set(before);
  const remaining = new Set(after.map((node) => node.id));
  return {
    nodes: after.flatMap((node, index) => (untouched.has(node) ? [] : [index])),
    removedNodes: before.filter((node) => !remaining.has(node.id)).map((node) => node.name),
  };
}

/** A refused batch answers 400, or 409 when what it would save clashes with another workflow (a webhook path). */
type RefusalStatus = 400 | 409;
const isRefusalStatus = (status: number): status is RefusalStatus => status === 400 || status === 409;

export type DiffOutcome =
  | { ok: true; workflow: WorkflowWithRelations; result: ApplyResult; message: string; changes: NodeChanges }
  | { ok: false; status: RefusalStatus; result: BatchReport; message: string; code: ErrorCode };

const NOTHING_APPLIED: BatchReport = { results: [], errors: [], warnings: [], applied: [], failed: [], staleConnections: [] };

function refused(status: RefusalStatus, report: BatchReport): Extract<DiffOutcome, { ok: false }> {
  const first = report.errors[0];
  const where = first && first.operation >= 0 ? `operation ${first.operation}: ` : '';
  return {
    ok: false,
    status,
    result: report,
    code: first?.code ?? 'VALIDATION_ERROR',
    message: `No changes were saved: ${first ? `${where}${first.message}` : 'the batch failed'}`,
  };
}

/**
 * After the engine: the document must still be a workflow the API would accept on PUT. Returns the nodes as
 * PUT would store them (defaults such as typeVersion 1 filled in).
 */
function checkSavable(result: ApplyResult, changes: NodeChanges) {
  // Untouched nodes are the stored ones, valid when they were saved: only the nodes the batch wrote are checked
  // (in index order, so the first problem reported is the one a check of the whole list would report).
  const nodes = [...result.doc.nodes];
  const problems: string[] = [];
  for (const index of changes.nodes) {
    const parsed = NodeSchema.safeParse(nodes[index]);
    if (parsed.success) {
      nodes[index] = parsed.data;
      continue;
    }
    const issue = parsed.error.issues[0]!;
    problems.push(`The result has invalid nodes: ${[index, ...issue.path].join('.')} ${issue.message}`);
    break;
  }
  const settings = SettingsSchema.safeParse(result.doc.settings);
  if (!settings.success) {
    const issue = settings.error.issues[0]!;
    problems.push(`The result has invalid settings: ${issue.path.join('.')} ${issue.message}`);
  }
  for (const message of problems) result.errors.push({ operation: -1, code: 'VALIDATION_ERROR', message });
  if (problems.length || result.errors.some((e) => e.operation === -1)) throw new DiffRejected({ ...result, ok: false });
  return nodes;
}

function summarise(result: ApplyResult, operations: unknown[]) {
  const nodeOps = result.applied.filter((i) => NODE_OPERATIONS.has((operations[i] as Operation).type)).length;
  return `Applied ${result.applied.length} of ${operations.length} operation(s) (${nodeOps} node, ${result.applied.length - nodeOps} other)`;
}

export type WorkflowsDiffService = ReturnType<typeof createWorkflowsDiffService>;

export function createWorkflowsDiffService(deps: EditDependencies & { sql: SqlPool; tags: TagLookup }) {
  const { sql, tags } = deps;

  return {
    /**
     * Applies a diff batch in one transaction under the workflow's row lock: the engine runs on the current
     * state, the result is validated, and the workflow, its history entry, tags and activation are written
     * together. Any failure (or validateOnly) leaves the stored workflow exactly as it was.
     */
    async apply(id: string, request: DiffRequest, { principal, grant }: Caller, expectedVersionId?: string): Promise<DiffOutcome> {
      const tagNames = addedTagNames(request.operations);
      const existingTags = new Set(tagNames.length ? (await tags.findByNames(sql, tagNames)).map((tag) => tag.name) : []);
      const operationScopes = assertOperationScopes(request.operations, principal.scopes, existingTags);
      let result: ApplyResult | undefined;
      let changes: NodeChanges = { nodes: [], removedNodes: [] };
      // Once the workflow is locked and its version checked, every refusal is about this batch: it is reported in
      // the batch's shape (success, details), not as a bare error.
      let batchStarted = false;
      const operations = request.operations.map((op, index) => ({
        index,
        type: (op as { type?: unknown })?.type,
        description: (op as { description?: unknown })?.description,
      }));
      try {
        const workflow = await runEdit(sql, { dryRun: request.validateOnly }, async (tx) => {
          const current = await lockForEdit(tx, deps, id, withScopes(grant, operationScopes), expectedVersionId);
          batchStarted = true;
          assertEditable(current);
          const doc = {
            name: current.name,
            // The engine works on its own copy; these are read, never mutated.
            nodes: current.nodes,
            connections: current.connections,
            settings: current.settings,
            active: current.active,
            tags: current.tags.map((t) => t.name),
          };
          const applied = applyOperations(doc, request.operations, { continueOnError: request.continueOnError });
          result = applied;
          if (!applied.ok) throw new DiffRejected(applied);
          changes = nodeChanges(current.nodes, applied.doc.nodes);
          const nodes = checkSavable(applied, changes);
          const tagsChanged = applied.doc.tags.join('\n') !== doc.tags.join('\n');
          if (tagsChanged) {
            const tagged = await tags.findOrCreateByNames(tx, applied.doc.tags, () => newId());
            await workflowsRepository.replaceTags(
              tx,
              id,
              tagged.map((t) => t.id),
            );
          }
          const { name, connections, settings } = applied.doc;
          return persistEdit(tx, deps, {
            current,
            next: { ...stateOf(current), name, nodes, connections, settings },
            principal,
            history: request.createBackup ? { message: request.intent, operations } : null,
            active: applied.doc.active,
            touched: { nodes: changes.nodes, tags: tagsChanged },
            dryRun: request.validateOnly,
          });
        });
        const ok = result!;
        return {
          ok: true,
          workflow,
          changes,
          result: ok,
          message: request.validateOnly
            ? `Validation successful: ${summarise(ok, request.operations)}; nothing was saved`
            : summarise(ok, request.operations),
        };
      } catch (err) {
        if (err instanceof DiffRejected) return refused(400, err.result);
        if (!(err instanceof AppError) || !batchStarted || !isRefusalStatus(err.statusCode)) throw err;
        // A check of the save (credentials, triggers, webhook paths, an archived workflow) refused the result.
        const report = result ?? NOTHING_APPLIED;
        return refused(err.statusCode, { ...report, errors: [{ operation: -1, code: err.code, message: err.message }, ...report.errors] });
      }
    },
  };
}
