import type { SqlPool } from '../../db/client.ts';
import type { NodeTypeRegistry } from '../../engine/nodes/registry.ts';
import { prepareRetry } from '../../engine/retry.ts';
import { defaultStartNode } from '../../engine/triggers.ts';
import type { Item, WorkflowDefinition } from '../../engine/types.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeOffsetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import { admit, type Grant, projectFilterOf } from '../roles/grant.ts';
import { workflowsRepository } from '../workflows/workflows.repository.ts';
import type { ExecutionDispatcher } from './execution-dispatch.ts';
import type { ExecutionRunner, FinishedRun } from './execution-runner.ts';
import {
  countAnnotationTags,
  countExecutionsByStatus,
  type ExecutionPassThroughRead,
  type ExecutionRow,
  findExecution,
  findExecutionIdsToStop,
  findExecutionPassThrough,
  getExecutionTags,
  insertAnnotationTag,
  listAnnotationTags,
  listExecutions,
  replaceExecutionTags,
} from './executions.repository.ts';
import { cancelWaiting, deleteExecution } from './executions.store.ts';
import type { InstanceLiveness } from './instance-liveness.ts';
import type { WorkflowLoader } from './workflow-loader.ts';

const STOPPABLE = new Set(['running', 'new', 'waiting']);
/** How long a stop request waits to see the run actually end (the bound is one second). */
const STOP_WAIT_MS = 2000;

/** untranslatable_character, invalid_text_representation: what PostgreSQL says of those escapes. */
const UNSPLITTABLE_JSON = new Set(['22P05', '22P02']);

export function createExecutionsService(deps: {
  sql: SqlPool;
  /** Cancels runs of this process at once; runs elsewhere (another main, a worker) are asked through the liveness channel. */
  runner: Pick<ExecutionRunner, 'cancel' | 'settled'>;
  dispatcher: Pick<ExecutionDispatcher, 'start' | 'discard'>;
  liveness: Pick<InstanceLiveness, 'requestCancel'>;
  loader: WorkflowLoader;
  nodeTypes: NodeTypeRegistry;
}) {
  const { sql, runner, dispatcher, loader } = deps;

  async function mustFind(id: number, includeData = false): Promise<ExecutionRow> {
    const row = await findExecution(sql, id, includeData);
    if (!row) throw new NotFoundError();
    return row;
  }

  /** An execution the grant reaches through its workflow's project; one its user may not see is "not found". */
  async function findAdmitted(id: number, grant: Grant, includeData = false): Promise<ExecutionRow> {
    const row = await mustFind(id, includeData);
    admitToWorkflowProject(grant, row.projectId);
    return row;
  }

  /** The execution as it is after a run, from the database, or from memory when settings said not to keep it. */
  async function afterRun(finished: FinishedRun, workflow: WorkflowDefinition, base: Partial<ExecutionRow>): Promise<ExecutionRow> {
    const saved = finished.saved ? await findExecution(sql, finished.id, true) : undefined;
    if (saved) return saved;
    const now = new Date();
    return {
      id: finished.id,
      workflowId: workflow.id,
      workflowVersionId: workflow.versionId ?? null,
      finished: finished.status === 'success',
      mode: 'manual',
      status: finished.status,
      retryOf: null,
      retrySuccessId: null,
      createdAt: now,
      startedAt: now,
      stoppedAt: now,
      waitTill: null,
      instanceId: null,
      jsonSizeBytes: 0,
      data: finished.data,
      workflowData: workflow,
      ...base,
    };
  }

  async function stopOne(row: ExecutionRow): Promise<ExecutionRow> {
    if (row.status === 'waiting' || row.status === 'new') {
      // Still queued: canceled in the database first (a worker's claim then refuses it), then taken off the queue.
      if (await cancelWaiting(sql, row.id)) await dispatcher.discard(row.id);
      else if ((await findExecution(sql, row.id, false))?.status === 'running') return stopOne({ ...row, status: 'running' });
      return mustFind(row.id);
    }
    if (runner.cancel(row.id)) {
      await runner.settled(row.id)?.catch(() => undefined);
    } else {
      await deps.liveness.requestCancel(sql, row.id);
      const deadline = Date.now() + STOP_WAIT_MS;
      while (Date.now() < deadline) {
        const current = await findExecution(sql, row.id, false);
        if (!current || !STOPPABLE.has(current.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return (await findExecution(sql, row.id, false)) ?? row;
  }

  function startNodeOf(workflow: WorkflowDefinition, requested: string | undefined): string {
    if (requested) {
      if (!workflow.nodes.some((n) => n.name === requested))
        throw new ValidationError(`request/body/startNode: no node named "${requested}" in the workflow`);
      return requested;
    }
    const trigger = defaultStartNode(workflow.nodes, deps.nodeTypes);
    if (!trigger) {
      throw new AppError(
        400,
        'VALIDATION_ERROR',
        `Workflow "${workflow.name}" has no trigger node to start from: add a Manual Trigger, or name one in startNode`,
      );
    }
    return trigger.name;
  }

  return {
    async list(
      grant: Grant,
      query: {
        includeData: boolean;
        status?: string;
        workflowId?: string;
        projectId?: string;
        startedAfter?: string;
        startedBefore?: string;
        limit: number;
        cursor?: string;
      },
    ) {
      const { limit, beforeId } = decodeExecutionCursor(query.cursor, query.limit);
      // n8n: "error" covers crashed runs; runs still in progress appear only when asked for by status.
      const statuses =
        query.status === 'error'
          ? ['error', 'crashed']
          : query.status
            ? [query.status]
            : ['success', 'error', 'crashed', 'canceled', 'waiting', 'unknown'];
      const filters = {
        statuses,
        ...(query.workflowId ? { workflowId: query.workflowId } : {}),
        ...(query.projectId ? { projectId: query.projectId } : {}),
        projectIds: projectFilterOf(grant),
        ...(beforeId !== undefined ? { beforeId } : {}),
        ...(query.startedAfter ? { startedFrom: new Date(query.startedAfter) } : {}),
        ...(query.startedBefore ? { startedUntil: new Date(query.startedBefore) } : {}),
      };
      const { rows, hasMore } = await listExecutions(sql, filters, limit, query.includeData);
      const last = rows[rows.length - 1];
      const nextCursor = hasMore && last ? Buffer.from(JSON.stringify({ lastId: String(last.id), limit })).toString('base64') : null;
      return { rows, nextCursor };
    },

    get: (id: number, includeData: boolean, grant: Grant) => findAdmitted(id, grant, includeData),

    /** How many executions there are in each status. */
    countByStatus: () => countExecutionsByStatus(sql),

    /** One execution with its data as the database's JSON text, for GET with includeData (toExecutionJson). */
    async getPassThrough(id: number, grant: Grant): Promise<{ passThrough: ExecutionPassThroughRead } | { row: ExecutionRow }> {
      try {
        const read = await findExecutionPassThrough(sql, id);
        if (!read) throw new NotFoundError();
        admitToWorkflowProject(grant, read.row.projectId);
        return read.oddShape ? { row: await mustFind(id, true) } : { passThrough: read };
      } catch (err) {
        // The json type stores \u0000 and lone-surrogate escapes as written, but json_each and -> refuse to take
        // such a text apart: that execution is read parsed instead (JSON.parse takes them).
        if (!UNSPLITTABLE_JSON.has((err as { code?: string }).code ?? '')) throw err;
        return { row: await findAdmitted(id, grant, true) };
      }
    },

    async delete(id: number, grant: Grant) {
      const row = await findAdmitted(id, grant);
      if (row.status === 'running') throw new AppError(400, 'VALIDATION_ERROR', 'Cannot delete a running execution');
      await deleteExecution(sql, id);
      return row;
    },

    async retry(id: number, loadWorkflow: boolean, grant: Grant) {
      const row = await findAdmitted(id, grant, true);
      if (row.status === 'success') throw new ConflictError('The execution succeeded, so it cannot be retried.');
      if (STOPPABLE.has(row.status))
        throw new ConflictError(`The execution is ${row.status}, so it cannot be retried yet. Stop it first or wait for it to end.`);
      const resume = row.data ? prepareRetry(row.data) : null;
      if (!resume)
        throw new ConflictError(`Execution ${id} has no saved run data to continue from (status ${row.status}), so it cannot be retried.`);
      const workflow = loadWorkflow ? await loader.current(row.workflowId) : (row.workflowData ?? (await loader.current(row.workflowId)));
      const handle = await dispatcher.start({ workflow, mode: 'retry', resume, retryOf: id });
      return afterRun(await handle.done, workflow, { mode: 'retry', retryOf: id });
    },

    async stop(id: number, grant: Grant) {
      const row = await findAdmitted(id, grant);
      if (!STOPPABLE.has(row.status)) {
        throw new ConflictError(`Only running or waiting executions can be stopped and ${id} is currently ${row.status}`);
      }
      return stopOne(row);
    },

    async stopMany(body: { status: string[]; workflowId?: string; startedAfter?: string; startedBefore?: string }, grant: Grant) {
      if (body.status.length === 0)
        throw new ValidationError('Status filter is required. Please provide at least one status to stop executions.');
      if (body.workflowId) {
        const hidden = (): never => {
          throw new NotFoundError('Workflow not found or not accessible');
        };
        admit(grant, (await workflowsRepository.projectOf(sql, body.workflowId)) ?? hidden(), 'workflow:read', hidden);
      }
      const ids = await findExecutionIdsToStop(sql, {
        statuses: body.status.map((s) => (s === 'queued' ? 'new' : s)),
        workflowId: body.workflowId ?? null,
        startedAfter: body.startedAfter ?? null,
        startedBefore: body.startedBefore ?? null,
        projectIds: projectFilterOf(grant) ?? null,
      });
      let stopped = 0;
      for (const id of ids) {
        const row = await findExecution(sql, id, false);
        if (row && STOPPABLE.has(row.status)) {
          await stopOne(row);
          stopped++;
        }
      }
      return { stopped };
    },

    async getTags(id: number, grant: Grant) {
      await findAdmitted(id, grant);
      return getExecutionTags(sql, id);
    },

    async setTags(id: number, tagIds: string[], grant: Grant) {
      await findAdmitted(id, grant);
      const unique = [...new Set(tagIds)];
      // Annotation tags only: a workflow tag's id is not one, as in n8n.
      if ((await countAnnotationTags(sql, unique)) !== unique.length) throw new NotFoundError('Some tags not found');
      await replaceExecutionTags(sql, id, unique);
      return getExecutionTags(sql, id);
    },

    listAnnotationTags: (query: { limit: number; cursor?: string }) =>
      fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => listAnnotationTags(sql, range)),

    async createAnnotationTag(name: string) {
      const tag = await insertAnnotationTag(sql, newId(), name);
      if (!tag) throw new ConflictError('Tag already exists');
      return tag;
    },

    /** POST /workflows/:id/run: a manual run of the saved workflow, with optional start items. */
    async run(workflowId: string, body: { items?: Record<string, unknown>[]; startNode?: string }, wait: boolean, grant: Grant) {
      const workflow = await loader.current(workflowId);
      admitToWorkflowProject(grant, workflow.projectId);
      const start = startNodeOf(workflow, body.startNode);
      const items: Item[] = (body.items ?? [{}]).map((item) =>
        'json' in item && typeof item.json === 'object' && item.json !== null ? (item as unknown as Item) : { json: item },
      );
      const handle = await dispatcher.start({ workflow, mode: 'manual', start: { node: start, items } });
      if (!wait) return { executionId: String(handle.id), execution: undefined };
      return { executionId: String(handle.id), execution: await afterRun(await handle.done, workflow, {}) };
    },
  };
}

/** n8n's executions cursor: base64 of `{"lastId":"<id>","limit":L}`; its limit overrides the query's. */
function decodeExecutionCursor(cursor: string | undefined, limit: number): { limit: number; beforeId?: number } {
  if (cursor === undefined) return { limit };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { lastId?: unknown; limit?: unknown };
    const lastId = Number(parsed.lastId);
    const pageLimit = parsed.limit === undefined ? limit : Number(parsed.limit);
    if (!Number.isInteger(lastId) || !Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 250) throw new Error();
    return { limit: pageLimit, beforeId: lastId };
  } catch {
    throw new ValidationError('An invalid cursor was provided');
  }
}

const hidden = (): never => {
  throw new NotFoundError();
};

/** Executions are seen and run through their workflow's project (n8n checks the workflow's scopes). */
const admitToWorkflowProject = (grant: Grant, projectId: string | undefined): void =>
  admit(grant, projectId ?? hidden(), 'workflow:read', hidden);

export type ExecutionsService = ReturnType<typeof createExecutionsService>;
