import { findInvariantProblems } from './invariants.ts';
import { NODE_OPERATIONS, type Operation, OperationSchema } from './operations.schema.ts';
import { addConnection } from './ops/add-connection.ts';
import { addNode } from './ops/add-node.ts';
import { addTag } from './ops/add-tag.ts';
import { cleanStaleConnections } from './ops/clean-stale-connections.ts';
import { setNodeDisabled } from './ops/enable-disable-node.ts';
import { moveNode } from './ops/move-node.ts';
import { removeConnection } from './ops/remove-connection.ts';
import { removeNode } from './ops/remove-node.ts';
import { removeTag } from './ops/remove-tag.ts';
import { replaceConnections } from './ops/replace-connections.ts';
import { rewireConnection } from './ops/rewire-connection.ts';
import { setActive } from './ops/set-active.ts';
import { updateName } from './ops/update-name.ts';
import { updateNode } from './ops/update-node.ts';
import { updateSettings } from './ops/update-settings.ts';
import { type DiffContext, type ErrorCode, OperationError, type WorkflowDoc, type WorkflowDocInput } from './types.ts';

export interface OperationResult {
  index: number;
  type: string;
  status: 'applied' | 'failed' | 'not_run';
  description?: string;
}

export interface DiffError {
  /** The operation's index in the request, or -1 for a problem with the batch's result as a whole. */
  operation: number;
  code: ErrorCode;
  message: string;
}

export interface ApplyResult {
  ok: boolean;
  doc: WorkflowDoc;
  results: OperationResult[];
  errors: DiffError[];
  warnings: string[];
  applied: number[];
  failed: number[];
  staleConnections: DiffContext['staleConnections'];
}

/**
 * A copy that shares the input's node objects: operations replace a node with an edited copy instead of
 * changing it (see editNode), so the input is never touched, and a 500-node workflow is not deep-copied for a
 * batch that edits three of its nodes. Connections, settings and tags are small and copied outright.
 */
function copyOnWrite(input: WorkflowDoc): WorkflowDoc {
  return {
    ...input,
    nodes: [...input.nodes],
    connections: copyConnections(input.connections),
    settings: { ...input.settings },
    tags: [...input.tags],
  };
}

/**
 * A deep copy of the connections, written out for their shape (source -> type -> outputs -> entries): several
 * times faster than structuredClone on a large workflow. Operations change the arrays and the entries' own
 * fields, so copying those is enough; anything of another shape is cloned outright.
 */
function copyConnections(connections: WorkflowDoc['connections']): WorkflowDoc['connections'] {
  const copy = {};
  for (const source of Object.keys(connections)) {
    const byType = (connections as Record<string, unknown>)[source];
    if (!isPlainObject(byType)) {
      put(copy, source, structuredClone(byType));
      continue;
    }
    const types = {};
    for (const type of Object.keys(byType)) {
      const outputs = byType[type];
      put(types, type, Array.isArray(outputs) ? outputs.map(copyOutput) : structuredClone(outputs));
    }
    put(copy, source, types);
  }
  return copy as WorkflowDoc['connections'];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

function copyOutput(entries: unknown) {
  if (!Array.isArray(entries)) return structuredClone(entries);
  return entries.map((entry) => {
    if (!isPlainObject(entry)) return structuredClone(entry);
    const copy = {};
    for (const key of Object.keys(entry)) {
      const value = entry[key];
      put(copy, key, value && typeof value === 'object' ? structuredClone(value) : value);
    }
    return copy;
  });
}

/** An own property, as JSON.parse makes it: assigning `__proto__` would set the prototype instead. */
function put(target: object, key: string, value: unknown) {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

function dispatch(ctx: DiffContext, op: Operation) {
  switch (op.type) {
    case 'addNode':
      return addNode(ctx, op);
    case 'removeNode':
      return removeNode(ctx, op);
    case 'updateNode':
      return updateNode(ctx, op);
    case 'moveNode':
      return moveNode(ctx, op);
    case 'enableNode':
    case 'disableNode':
      return setNodeDisabled(ctx, op);
    case 'addConnection':
      return addConnection(ctx, op);
    case 'removeConnection':
      return removeConnection(ctx, op);
    case 'rewireConnection':
      return rewireConnection(ctx, op);
    case 'cleanStaleConnections':
      return cleanStaleConnections(ctx, op);
    case 'replaceConnections':
      return replaceConnections(ctx, op);
    case 'activateWorkflow':
    case 'deactivateWorkflow':
      return setActive(ctx, op);
    case 'updateSettings':
      return updateSettings(ctx, op);
    case 'updateName':
      return updateName(ctx, op);
    case 'addTag':
      return addTag(ctx, op);
    case 'removeTag':
      return removeTag(ctx, op);
    default: {
      const never: never = op;
      throw new OperationError('VALIDATION_ERROR', `Unknown operation type ${(never as { type: string }).type}`);
    }
  }
}

/** Undoes what a failing operation did to the context, for continueOnError. */
function snapshot(ctx: DiffContext): () => void {
  const doc = copyOnWrite(ctx.doc);
  const renames = new Map(ctx.renames);
  const removed = new Map(ctx.removed);
  const warnings = ctx.warnings.length;
  const stale = ctx.staleConnections.length;
  return () => {
    ctx.doc = doc;
    ctx.renames = renames;
    ctx.removed = removed;
    ctx.warnings.length = warnings;
    ctx.staleConnections.length = stale;
  };
}

export const PRE_EXISTING = 'Pre-existing problem, not caused by this batch: ';

/**
 * Invariant problems of the result fail the batch, unless the input had the same problem (same message): a workflow
 * imported from n8n may already break a rule (an IF with a third output, a malformed slot), and a batch that did
 * not cause it must still be able to edit the workflow. Those become warnings (each message once). Problems are
 * counted: when the input had one stale edge from "A" to "Gone" and the result has two, the second is an error.
 */
function reportInvariantProblems(input: WorkflowDoc, ctx: DiffContext, errors: DiffError[]) {
  const problems = findInvariantProblems(ctx.doc);
  if (!problems.length) return;
  const before = new Map<string, number>();
  for (const { message } of findInvariantProblems(input)) before.set(message, (before.get(message) ?? 0) + 1);
  for (const problem of problems) {
    const left = before.get(problem.message) ?? 0;
    if (!left) {
      errors.push({ operation: -1, ...problem });
      continue;
    }
    before.set(problem.message, left - 1);
    const warning = `${PRE_EXISTING}${problem.message}`;
    if (!ctx.warnings.includes(warning)) ctx.warnings.push(warning);
  }
}

const OPERATION_TYPES = OperationSchema.options.map((o) => o.shape.type.value);

function parseOperation(raw: unknown, index: number): { op?: Operation; error?: DiffError } {
  const fail = (message: string) => ({
    error: { operation: index, code: 'VALIDATION_ERROR' as const, message: `operations[${index}]: ${message}` },
  });
  const type = (raw as { type?: unknown } | null)?.type;
  if (!OPERATION_TYPES.includes(type as Operation['type'])) {
    return fail(`Unknown operation type ${JSON.stringify(type)}. Supported: ${OPERATION_TYPES.join(', ')}`);
  }
  const parsed = OperationSchema.safeParse(raw);
  if (parsed.success) return { op: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  const detail =
    issue.code === 'unrecognized_keys'
      ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} for ${String(type)}`
      : issue.message;
  return fail(`${detail}${where}`);
}

/**
 * Applies a batch to a copy of `input` (never to `input` itself). Two passes: node operations first, then the
 * rest, each pass in request order. Atomic by default: the first failure stops the batch and `ok` is false.
 * With `continueOnError`, failing operations are skipped (each one leaves no partial change) and the rest apply.
 * Either way the result must pass the whole-document invariants, or nothing may be saved.
 */
export function applyOperations(
  stored: WorkflowDocInput,
  rawOperations: unknown[],
  options: { continueOnError?: boolean } = {},
): ApplyResult {
  // A stored connection map is edited as the well-formed view it mostly is: the helpers in connections.ts skip and
  // keep what they cannot read, and the invariants report it, so no operation throws on a malformed part.
  const input = stored as WorkflowDoc;
  const ctx: DiffContext = { doc: copyOnWrite(input), renames: new Map(), warnings: [], removed: new Map(), staleConnections: [] };
  const errors: DiffError[] = [];
  const results: OperationResult[] = [];
  const parsed = rawOperations.map((raw, index) => {
    const { op, error } = parseOperation(raw, index);
    if (error) errors.push(error);
    results.push({ index, type: String((raw as { type?: unknown })?.type ?? 'unknown'), status: 'not_run', description: op?.description });
    return op;
  });
  const finish = (ok: boolean): ApplyResult => ({
    ok,
    doc: ok ? ctx.doc : input,
    results,
    errors,
    warnings: ctx.warnings,
    applied: results.filter((r) => r.status === 'applied').map((r) => r.index),
    failed: results.filter((r) => r.status === 'failed').map((r) => r.index),
    staleConnections: ctx.staleConnections,
  });
  for (const error of errors) results[error.operation]!.status = 'failed';
  if (errors.length && !options.continueOnError) return finish(false);

  const order = [...parsed.keys()].sort(
    (a, b) =>
      Number(!NODE_OPERATIONS.has(parsed[a]?.type as Operation['type'])) -
        Number(!NODE_OPERATIONS.has(parsed[b]?.type as Operation['type'])) || a - b,
  );
  for (const index of order) {
    const op = parsed[index];
    if (!op) continue;
    // Best-effort mode restores the document (and what the batch has recorded) when an operation fails half-way;
    // atomic mode discards everything anyway.
    const restore = options.continueOnError ? snapshot(ctx) : undefined;
    try {
      dispatch(ctx, op);
      results[index]!.status = 'applied';
    } catch (err) {
      restore?.();
      results[index]!.status = 'failed';
      const known = err instanceof OperationError;
      errors.push({
        operation: index,
        code: known ? err.code : 'OPERATION_FAILED',
        message: known ? err.message : `Failed to apply operation: ${String(err)}`,
      });
      if (!options.continueOnError) return finish(false);
    }
  }
  reportInvariantProblems(input, ctx, errors);
  const batchBroken = errors.some((e) => e.operation === -1);
  return finish(
    !batchBroken && (options.continueOnError ? results.some((r) => r.status === 'applied') || !rawOperations.length : errors.length === 0),
  );
}
