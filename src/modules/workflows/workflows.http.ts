import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NodeTypeRegistry } from '../../engine/nodes/registry.ts';
import { ValidationError } from '../../lib/errors.ts';
import { formatZodError } from '../../plugins/validation-message.ts';
import { toWorkflowDto } from './workflows.dto.ts';
import { PatchWorkflowBodySchema, READ_ONLY_FIELDS } from './workflows.schemas.ts';
import { DiffRequestSchema } from './workflows-diff.schemas.ts';
import type { BatchReport, DiffOutcome } from './workflows-diff.service.ts';

/**
 * The HTTP side of the workflow routes that is not route registration: request checks run before the schema,
 * the headers the routes read (If-Match, X-Version-Message), and the shape of a diff batch's answer.
 */

/** n8n answers `request/body/<field> is read-only` for response-only fields, before any other check. */
export async function rejectReadOnlyFields(request: FastifyRequest) {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const field = READ_ONLY_FIELDS.find((f) => f in body) ?? (request.method === 'POST' && 'versionId' in body ? 'versionId' : undefined);
  if (field) throw new ValidationError(`request/body/${field} is read-only`);
}

/**
 * PATCH carries one of two bodies; validating each with its own schema gives messages about the body the
 * client meant to send rather than about a union.
 */
export async function validatePatchBody(request: FastifyRequest) {
  const body = request.body;
  const isDiff = typeof body === 'object' && body !== null && 'operations' in body;
  if (!isDiff) await rejectReadOnlyFields(request);
  const parsed = (isDiff ? DiffRequestSchema : PatchWorkflowBodySchema).safeParse(body);
  if (!parsed.success) throw new ValidationError(formatZodError('body', parsed.error, body), parsed.error.issues);
}

/** Optimistic locking: `versionId` in the body or an `If-Match: "<versionId>"` header. */
export function expectedVersion(request: FastifyRequest, bodyVersionId: string | undefined): string | undefined {
  const header = request.headers['if-match'];
  const raw = typeof header === 'string' ? header.replace(/^W\//, '').replaceAll('"', '').trim() : undefined;
  // `If-Match: *` matches any current version (RFC 9110): no expectation.
  const fromHeader = raw === '*' ? undefined : raw;
  if (bodyVersionId && fromHeader && bodyVersionId !== fromHeader) {
    throw new ValidationError('versionId in the body and If-Match disagree; send one of them');
  }
  return bodyVersionId ?? (fromHeader || undefined);
}

/** Notes on the canvas: never run, so never a missing type. */
const NOT_RUN = new Set(['n8n-nodes-base.stickyNote']);

/**
 * A write's answer with `warnings` when the workflow holds node types this server does not run: it is saved as
 * sent, and a run that reaches such a node fails; saying so at write time spares a client the surprise.
 */
export function withTypeWarnings<T extends object>(
  dto: T,
  nodes: readonly { name: string; type: string }[],
  types: Pick<NodeTypeRegistry, 'get' | 'disabled'>,
) {
  const missing = nodes.filter((node) => !NOT_RUN.has(node.type) && !types.get(node.type));
  if (!missing.length) return dto;
  return {
    ...dto,
    warnings: missing.map((node) =>
      types.disabled?.(node.type)
        ? `Node "${node.name}" has type "${node.type}", which this server's NODES_EXCLUDE setting turns off: a run that reaches it fails`
        : `Node "${node.name}" has type "${node.type}", which this server does not run: a run that reaches it fails (GET /api/v1/node-types lists the types it runs)`,
    ),
  };
}

/** The history entry's message: the `X-Version-Message` header, trimmed, at most 1000 characters. */
export const versionMessage = (request: FastifyRequest) => {
  const header = request.headers['x-version-message'];
  return typeof header === 'string' && header.trim() ? header.trim().slice(0, 1000) : undefined;
};

function diffDetails(result: BatchReport) {
  return {
    operationsApplied: result.applied.length,
    applied: result.applied,
    failed: result.failed,
    results: result.results,
    errors: result.errors,
    warnings: result.warnings,
    staleConnections: result.staleConnections,
  };
}

/** RFC 7240 `Prefer: return=minimal` (tokens case-insensitive, the value possibly quoted, among other preferences). */
export function prefersMinimal(request: FastifyRequest): boolean {
  const header = request.headers.prefer;
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.flatMap((value) => value.split(',')).some((preference) => /^\s*return\s*=\s*"?minimal"?\s*(?:;|$)/i.test(preference));
}

/** `return: minimal`: the new version's identity, and each node the batch added or changed as saved. */
function minimalData(outcome: Extract<DiffOutcome, { ok: true }>) {
  const { workflow, changes } = outcome;
  return {
    id: workflow.id,
    name: workflow.name,
    versionId: workflow.versionId,
    versionCounter: workflow.versionCounter,
    active: workflow.active,
    updatedAt: workflow.updatedAt.toISOString(),
    nodes: changes.nodes.map((index) => workflow.nodes[index]!),
    removedNodes: changes.removedNodes,
  };
}

/**
 * A diff batch's answer, `{ success, data, message, details }`: the saved workflow (or, asked for with `Prefer:
 * return=minimal` or `"return": "minimal"`, only what changed), or a refusal with its status, `code` and
 * `requestId` in the same shape.
 */
export function sendDiffOutcome(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: DiffOutcome,
  options: { validateOnly: boolean; return?: 'minimal' | 'representation' },
) {
  const details = { ...diffDetails(outcome.result), validateOnly: options.validateOnly };
  // The body's choice wins over the header's; a cache must not hand one client's form to another.
  const fromHeader = options.return === undefined && prefersMinimal(request);
  const minimal = options.return === 'minimal' || fromHeader;
  reply.header('vary', 'Prefer');
  if (fromHeader) reply.header('preference-applied', 'return=minimal');
  if (!outcome.ok) {
    const { status, message, code } = outcome;
    return reply.status(status).send({ success: false, data: null, message, code, details, requestId: request.id });
  }
  return { success: true, data: minimal ? minimalData(outcome) : toWorkflowDto(outcome.workflow), message: outcome.message, details };
}
