import { randomUUID } from 'node:crypto';
import { inTransaction, type PrismaClient, type SqlClient, type SqlPool } from '../../db/client.ts';
import { countTriggers } from '../../engine/triggers.ts';
import { DEFAULT_TIMEZONE, workflowTimezone } from '../../engine/workflow-timezone.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeListCursor, decodeOffsetCursor, encodeKeysetCursor, fetchOffsetPage } from '../../lib/pagination.ts';
import type { Principal } from '../api-keys/api-keys.service.ts';
import { assertCredentialReferences } from '../credentials/credential-references.ts';
import { projectsRepository } from '../projects/projects.repository.ts';
import { tagsRepository } from '../tags/tags.repository.ts';
import { syncTriggers } from '../triggers/trigger-registrations.ts';
import {
  ArchivedWorkflowError,
  normaliseNodes,
  noTriggerError,
  notFound,
  stateOf,
  TRANSACTION,
  UUID,
  versionData,
  type WorkflowState,
} from './workflow-state.ts';
import type { WorkflowWithRelations } from './workflows.dto.ts';
import {
  insertPublishEvent,
  insertVersionRow,
  insertWorkflowWithFirstVersion,
  lockWorkflowForUpdate,
  selectWorkflowPage,
  selectWorkflowTags,
  selectWorkflowWithRelations,
  updateWorkflowRow,
  type WorkflowFilters,
} from './workflows.queries.ts';
import { workflowsRepository as repo } from './workflows.repository.ts';
import type { CreateWorkflowBody, PatchWorkflowBody, WorkflowNode } from './workflows.schemas.ts';

export type WorkflowsService = ReturnType<typeof createWorkflowsService>;

export interface WriteOptions {
  /** The versionId the caller last saw; a different current one is a 409 and nothing is written. */
  expectedVersionId?: string;
  /** Kept with the history entry. */
  message?: string;
  /** A diff batch's operations (index, type, description), kept with the history entry. */
  operations?: unknown[];
  /** Write no history entry for this change (a diff batch with createBackup: false). */
  skipHistory?: boolean;
  /** Validate and compute everything, then roll back (validateOnly). */
  dryRun?: boolean;
  /**
   * n8n's `publishIfActive` (default true): false saves the change as a draft of an active workflow, whose
   * published version (activeVersionId) and registered triggers stay as they are.
   */
  publish?: boolean;
}

class DryRunRollback extends Error {
  constructor(readonly result: WorkflowWithRelations) {
    super('dry run');
  }
}

/** Runs the shared SQL helpers inside a Prisma transaction (activation still goes through Prisma). */
function prismaSql(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]): SqlClient {
  return {
    query: (async (text: string, params: unknown[] = []) => {
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params);
      return { rows, rowCount: rows.length };
    }) as unknown as SqlClient['query'],
  };
}

export function createWorkflowsService(deps: { prisma: PrismaClient; sql: SqlPool; defaultTimezone?: string }) {
  const { prisma, sql } = deps;
  const timezoneOf = (settings: unknown) => workflowTimezone(settings, deps.defaultTimezone ?? DEFAULT_TIMEZONE);

  // The default project never changes once made, so one lookup per process is enough.
  let defaultProjectPromise: ReturnType<typeof projectsRepository.ensureDefault> | undefined;
  function defaultProject() {
    defaultProjectPromise ??= prisma
      .$transaction((tx) => projectsRepository.ensureDefault(tx))
      .catch((err: unknown) => {
        defaultProjectPromise = undefined;
        throw err;
      });
    return defaultProjectPromise;
  }

  /**
   * The one write path for a changed definition: lock the row, check the expected version, validate, write the
   * workflow and its history entry in one transaction. Any failure leaves the stored workflow untouched.
   */
  /**
   * The one write path for a changed definition: lock the row, check the expected version, validate, write the
   * workflow and its history entry in one transaction (plain SQL: see workflows.queries.ts). Any failure leaves the
   * stored workflow untouched.
   */
  async function saveChange(
    id: string,
    principal: Principal,
    options: WriteOptions,
    change: (current: WorkflowWithRelations, tx: SqlClient) => WorkflowState | Promise<WorkflowState>,
    extra: (current: WorkflowWithRelations) => { active?: boolean; isArchived?: boolean } = () => ({}),
  ) {
    return inTransaction(sql, async (tx) => {
      const current = (await lockWorkflowForUpdate(tx, id)) ?? notFound();
      if (options.expectedVersionId && options.expectedVersionId !== current.versionId) {
        throw new ConflictError(
          `Workflow was changed by someone else: expected versionId ${options.expectedVersionId}, current is ${current.versionId}. Reload it and apply your change again.`,
          { currentVersionId: current.versionId },
        );
      }
      const next = await change(current, tx);
      next.nodes = normaliseNodes(next);
      await assertCredentialReferences(tx, next.nodes, current.projectId);
      const updates = extra(current);
      const willBeActive = updates.active ?? current.active;
      // A draft leaves the published version running: no new publish event, no trigger change.
      const draft = options.publish === false && willBeActive && current.active && updates.active === undefined;
      // n8n 2.x publishes every other change to an active workflow, so the new version must still be able to start.
      if (willBeActive && !draft && countTriggers(next.nodes) === 0) throw noTriggerError(current);
      const versionId = randomUUID();
      const counter = current.versionCounter + 1;
      if (!options.skipHistory) {
        const version = versionData(versionId, counter, next, principal, options.message);
        await insertVersionRow(tx, { ...version, workflowId: id, operations: options.operations });
      }
      const event = draft ? undefined : willBeActive ? 'activated' : current.active ? 'deactivated' : undefined;
      if (event) {
        const eventVersion = event === 'activated' ? versionId : (current.activeVersionId ?? current.versionId);
        await insertPublishEvent(tx, { workflowId: id, versionId: eventVersion, event, userId: principal.apiKeyId });
      }
      const written = {
        ...next,
        versionId,
        versionCounter: counter,
        active: willBeActive,
        activeVersionId: draft ? current.activeVersionId : willBeActive ? versionId : null,
        triggerCount: willBeActive && !draft ? countTriggers(next.nodes) : current.triggerCount,
        isArchived: updates.isArchived ?? current.isArchived,
      };
      // Publishing a change re-registers the triggers (webhooks, schedules) in the same transaction; a draft
      // leaves them on the published version's nodes.
      if (willBeActive && !draft) await syncTriggers(tx, id, next.nodes as never, timezoneOf(next.settings));
      else if (current.active && !willBeActive) await syncTriggers(tx, id, null, 'UTC');
      const updatedAt = await updateWorkflowRow(tx, id, written);
      const saved: WorkflowWithRelations = {
        ...current,
        ...written,
        nodes: written.nodes as never,
        connections: written.connections as never,
        settings: written.settings as never,
        nodeGroups: written.nodeGroups as never,
        staticData: written.staticData as never,
        pinData: written.pinData as never,
        meta: written.meta as never,
        updatedAt,
        tags: await selectWorkflowTags(tx, id),
      };
      // A dry run goes through every check and write, then rolls back: the caller sees exactly what would be saved.
      if (options.dryRun) throw new DryRunRollback(saved);
      return saved;
    }).catch((err: unknown) => {
      if (err instanceof DryRunRollback) return err.result;
      throw err;
    });
  }

  function assertEditable(workflow: WorkflowWithRelations) {
    if (workflow.isArchived) throw new ArchivedWorkflowError(workflow);
    return workflow;
  }

  async function resolveTagFilter(names: string | undefined): Promise<string[] | null | undefined> {
    if (names === undefined) return undefined;
    const wanted = [
      ...new Set(
        names
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    ];
    if (!wanted.length) return undefined;
    const found = await tagsRepository.findByNames(prisma, wanted);
    // n8n drops unknown names from the AND set; when none is known nothing matches.
    return found.length ? found.map((t) => t.id) : null;
  }

  return {
    async list(query: {
      active?: boolean;
      name?: string;
      tags?: string;
      projectId?: string;
      offset?: number;
      limit: number;
      cursor?: string;
    }) {
      // As in n8n, a cursor carries its own position and page size; `offset` only applies without one.
      const decoded = decodeListCursor(query.cursor, query.limit);
      const cursor = query.cursor === undefined && decoded.kind === 'offset' ? { ...decoded, offset: query.offset ?? 0 } : decoded;
      const tagIds = await resolveTagFilter(query.tags);
      if (tagIds === null) return { data: [], nextCursor: null };
      const filters: WorkflowFilters = { active: query.active, name: query.name?.trim() || undefined, projectId: query.projectId, tagIds };
      const take = cursor.limit + 1;
      const rows = await selectWorkflowPage(
        sql,
        filters,
        cursor.kind === 'keyset' ? { after: cursor.after, take } : { offset: cursor.offset, take },
      );
      const page = rows.slice(0, cursor.limit);
      const last = page.at(-1);
      return { data: page, nextCursor: rows.length > cursor.limit && last ? encodeKeysetCursor(cursor.limit, last) : null };
    },

    get: async (id: string) => (await selectWorkflowWithRelations(sql, id)) ?? notFound(),

    async create(body: CreateWorkflowBody, principal: Principal, options: WriteOptions = {}) {
      const state: WorkflowState = {
        name: body.name,
        description: body.description ?? null,
        nodes: body.nodes,
        connections: body.connections,
        settings: body.settings,
        staticData: body.staticData ?? null,
        pinData: body.pinData ?? null,
        meta: null,
        nodeGroups: body.nodeGroups ?? [],
      };
      state.nodes = normaliseNodes(state);
      const project = await defaultProject();
      await assertCredentialReferences(sql, state.nodes, project.id);
      const workflow = await insertWorkflowWithFirstVersion(sql, {
        id: newId(),
        projectId: project.id,
        versionId: randomUUID(),
        name: state.name,
        description: state.description,
        nodes: state.nodes,
        connections: state.connections,
        settings: state.settings,
        staticData: state.staticData,
        pinData: state.pinData,
        nodeGroups: state.nodeGroups,
        version: { authors: principal.label, authorKeyId: principal.apiKeyId, message: options.message ?? null, snapshot: state },
      });
      return { ...workflow, tags: [], project };
    },

    replace: (id: string, body: CreateWorkflowBody, principal: Principal, options: WriteOptions) =>
      saveChange(id, principal, options, (current) => {
        assertEditable(current);
        const prev = stateOf(current);
        return {
          ...prev,
          name: body.name,
          nodes: body.nodes,
          connections: body.connections,
          settings: body.settings,
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.staticData !== undefined ? { staticData: body.staticData } : {}),
          ...(body.pinData !== undefined ? { pinData: body.pinData } : {}),
          ...(body.nodeGroups !== undefined ? { nodeGroups: body.nodeGroups } : {}),
        };
      }),

    patch: (id: string, body: Omit<PatchWorkflowBody, 'versionId'>, principal: Principal, options: WriteOptions) =>
      saveChange(id, principal, options, (current) => {
        assertEditable(current);
        const next = { ...stateOf(current) };
        for (const [key, value] of Object.entries(body)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
        return next;
      }),

    async delete(id: string) {
      return prisma.$transaction(async (tx) => {
        const current = (await repo.lockById(tx, id)) ?? notFound();
        // Deactivation first, as n8n does: with no trigger runtime yet, that is the row going away with it.
        await repo.delete(tx, id);
        return current;
      }, TRANSACTION);
    },

    /** `expectedVersionId`: n8n 2.x's optional body; only the current version can be activated (checked under the lock). */
    async activate(id: string, principal: Principal, expectedVersionId?: string) {
      return prisma.$transaction(async (tx) => {
        const current = (await repo.lockById(tx, id)) ?? notFound();
        if (expectedVersionId && expectedVersionId !== current.versionId) {
          throw new ConflictError(
            `versionId ${expectedVersionId} is not the current version (${current.versionId}); restore it first to activate it`,
          );
        }
        assertEditable(current);
        if (current.active) return current;
        const nodes = current.nodes as unknown as WorkflowNode[];
        const triggers = countTriggers(nodes);
        if (triggers === 0) throw noTriggerError(current);
        await repo.insertPublishEvent(tx, { workflowId: id, versionId: current.versionId, event: 'activated', userId: principal.apiKeyId });
        await syncTriggers(prismaSql(tx), id, nodes as never, timezoneOf(current.settings));
        // n8n leaves updatedAt alone on (de)activation: it dates the definition, not the publish state.
        return repo.update(tx, id, {
          active: true,
          activeVersionId: current.versionId,
          triggerCount: triggers,
          updatedAt: current.updatedAt,
        });
      }, TRANSACTION);
    },

    async deactivate(id: string, principal: Principal) {
      return prisma.$transaction(async (tx) => {
        const current = (await repo.lockById(tx, id)) ?? notFound();
        if (!current.active || !current.activeVersionId) return current;
        await repo.insertPublishEvent(tx, {
          workflowId: id,
          versionId: current.activeVersionId,
          event: 'deactivated',
          userId: principal.apiKeyId,
        });
        await syncTriggers(prismaSql(tx), id, null, 'UTC');
        return repo.update(tx, id, { active: false, activeVersionId: null, updatedAt: current.updatedAt });
      }, TRANSACTION);
    },

    archive: (id: string, principal: Principal) =>
      saveChange(
        id,
        principal,
        { message: 'archived' },
        (current) => {
          if (current.isArchived) throw new ConflictError(`Workflow "${current.name}" is already archived`);
          return stateOf(current);
        },
        () => ({ isArchived: true, active: false, activeVersionId: null }),
      ),

    unarchive: (id: string, principal: Principal) =>
      saveChange(
        id,
        principal,
        { message: 'unarchived' },
        (current) => {
          if (!current.isArchived) throw new ConflictError(`Workflow "${current.name}" is not archived`);
          return stateOf(current);
        },
        () => ({ isArchived: false }),
      ),

    async transfer(id: string, destinationProjectId: string) {
      await prisma.$transaction(async (tx) => {
        const current = (await repo.lockById(tx, id)) ?? notFound();
        const project = await projectsRepository.findById(tx, destinationProjectId);
        if (!project) throw new NotFoundError(`Project with ID "${destinationProjectId}" not found`);
        if (project.id === current.projectId)
          throw new ValidationError("You can't transfer a workflow into the project that's already owning it.");
        await repo.update(tx, id, { projectId: project.id });
      }, TRANSACTION);
    },

    async getTags(id: string) {
      const workflow = (await repo.findById(prisma, id)) ?? notFound();
      return workflow.tags.map((t) => t.tag);
    },

    async setTags(id: string, tagIds: string[]) {
      return prisma.$transaction(async (tx) => {
        (await repo.lockById(tx, id)) ?? notFound();
        const unique = [...new Set(tagIds)];
        const tags = await tagsRepository.findByIds(tx, unique);
        if (tags.length !== unique.length) throw new NotFoundError('Some tags not found');
        await repo.replaceTags(tx, id, unique);
        return tags;
      }, TRANSACTION);
    },

    async history(id: string, query: { limit: number; cursor?: string }) {
      (await prisma.workflow.findUnique({ where: { id }, select: { id: true } })) ?? notFound();
      return fetchOffsetPage(decodeOffsetCursor(query.cursor, query.limit), (range) => repo.listVersions(prisma, id, range));
    },

    async getVersion(id: string, versionId: string) {
      const version = UUID.test(versionId) ? await repo.findVersion(prisma, id, versionId) : null;
      if (!version) throw new NotFoundError('Version not found');
      return version;
    },

    restore: (id: string, versionId: string, principal: Principal, message?: string) =>
      prisma
        .$transaction(async (tx) => {
          const version = UUID.test(versionId) ? await repo.findVersion(tx, id, versionId) : null;
          if (!version) throw new NotFoundError('Version not found');
          return version;
        })
        .then((version) =>
          saveChange(id, principal, { message: message ?? `restored version ${version.counter} (${version.versionId})` }, (current) => {
            assertEditable(current);
            const snapshot = version.snapshot as unknown as WorkflowState;
            return { ...stateOf(current), ...snapshot };
          }),
        ),

    ensureDefaultProject: defaultProject,

    /** The transactional write path, for use cases built on top of this service (the diff engine's PATCH). */
    saveChange,
    assertEditable,
  };
}
