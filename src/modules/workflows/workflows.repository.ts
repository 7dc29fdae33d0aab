import { createHash } from 'node:crypto';
import type { SqlClient } from '../../db/client.ts';
import { containsPattern } from '../../lib/like-pattern.ts';
import type { KeysetPosition } from '../../lib/pagination.ts';
import { jsonTextOrNull } from '../../lib/raw-json.ts';
import type { Project } from '../projects/projects.repository.ts';
import type { Tag } from '../tags/tags.repository.ts';
import type {
  ActiveVersion,
  DocumentTexts,
  JsonColumns,
  ListedWorkflow,
  WorkflowRecord,
  WorkflowWithRelations,
} from './workflows.types.ts';

/**
 * The `workflow` table and its tag links. A workflow with its tags, project and active version is read in one
 * statement (JSON aggregates), not four to six sequential queries; the hot statements are named (prepared once
 * per pooled connection).
 */

/** The columns that are not JSON documents (the pass-through reads take the JSON ones as text). */
export const SCALAR_COLUMNS = `w.id, w.name, w.description, w.active, w.active_version_id, w.is_archived, w.version_id,
  w.version_counter, w.trigger_count, w.project_id, w.parent_folder_id, w.created_at, w.updated_at`;

const COLUMNS = `${SCALAR_COLUMNS}, w.nodes, w.connections, w.node_groups, w.settings, w.static_data, w.pin_data, w.meta`;

export const TAGS = `COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'createdAt', t.created_at, 'updatedAt', t.updated_at)
  ORDER BY t.created_at, t.id) FROM workflow_tag wt JOIN tag t ON t.id = wt.tag_id WHERE wt.workflow_id = w.id), '[]'::json) AS tags`;

export const PROJECT = `p.id AS p_id, p.name AS p_name, p.type AS p_type, p.icon AS p_icon, p.description AS p_description,
  p.created_at AS p_created_at, p.updated_at AS p_updated_at`;

/**
 * The json_build_object arguments of a version `v` of workflow `w` without its snapshot, with its publish history
 * (`events`): shared by this read and the pass-through read, which keeps the snapshot's graph as text.
 */
export const VERSION_META_FIELDS = `'versionId', v.version_id, 'workflowId', v.workflow_id, 'counter', v.counter,
  'authors', v.authors, 'authorKeyId', v.author_key_id, 'message', v.message, 'name', v.name, 'description', v.description,
  'operations', v.operations, 'createdAt', v.created_at, 'updatedAt', v.updated_at,
  'events', COALESCE((SELECT json_agg(json_build_object('id', e.id, 'workflowId', e.workflow_id, 'versionId', e.version_id,
    'event', e.event, 'userId', e.user_id, 'createdAt', e.created_at) ORDER BY e.id)
    FROM workflow_publish_event e WHERE e.workflow_id = w.id AND e.version_id = v.version_id), '[]'::json)`;

/**
 * A history entry's saved state as one document: the graph is kept in columns of its own (see the
 * version_documents migration), the rest in `snapshot`.
 */
export const VERSION_SNAPSHOT = `(v.snapshot || jsonb_build_object('nodes', v.nodes, 'connections', v.connections))`;

/** The non-graph part of a history entry's snapshot, taken from a workflow row `w` just written. */
const SNAPSHOT_OF_ROW = `jsonb_build_object('name', w.name, 'description', w.description, 'settings', w.settings,
  'staticData', w.static_data, 'pinData', w.pin_data, 'meta', w.meta, 'nodeGroups', w.node_groups)`;

const ACTIVE_VERSION = `(SELECT json_build_object(${VERSION_META_FIELDS}, 'snapshot', ${VERSION_SNAPSHOT})
  FROM workflow_version v WHERE v.version_id = w.active_version_id) AS active_version`;

export interface ScalarRow {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  active_version_id: string | null;
  is_archived: boolean;
  version_id: string;
  version_counter: number;
  trigger_count: number;
  project_id: string;
  parent_folder_id: string | null;
  created_at: Date;
  updated_at: Date;
}

interface WorkflowRow extends ScalarRow {
  nodes: WorkflowRecord['nodes'];
  connections: WorkflowRecord['connections'];
  node_groups: unknown[];
  settings: WorkflowRecord['settings'];
  static_data: unknown;
  pin_data: unknown;
  meta: unknown;
}

/** json_agg output: dates arrive as ISO strings. */
export type JsonDates<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };
export type TagsColumn = { tags: JsonDates<Tag>[] };
export type ProjectColumns = {
  p_id: string;
  p_name: string;
  p_type: string;
  p_icon: Project['icon'];
  p_description: string | null;
  p_created_at: Date;
  p_updated_at: Date;
};
type JsonActiveVersion = JsonDates<ActiveVersion['version']> & { events: JsonDates<ActiveVersion['events'][number]>[] };

export const toScalars = (row: ScalarRow): Omit<WorkflowRecord, JsonColumns> => ({
  id: row.id,
  name: row.name,
  description: row.description,
  active: row.active,
  activeVersionId: row.active_version_id,
  isArchived: row.is_archived,
  versionId: row.version_id,
  versionCounter: row.version_counter,
  triggerCount: row.trigger_count,
  projectId: row.project_id,
  parentFolderId: row.parent_folder_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toDocuments = (row: Omit<WorkflowRow, keyof ScalarRow>): Pick<WorkflowRecord, JsonColumns> => ({
  nodes: row.nodes,
  connections: row.connections,
  nodeGroups: row.node_groups,
  settings: row.settings,
  staticData: row.static_data,
  pinData: row.pin_data,
  meta: row.meta,
});

const toWorkflow = (row: WorkflowRow): WorkflowRecord => ({ ...toScalars(row), ...toDocuments(row) });

export const toTags = (tags: JsonDates<Tag>[]): Tag[] =>
  tags.map((t) => ({ id: t.id, name: t.name, createdAt: new Date(t.createdAt), updatedAt: new Date(t.updatedAt) }));

export const toProject = (row: ProjectColumns): Project => ({
  id: row.p_id,
  name: row.p_name,
  type: row.p_type,
  icon: row.p_icon,
  description: row.p_description,
  createdAt: row.p_created_at,
  updatedAt: row.p_updated_at,
});

function toActiveVersion(json: JsonActiveVersion | null): ActiveVersion | null {
  if (!json) return null;
  const { events, createdAt, updatedAt, ...version } = json;
  return {
    version: { ...version, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) },
    events: events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
  };
}

const toWithRelations = (row: WorkflowRow & TagsColumn & ProjectColumns): WorkflowWithRelations => ({
  ...toWorkflow(row),
  tags: toTags(row.tags),
  project: toProject(row),
});

/**
 * Named statements for the list: names derived from the text, since the list's WHERE varies with its filters.
 */
const statementName = (text: string) => `flowgate_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;

export type WorkflowPage = { offset?: number; after?: KeysetPosition; take: number };

/** A list page's statement (named: see statementName) selecting `columns`. */
export function pageQuery(columns: string, filters: WorkflowFilters, page: WorkflowPage) {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filters.active !== undefined) where.push(`w.active = ${param(filters.active)}`);
  if (filters.name) where.push(`w.name ILIKE ${param(containsPattern(filters.name))}`);
  if (filters.projectId) where.push(`w.project_id = ${param(filters.projectId)}`);
  if (filters.projectIds) where.push(`w.project_id = ANY(${param(filters.projectIds)})`);
  for (const tagId of filters.tagIds ?? []) {
    where.push(`EXISTS (SELECT 1 FROM workflow_tag wt WHERE wt.workflow_id = w.id AND wt.tag_id = ${param(tagId)})`);
  }
  if (page.after) where.push(`(w.created_at, w.id) < (${param(page.after.createdAt)}, ${param(page.after.id)})`);
  const text = `SELECT ${columns} FROM workflow w ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY w.created_at DESC, w.id DESC LIMIT ${param(page.take)} OFFSET ${param(page.offset ?? 0)}`;
  return { name: statementName(text), text, values: params };
}

export interface WorkflowFilters {
  active?: boolean;
  name?: string;
  /** Tag ids the workflow must all carry (names already resolved). */
  tagIds?: string[];
  projectId?: string;
  /** The projects the caller may list (undefined: all of them). */
  projectIds?: string[];
}

/** What a changed definition writes over the row (everything but id, project, folder and timestamps). */
export type WorkflowWrite = Omit<WorkflowRecord, 'id' | 'projectId' | 'parentFolderId' | 'createdAt' | 'updatedAt'>;

export interface NewWorkflow {
  id: string;
  projectId: string;
  /** The folder (of that project) it goes in; null or absent for the project's top level. */
  parentFolderId?: string | null;
  versionId: string;
  state: Omit<WorkflowWrite, 'versionId' | 'versionCounter' | 'active' | 'activeVersionId' | 'triggerCount' | 'isArchived' | 'meta'>;
  /** The first history entry: who created it and why; its snapshot is the state. */
  version: { authors: string; authorKeyId: string; message: string | null };
}

const GET_WORKFLOW = `SELECT ${COLUMNS}, ${TAGS}, ${ACTIVE_VERSION}, ${PROJECT}
  FROM workflow w JOIN project p ON p.id = w.project_id WHERE w.id = $1`;

const LOCK_WORKFLOW = `SELECT ${SCALAR_COLUMNS}, w.xmin::text AS row_version, ${TAGS}, ${PROJECT}
  FROM workflow w JOIN project p ON p.id = w.project_id WHERE w.id = $1 FOR UPDATE OF w`;

const DOCUMENTS = `SELECT w.nodes, w.connections, w.node_groups, w.settings, w.static_data, w.pin_data, w.meta
  FROM workflow w WHERE w.id = $1`;

const INSERT_WORKFLOW = `WITH w AS (
       INSERT INTO workflow (id, name, description, version_id, version_counter, nodes, connections, node_groups, settings,
                             static_data, pin_data, project_id, parent_folder_id, updated_at)
       VALUES ($1, $2, $3, $4, 1, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb, $11, $15, now())
       RETURNING *
     ), v AS (
       INSERT INTO workflow_version (version_id, workflow_id, counter, authors, author_key_id, message, snapshot, nodes,
                                     connections, updated_at)
       SELECT w.version_id, w.id, 1, $12, $13, $14, ${SNAPSHOT_OF_ROW}, w.nodes, w.connections, w.created_at FROM w
     )
     SELECT * FROM w`;

// clock_timestamp(), not now(): writers queue on the row lock, and now() is when each one's transaction began.
const UPDATE_WORKFLOW = `UPDATE workflow SET name = $2, description = $3, nodes = $4::jsonb, connections = $5::jsonb,
    node_groups = $6::jsonb, settings = $7::jsonb, static_data = $8::jsonb, pin_data = $9::jsonb, meta = $10::jsonb,
    version_id = $11, version_counter = $12, active = $13, active_version_id = $14, trigger_count = $15, is_archived = $16,
    updated_at = clock_timestamp()
  WHERE id = $1 RETURNING updated_at, xmin::text AS row_version`;

// The history entry copies the documents of the row just written, in a second statement rather than from the UPDATE's
// RETURNING: a stored jsonb value is copied as it is (already compressed), while a value handed on within one
// statement is compressed again, and parsing or compressing a 200-node workflow costs PostgreSQL milliseconds.
const INSERT_VERSION_OF_ROW = `INSERT INTO workflow_version (version_id, workflow_id, counter, authors, author_key_id, message,
    snapshot, nodes, connections, operations, created_at, updated_at)
  SELECT w.version_id, w.id, w.version_counter, $2, $3, $4, ${SNAPSHOT_OF_ROW}, w.nodes, w.connections, $5::jsonb,
    clock_timestamp(), clock_timestamp()
  FROM workflow w WHERE w.id = $1`;

/** Who made a change and why, kept with its history entry. */
export interface VersionEntry {
  authors: string;
  authorKeyId: string;
  message: string | null;
  /** For changes made by a diff batch: each operation's index, type and description. */
  operations?: unknown;
}

export const workflowsRepository = {
  async findWithRelations(
    db: SqlClient,
    id: string,
  ): Promise<{ workflow: WorkflowWithRelations; activeVersion: ActiveVersion | null } | null> {
    const { rows } = await db.query<WorkflowRow & TagsColumn & ProjectColumns & { active_version: JsonActiveVersion | null }>({
      name: 'flowgate_get_workflow',
      text: GET_WORKFLOW,
      values: [id],
    });
    const row = rows[0];
    return row ? { workflow: toWithRelations(row), activeVersion: toActiveVersion(row.active_version) } : null;
  },

  /**
   * Row-locks the workflow for the rest of the transaction (concurrent writers queue) and reads it with its
   * relations, without its documents: the caller may hold them already (see lockForEdit). `rowVersion` is the
   * row's xmin, which any write of the row changes, including one made outside this server.
   */
  async lockForUpdate(
    tx: SqlClient,
    id: string,
  ): Promise<{ workflow: Omit<WorkflowWithRelations, JsonColumns>; rowVersion: string } | null> {
    const { rows } = await tx.query<ScalarRow & TagsColumn & ProjectColumns & { row_version: string }>({
      name: 'flowgate_lock_workflow',
      text: LOCK_WORKFLOW,
      values: [id],
    });
    const row = rows[0];
    return row ? { workflow: { ...toScalars(row), tags: toTags(row.tags), project: toProject(row) }, rowVersion: row.row_version } : null;
  },

  async documentsOf(db: SqlClient, id: string): Promise<Pick<WorkflowRecord, JsonColumns> | null> {
    const { rows } = await db.query<Omit<WorkflowRow, keyof ScalarRow>>({
      name: 'flowgate_workflow_documents_of',
      text: DOCUMENTS,
      values: [id],
    });
    return rows[0] ? toDocuments(rows[0]) : null;
  },

  /** The project holding a workflow, or null when there is no such workflow. */
  async projectOf(db: SqlClient, id: string): Promise<string | null> {
    const { rows } = await db.query<{ project_id: string }>('SELECT project_id FROM workflow WHERE id = $1', [id]);
    return rows[0]?.project_id ?? null;
  },

  /** A page in (created_at DESC, id DESC) order: after a keyset position, or from an offset (n8n's cursors). */
  async findPage(db: SqlClient, filters: WorkflowFilters, page: WorkflowPage): Promise<ListedWorkflow[]> {
    const { rows } = await db.query<WorkflowRow & TagsColumn>(pageQuery(`${COLUMNS}, ${TAGS}`, filters, page));
    return rows.map((row) => ({ ...toWorkflow(row), tags: toTags(row.tags) }));
  },

  /**
   * Inserts a workflow and its first history entry in one statement (two data-modifying CTEs): atomic without an
   * explicit transaction, and one round trip.
   */
  async insertWithFirstVersion(db: SqlClient, w: NewWorkflow): Promise<WorkflowRecord> {
    const { state } = w;
    const { rows } = await db.query<WorkflowRow>({
      name: 'flowgate_insert_workflow',
      text: INSERT_WORKFLOW,
      values: [
        w.id,
        state.name,
        state.description,
        w.versionId,
        JSON.stringify(state.nodes),
        JSON.stringify(state.connections),
        JSON.stringify(state.nodeGroups),
        JSON.stringify(state.settings),
        jsonTextOrNull(state.staticData),
        jsonTextOrNull(state.pinData),
        w.projectId,
        w.version.authors,
        w.version.authorKeyId,
        w.version.message,
        w.parentFolderId ?? null,
      ],
    });
    return toWorkflow(rows[0]!);
  },

  /**
   * Writes a workflow's new state, and with `history` its history entry (the version `w.versionId`, whose snapshot
   * is the state written); returns the new updatedAt and row version (xmin). `documents` are the JSON columns as text (the caller may
   * have most of it already). Two statements: `tx` must be a transaction.
   */
  async update(
    tx: SqlClient,
    id: string,
    w: Omit<WorkflowWrite, JsonColumns>,
    documents: DocumentTexts,
    history: VersionEntry | null,
  ): Promise<{ updatedAt: Date; rowVersion: string }> {
    const values = [
      id,
      w.name,
      w.description,
      documents.nodes,
      documents.connections,
      documents.nodeGroups,
      documents.settings,
      documents.staticData,
      documents.pinData,
      documents.meta,
      w.versionId,
      w.versionCounter,
      w.active,
      w.activeVersionId,
      w.triggerCount,
      w.isArchived,
    ];
    const { rows } = await tx.query<{ updated_at: Date; row_version: string }>({
      name: 'flowgate_update_workflow',
      text: UPDATE_WORKFLOW,
      values,
    });
    if (history) {
      await tx.query({
        name: 'flowgate_insert_version_of_row',
        text: INSERT_VERSION_OF_ROW,
        values: [id, history.authors, history.authorKeyId, history.message, jsonTextOrNull(history.operations)],
      });
    }
    return { updatedAt: rows[0]!.updated_at, rowVersion: rows[0]!.row_version };
  },

  /** (De)activation: n8n leaves updatedAt alone, since it dates the definition, not the publish state. */
  async setPublishState(tx: SqlClient, id: string, state: { active: boolean; activeVersionId: string | null; triggerCount?: number }) {
    await tx.query('UPDATE workflow SET active = $2, active_version_id = $3, trigger_count = COALESCE($4, trigger_count) WHERE id = $1', [
      id,
      state.active,
      state.activeVersionId,
      state.triggerCount ?? null,
    ]);
  },

  /** Moves a workflow to another project's top level (its folder stays behind). */
  async setProject(tx: SqlClient, id: string, projectId: string) {
    await tx.query('UPDATE workflow SET project_id = $2, parent_folder_id = NULL, updated_at = clock_timestamp() WHERE id = $1', [
      id,
      projectId,
    ]);
  },

  /** Puts workflows in a folder of their project (null: its top level). */
  async setFolder(tx: SqlClient, ids: readonly string[], folderId: string | null) {
    await tx.query('UPDATE workflow SET parent_folder_id = $2, updated_at = clock_timestamp() WHERE id = ANY($1)', [ids, folderId]);
  },

  /** Its versions, publish events, tag links and triggers go with it (ON DELETE CASCADE). */
  async delete(tx: SqlClient, id: string) {
    await tx.query('DELETE FROM workflow WHERE id = $1', [id]);
  },

  async tagsOf(db: SqlClient, id: string): Promise<Tag[]> {
    const { rows } = await db.query<TagsColumn>({
      name: 'flowgate_workflow_tags',
      text: `SELECT ${TAGS} FROM workflow w WHERE w.id = $1`,
      values: [id],
    });
    return toTags(rows[0]?.tags ?? []);
  },

  /** Makes `tagIds` the workflow's exact tag set (a repeated id counts once). */
  async replaceTags(tx: SqlClient, workflowId: string, tagIds: string[]) {
    await tx.query('DELETE FROM workflow_tag WHERE workflow_id = $1', [workflowId]);
    if (tagIds.length) {
      // No ON CONFLICT: after the DELETE, only a constraint beyond the key can refuse a row, and that must fail the save.
      await tx.query('INSERT INTO workflow_tag (workflow_id, tag_id) SELECT $1, unnest($2::text[])', [workflowId, [...new Set(tagIds)]]);
    }
  },
};
