import type { RawJson } from '../../lib/raw-json.ts';
import type { Project } from '../projects/projects.repository.ts';
import type { Tag } from '../tags/tags.repository.ts';
import type { WorkflowNode } from './workflows.schemas.ts';

/** A workflow row as the repositories return it (the columns of `workflow`, camelCased). */
export interface WorkflowRecord {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  activeVersionId: string | null;
  isArchived: boolean;
  versionId: string;
  versionCounter: number;
  triggerCount: number;
  nodes: WorkflowNode[];
  connections: Record<string, unknown>;
  nodeGroups: unknown[];
  settings: Record<string, unknown>;
  staticData: unknown;
  pinData: unknown;
  meta: unknown;
  projectId: string;
  /** The folder of its project it is in; null at the project's top level. */
  parentFolderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A list page's workflow: the row and its tags. */
export type ListedWorkflow = WorkflowRecord & { tags: Tag[] };

/** A single workflow with what its answer shows: tags (creation order) and the owning project. */
export type WorkflowWithRelations = ListedWorkflow & { project: Project };

/** The editable state of a workflow, as stored in each history entry's snapshot. */
export interface WorkflowState {
  name: string;
  description: string | null;
  nodes: WorkflowNode[];
  connections: Record<string, unknown>;
  settings: Record<string, unknown>;
  staticData: unknown;
  pinData: unknown;
  meta: unknown;
  nodeGroups: unknown[];
}

/** One history entry (`workflow_version`). */
export interface WorkflowVersionRecord {
  versionId: string;
  workflowId: string;
  counter: number;
  authors: string;
  authorKeyId: string | null;
  message: string | null;
  name: string | null;
  description: string | null;
  snapshot: WorkflowState;
  /** For changes made by a diff batch: each operation's index, type and description. */
  operations: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export type VersionSummary = Omit<WorkflowVersionRecord, 'snapshot'>;

/** An activation or deactivation (`workflow_publish_event`), n8n 2.x's publish history. */
export interface PublishEventRecord {
  id: number;
  workflowId: string;
  versionId: string;
  event: string;
  userId: string | null;
  createdAt: Date;
}

/** The published version of an active workflow, with its publish history. */
export interface ActiveVersion {
  version: WorkflowVersionRecord;
  events: PublishEventRecord[];
}

/** The JSON columns of a workflow row: what the pass-through reads keep as PostgreSQL's text. */
export type JsonColumns = 'nodes' | 'connections' | 'nodeGroups' | 'settings' | 'staticData' | 'pinData' | 'meta';
/** The JSON columns as the text written to them (SQL NULL for null). */
export type DocumentTexts = Record<JsonColumns, string | null>;

/**
 * A workflow read for a pass-through answer: everything parsed but the JSON columns, which stay PostgreSQL's JSON
 * text and are spliced into the answer unparsed (raw-json.ts). Versions are immutable, so nothing is lost.
 */
export interface PassThroughRead {
  workflow: Omit<WorkflowWithRelations, JsonColumns>;
  json: Record<JsonColumns, RawJson>;
  activeVersion: {
    version: Omit<WorkflowVersionRecord, 'snapshot'>;
    events: PublishEventRecord[];
    /** The published graph (snapshot.nodes, .connections, .nodeGroups). */
    graph: Record<'nodes' | 'connections' | 'nodeGroups', RawJson>;
  } | null;
}
