import { randomUUID } from 'node:crypto';
import { inTransaction, type SqlPool } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeListCursor, encodeKeysetCursor, type KeysetPosition } from '../../lib/pagination.ts';
import { foldersRepository as folders, PROJECT_ROOT } from '../folders/folders.repository.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import { admit, type Caller, type Grant, projectFilterOf } from '../roles/grant.ts';
import type { tagsRepository } from '../tags/tags.repository.ts';
import type { WorkflowDocuments } from './workflow-documents.cache.ts';
import { type EditDependencies, lockForEdit, lockRow, persistEdit, runEdit } from './workflow-edit.ts';
import { admitToWorkflow, assertEditable, normaliseNodes, notFound, stateOf } from './workflow-state.ts';
import { workflowsRepository as repo, type WorkflowFilters, type WorkflowPage } from './workflows.repository.ts';
import type { CreateWorkflowBody, PatchWorkflowBody } from './workflows.schemas.ts';
import type { WorkflowState } from './workflows.types.ts';
import { workflowsPassThroughRepository as passThrough } from './workflows-pass-through.repository.ts';

/** The tags module, as the workflow use cases need it. */
export type TagLookup = Pick<typeof tagsRepository, 'findByIds' | 'findByNames' | 'findOrCreateByNames'>;

/** The projects module, as the workflow use cases need it. */
export type ProjectLookup = Pick<ProjectsService, 'personalProjectOf' | 'findById'>;

export interface WorkflowsDependencies extends EditDependencies {
  sql: SqlPool;
  projects: ProjectLookup;
  tags: TagLookup;
}

export interface WriteOptions {
  /** The versionId the caller last saw; a different current one is a 409 and nothing is written. */
  expectedVersionId?: string;
  /** Kept with the history entry. */
  message?: string;
  /** n8n's `publishIfActive`: false saves a draft of an active workflow (see Edit.publish). */
  publish?: boolean;
  /** The folder of its project to put it in; null or "0" for the top level; undefined leaves it where it is. */
  parentFolderId?: string | null;
}

const folderNotFound = (id: string) => new NotFoundError(`Could not find folder with ID: ${id}`);

/** A folder id as a client sends it: null and "0" stand for the project's top level. */
const folderIdOf = (id: string | null | undefined) => (id === undefined ? undefined : id === null || id === PROJECT_ROOT ? null : id);

export type WorkflowsService = ReturnType<typeof createWorkflowsService>;

type ListQuery = { active?: boolean; name?: string; tags?: string; projectId?: string; offset?: number; limit: number; cursor?: string };

/** The workflow as a document: read, create, replace, patch, delete, move to another project, tag. */
export function createWorkflowsService(deps: WorkflowsDependencies) {
  const { sql, projects, tags, documents } = deps;

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
    const found = await tags.findByNames(sql, wanted);
    // n8n drops unknown names from the AND set; when none is known nothing matches.
    return found.length ? found.map((t) => t.id) : null;
  }

  /** As in n8n, a cursor carries its own position and page size; `offset` only applies without one. */
  async function page<T>(
    query: ListQuery,
    grant: Grant,
    fetch: (filters: WorkflowFilters, range: WorkflowPage) => Promise<T[]>,
    positionOf: (row: T) => KeysetPosition,
  ) {
    const decoded = decodeListCursor(query.cursor, query.limit);
    const cursor = query.cursor === undefined && decoded.kind === 'offset' ? { ...decoded, offset: query.offset ?? 0 } : decoded;
    const tagIds = await resolveTagFilter(query.tags);
    if (tagIds === null) return { data: [] as T[], nextCursor: null };
    const filters: WorkflowFilters = {
      active: query.active,
      name: query.name?.trim() || undefined,
      projectId: query.projectId,
      projectIds: projectFilterOf(grant),
      tagIds,
    };
    const take = cursor.limit + 1;
    const rows = await fetch(filters, cursor.kind === 'keyset' ? { after: cursor.after, take } : { offset: cursor.offset, take });
    const data = rows.slice(0, cursor.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > cursor.limit && last ? encodeKeysetCursor(cursor.limit, positionOf(last)) : null };
  }

  /**
   * A page whose documents come from the cache where it has them: the page's rows without documents, then one
   * read of the missing documents. When a workflow changed between the two reads, the page is read whole.
   */
  async function passThroughPage(filters: WorkflowFilters, range: WorkflowPage) {
    if (!documents.enabled) return passThrough.findPage(sql, filters, range);
    const rows = await passThrough.findPageWithoutDocuments(sql, filters, range);
    const missing = rows.filter((w) => !documents.get(documents.keyOf(w))).map((w) => w.id);
    if (missing.length) for (const read of await passThrough.findDocuments(sql, missing)) documents.set(documents.keyOf(read), read.json);
    const page: { workflow: (typeof rows)[number]; json: WorkflowDocuments }[] = [];
    for (const workflow of rows) {
      const json = documents.get(documents.keyOf(workflow));
      if (!json) return passThrough.findPage(sql, filters, range);
      page.push({ workflow, json });
    }
    return page;
  }

  /** The project of a folder a new workflow goes in; a folder in a project the caller cannot see is "not found". */
  async function projectOfFolder(folderId: string, grant: Grant) {
    const hidden = (): never => {
      throw folderNotFound(folderId);
    };
    const folder = (await folders.findById(sql, folderId)) ?? hidden();
    const project = (await projects.findById(sql, folder.projectId)) ?? hidden();
    admit(grant, project.id, 'project:read', hidden);
    return project;
  }

  /** Lock, check, change, persist: one transaction. */
  const edit = (id: string, caller: Caller, options: WriteOptions, change: (current: WorkflowState) => WorkflowState) =>
    runEdit(sql, {}, async (tx) => {
      const { principal, grant } = caller;
      const current = assertEditable(await lockForEdit(tx, deps, id, grant, options.expectedVersionId));
      const next = change(stateOf(current));
      const folderId = folderIdOf(options.parentFolderId);
      if (folderId !== undefined && folderId !== current.parentFolderId) {
        if (folderId !== null && !(await folders.findInProject(tx, current.projectId, folderId))) throw folderNotFound(folderId);
        await repo.setFolder(tx, [id], folderId);
      }
      const saved = await persistEdit(tx, deps, {
        current,
        next,
        principal,
        history: { message: options.message },
        publish: options.publish,
      });
      return folderId === undefined ? saved : { ...saved, parentFolderId: folderId };
    });

  return {
    /** A page of workflows, parsed (for callers that work with them). */
    list: (query: ListQuery, grant: Grant) =>
      page(
        query,
        grant,
        (filters, range) => repo.findPage(sql, filters, range),
        (w) => w,
      ),

    /** A page whose documents stay the database's JSON text, for answers that only pass them on (toWorkflowListItemJson). */
    listPassThrough: (query: ListQuery, grant: Grant) => page(query, grant, passThroughPage, (row) => row.workflow),

    /** One workflow with its documents as the database's JSON text, for GET (toWorkflowJson). */
    async getPassThrough(id: string, grant: Grant) {
      const read = (await passThrough.findWithRelations(sql, id)) ?? notFound();
      admitToWorkflow(grant, read.workflow.projectId);
      return read;
    },

    async get(id: string, grant: Grant) {
      const read = (await repo.findWithRelations(sql, id)) ?? notFound();
      admitToWorkflow(grant, read.workflow.projectId);
      return read;
    },

    /** New workflows go to the caller's personal project (n8n's public API has no way to choose another). */
    async create(body: CreateWorkflowBody, caller: Caller, options: Pick<WriteOptions, 'message'> = {}) {
      const { principal, grant } = caller;
      const draft = { nodes: body.nodes, connections: body.connections };
      const nodes = normaliseNodes(draft);
      const folderId = folderIdOf(body.parentFolderId) ?? null;
      const project = folderId ? await projectOfFolder(folderId, grant) : await projects.personalProjectOf(grant.access);
      admitToWorkflow(grant, project.id);
      await deps.credentials.assertReferences(sql, nodes, project.id);
      const workflow = await repo.insertWithFirstVersion(sql, {
        id: newId(),
        projectId: project.id,
        parentFolderId: folderId,
        versionId: randomUUID(),
        state: {
          name: body.name,
          description: body.description ?? null,
          nodes,
          connections: body.connections,
          settings: body.settings,
          staticData: body.staticData ?? null,
          pinData: body.pinData ?? null,
          nodeGroups: body.nodeGroups ?? [],
        },
        version: { authors: principal.label, authorKeyId: principal.apiKeyId, message: options.message ?? null },
      });
      return { ...workflow, tags: [], project };
    },

    replace: (id: string, body: CreateWorkflowBody, caller: Caller, options: WriteOptions) =>
      edit(id, caller, options, (prev) => ({
        ...prev,
        name: body.name,
        nodes: body.nodes,
        connections: body.connections,
        settings: body.settings,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.staticData !== undefined ? { staticData: body.staticData } : {}),
        ...(body.pinData !== undefined ? { pinData: body.pinData } : {}),
        ...(body.nodeGroups !== undefined ? { nodeGroups: body.nodeGroups } : {}),
      })),

    patch: (id: string, body: Omit<PatchWorkflowBody, 'versionId'>, caller: Caller, options: WriteOptions) =>
      edit(id, caller, options, (prev) => {
        const next = { ...prev };
        for (const [key, value] of Object.entries(body)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
        return next;
      }),

    /** Its triggers, versions and tag links go with it. */
    delete: (id: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const current = await lockForEdit(tx, deps, id, grant);
        await repo.delete(tx, id);
        return current;
      }),

    /** Needs workflow:move where it is and workflow:create where it goes (a project the caller cannot see is "not found"). */
    transfer: (id: string, destinationProjectId: string, grant: Grant) =>
      inTransaction(sql, async (tx) => {
        const current = await lockRow(tx, id, grant);
        const missingProject = (): never => {
          throw new NotFoundError(`Project with ID "${destinationProjectId}" not found`);
        };
        const project = (await projects.findById(tx, destinationProjectId)) ?? missingProject();
        admit({ access: grant.access, scopes: ['workflow:create'] }, project.id, 'project:read', missingProject);
        if (project.id === current.projectId)
          throw new ValidationError("You can't transfer a workflow into the project that's already owning it.");
        await repo.setProject(tx, id, project.id);
      }),

    async getTags(id: string, grant: Grant) {
      admitToWorkflow(grant, (await repo.projectOf(sql, id)) ?? notFound());
      return repo.tagsOf(sql, id);
    },

    setTags: (id: string, tagIds: string[], grant: Grant) =>
      inTransaction(sql, async (tx) => {
        await lockRow(tx, id, grant);
        const unique = [...new Set(tagIds)];
        const found = await tags.findByIds(tx, unique);
        if (found.length !== unique.length) throw new NotFoundError('Some tags not found');
        await repo.replaceTags(tx, id, unique);
        return found;
      }),
  };
}
