import { type RawJson, stringifyWithRaw } from '../../lib/raw-json.ts';
import type { Project } from '../projects/projects.repository.ts';
import { toTagDto } from '../tags/tags.schemas.ts';
import type { VersionPassThroughRead } from './workflow-versions.repository.ts';
import { VersionSchema } from './workflows.schemas.ts';
import type {
  ActiveVersion,
  JsonColumns,
  ListedWorkflow,
  PassThroughRead,
  VersionSummary,
  WorkflowRecord,
  WorkflowVersionRecord,
  WorkflowWithRelations,
} from './workflows.types.ts';

const iso = (d: Date) => d.toISOString();

function toProjectDto(project: Project) {
  return {
    id: project.id,
    name: project.name,
    type: project.type,
    icon: project.icon ?? null,
    description: project.description,
    customTelemetryTags: [] as string[],
    creatorId: null,
    createdAt: iso(project.createdAt),
    updatedAt: iso(project.updatedAt),
  };
}

function sharing(workflow: Pick<WorkflowRecord, 'id' | 'projectId' | 'createdAt'>) {
  return {
    role: 'workflow:owner',
    workflowId: workflow.id,
    projectId: workflow.projectId,
    createdAt: iso(workflow.createdAt),
    updatedAt: iso(workflow.createdAt),
  };
}

export function toActiveVersionDto({ version, events }: ActiveVersion) {
  const snapshot = version.snapshot;
  return {
    versionId: version.versionId,
    workflowId: version.workflowId,
    nodes: snapshot.nodes,
    connections: snapshot.connections,
    nodeGroups: snapshot.nodeGroups ?? [],
    authors: version.authors,
    name: version.name,
    description: version.description,
    autosaved: false,
    createdAt: iso(version.createdAt),
    updatedAt: iso(version.updatedAt),
    workflowPublishHistory: events.map((e) => ({
      id: e.id,
      workflowId: e.workflowId,
      versionId: e.versionId,
      event: e.event,
      userId: e.userId,
      createdAt: iso(e.createdAt),
    })),
  };
}

/** Fields the single-workflow and list shapes share (n8n 2.39's names and order). */
function definitionFields(workflow: ListedWorkflow, excludePinnedData: boolean) {
  return {
    nodes: workflow.nodes,
    connections: workflow.connections,
    nodeGroups: workflow.nodeGroups,
    settings: workflow.settings,
    staticData: workflow.staticData ?? null,
    ...(excludePinnedData ? {} : { pinData: workflow.pinData ?? null }),
    meta: workflow.meta ?? null,
    tags: workflow.tags.map(toTagDto),
  };
}

/** Its folder: n8n 2.39's `parentFolder` (null at the top level), and `parentFolderId` when it is in one. */
const folderFields = (workflow: Pick<WorkflowRecord, 'parentFolderId'>) =>
  workflow.parentFolderId
    ? { parentFolderId: workflow.parentFolderId, parentFolder: { id: workflow.parentFolderId } }
    : { parentFolder: null };

/** The GET /workflows/:id shape of n8n 2.39 (every other single-workflow answer uses it too). */
export function toWorkflowDto(
  workflow: WorkflowWithRelations,
  options: { excludePinnedData?: boolean; activeVersion?: ActiveVersion | null } = {},
) {
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    active: workflow.active,
    activeVersionId: workflow.activeVersionId,
    createdAt: iso(workflow.createdAt),
    updatedAt: iso(workflow.updatedAt),
    isArchived: workflow.isArchived,
    versionId: workflow.versionId,
    versionCounter: workflow.versionCounter,
    sourceWorkflowId: null,
    triggerCount: workflow.triggerCount,
    ...definitionFields(workflow, options.excludePinnedData === true),
    shared: [{ ...sharing(workflow), project: toProjectDto(workflow.project) }],
    activeVersion: options.activeVersion ? toActiveVersionDto(options.activeVersion) : null,
    ...folderFields(workflow),
  };
}

/** The list item shape of n8n 2.39: no description/versionCounter, sharing without the project. */
export function toWorkflowListItemDto(workflow: ListedWorkflow, excludePinnedData: boolean) {
  return {
    id: workflow.id,
    name: workflow.name,
    active: workflow.active,
    activeVersionId: workflow.activeVersionId,
    createdAt: iso(workflow.createdAt),
    updatedAt: iso(workflow.updatedAt),
    isArchived: workflow.isArchived,
    versionId: workflow.versionId,
    triggerCount: workflow.triggerCount,
    ...definitionFields(workflow, excludePinnedData),
    shared: [sharing(workflow)],
    activeVersion: workflow.activeVersionId ? { versionId: workflow.activeVersionId, workflowId: workflow.id } : null,
    ...(workflow.parentFolderId ? { parentFolderId: workflow.parentFolderId } : {}),
  };
}

export function toVersionSummaryDto(version: VersionSummary) {
  return {
    versionId: version.versionId,
    workflowId: version.workflowId,
    authors: version.authors,
    name: version.name,
    description: version.description,
    message: version.message,
    counter: version.counter,
    createdAt: iso(version.createdAt),
    updatedAt: iso(version.updatedAt),
  };
}

export function toVersionDto(version: WorkflowVersionRecord) {
  const { snapshot } = version;
  return { ...toVersionSummaryDto(version), ...snapshot, workflowName: snapshot.name, name: version.name };
}

/** The keys of a version's answer, in the order its response schema writes them. */
const VERSION_KEYS = Object.keys(VersionSchema.shape);

/**
 * GET /workflows/:id/versions/:versionId (and n8n's /workflows/:id/:versionId) as JSON text, from a pass-through read: the same mapper builds the other
 * fields, then the graph is spliced in as PostgreSQL wrote it (checked against the validated path in
 * test/integration/workflows-pass-through.test.ts).
 */
export function toVersionJson(read: VersionPassThroughRead): string {
  const dto: Record<string, unknown> = toVersionDto({ ...read.version, snapshot: { ...read.rest, nodes: [], connections: {} } });
  const graph: Record<string, unknown> = read.graph;
  return stringifyWithRaw(Object.fromEntries(VERSION_KEYS.filter((key) => key in dto).map((key) => [key, graph[key] ?? dto[key]])));
}

/** Stand-ins for the JSON columns while the mapper builds the answer's other fields (replaced before sending). */
const NO_JSON = { nodes: [], connections: {}, nodeGroups: [], settings: {}, staticData: null, pinData: null, meta: null };
const NO_SNAPSHOT = { name: '', description: null, ...NO_JSON };

/**
 * The GET /workflows/:id answer as JSON text, from a pass-through read: the same mapper builds every other
 * field, then the JSON columns are spliced in as PostgreSQL wrote them (keys keep their place: an object spread
 * that overwrites a key leaves it where it was). test/integration/workflows-pass-through.test.ts checks it against
 * the validated path, shape by shape.
 */
export function toWorkflowJson(read: PassThroughRead, options: { excludePinnedData?: boolean } = {}): string {
  const { workflow, json, activeVersion } = read;
  const active = activeVersion && { version: { ...activeVersion.version, snapshot: NO_SNAPSHOT }, events: activeVersion.events };
  const dto = toWorkflowDto({ ...workflow, ...NO_JSON }, { excludePinnedData: options.excludePinnedData, activeVersion: active });
  return stringifyWithRaw({
    ...dto,
    ...withJsonColumns(dto, json),
    activeVersion: dto.activeVersion && activeVersion ? { ...dto.activeVersion, ...activeVersion.graph } : null,
  });
}

/** A list item's answer object with its JSON columns as the database's text (see toWorkflowJson). */
export function toWorkflowListItemJson(
  workflow: Omit<ListedWorkflow, JsonColumns>,
  json: Record<JsonColumns, RawJson>,
  excludePinnedData: boolean,
) {
  const dto = toWorkflowListItemDto({ ...workflow, ...NO_JSON }, excludePinnedData);
  return { ...dto, ...withJsonColumns(dto, json) };
}

/** The JSON columns the answer carries (pinData only when not excluded). */
function withJsonColumns(dto: object, json: Record<JsonColumns, RawJson>) {
  const { pinData, ...always } = json;
  return 'pinData' in dto ? { ...always, pinData } : always;
}
