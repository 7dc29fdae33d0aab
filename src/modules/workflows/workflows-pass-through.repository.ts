import type { SqlClient } from '../../db/client.ts';
import { type RawJson, rawJsonOrNull as raw } from '../../lib/raw-json.ts';
import {
  type JsonDates,
  PROJECT,
  type ProjectColumns,
  pageQuery,
  SCALAR_COLUMNS,
  type ScalarRow,
  TAGS,
  type TagsColumn,
  toProject,
  toScalars,
  toTags,
  VERSION_META_FIELDS,
  type WorkflowFilters,
  type WorkflowPage,
} from './workflows.repository.ts';
import type { JsonColumns, ListedWorkflow, PassThroughRead, PublishEventRecord, WorkflowVersionRecord } from './workflows.types.ts';

/**
 * The reads whose answers carry workflow documents: the JSON columns come back as PostgreSQL's text (`::text`),
 * so pg does not parse them and the answer does not serialize them again (see toWorkflowJson). jsonb's text is
 * canonical JSON with the keys in the order pg's parse would give them, so the answer holds the same content.
 */

const JSON_TEXT = `w.nodes::text AS nodes_text, w.connections::text AS connections_text, w.node_groups::text AS node_groups_text,
  w.settings::text AS settings_text, w.static_data::text AS static_data_text, w.pin_data::text AS pin_data_text,
  w.meta::text AS meta_text`;

interface JsonTextRow {
  nodes_text: string;
  connections_text: string;
  node_groups_text: string;
  settings_text: string;
  static_data_text: string | null;
  pin_data_text: string | null;
  meta_text: string | null;
}

// The published version's metadata and publish history as one small JSON value; its graph stays text.
const ACTIVE_VERSION_META = `CASE WHEN v.version_id IS NULL THEN NULL ELSE json_build_object(${VERSION_META_FIELDS}) END AS av_meta,
  v.nodes::text AS av_nodes, v.connections::text AS av_connections,
  COALESCE(v.snapshot->'nodeGroups', '[]'::jsonb)::text AS av_node_groups`;

type ActiveVersionMeta = JsonDates<Omit<WorkflowVersionRecord, 'snapshot'>> & { events: JsonDates<PublishEventRecord>[] };

interface ActiveVersionColumns {
  av_meta: ActiveVersionMeta | null;
  av_nodes: string | null;
  av_connections: string | null;
  av_node_groups: string | null;
}

const GET_WORKFLOW_TEXT = `SELECT ${SCALAR_COLUMNS}, ${JSON_TEXT}, ${TAGS}, ${PROJECT}, ${ACTIVE_VERSION_META}
  FROM workflow w JOIN project p ON p.id = w.project_id LEFT JOIN workflow_version v ON v.version_id = w.active_version_id
  WHERE w.id = $1`;

const toJsonText = (row: JsonTextRow): Record<JsonColumns, RawJson> => ({
  nodes: raw(row.nodes_text),
  connections: raw(row.connections_text),
  nodeGroups: raw(row.node_groups_text),
  settings: raw(row.settings_text),
  staticData: raw(row.static_data_text),
  pinData: raw(row.pin_data_text),
  meta: raw(row.meta_text),
});

function toActiveVersion(row: ActiveVersionColumns): PassThroughRead['activeVersion'] {
  if (!row.av_meta) return null;
  const { events, createdAt, updatedAt, ...version } = row.av_meta;
  return {
    version: { ...version, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) },
    events: events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    graph: { nodes: raw(row.av_nodes), connections: raw(row.av_connections), nodeGroups: raw(row.av_node_groups) },
  };
}

export const workflowsPassThroughRepository = {
  async findWithRelations(db: SqlClient, id: string): Promise<PassThroughRead | null> {
    const { rows } = await db.query<ScalarRow & JsonTextRow & TagsColumn & ProjectColumns & ActiveVersionColumns>({
      name: 'flowgate_get_workflow_text',
      text: GET_WORKFLOW_TEXT,
      values: [id],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      workflow: { ...toScalars(row), tags: toTags(row.tags), project: toProject(row) },
      json: toJsonText(row),
      activeVersion: toActiveVersion(row),
    };
  },

  /** A list page without its documents (same order and filters as workflowsRepository.findPage). */
  async findPageWithoutDocuments(
    db: SqlClient,
    filters: WorkflowFilters,
    page: WorkflowPage,
  ): Promise<Omit<ListedWorkflow, JsonColumns>[]> {
    const { rows } = await db.query<ScalarRow & TagsColumn>(pageQuery(`${SCALAR_COLUMNS}, ${TAGS}`, filters, page));
    return rows.map((row) => ({ ...toScalars(row), tags: toTags(row.tags) }));
  },

  /** The documents of these workflows as they are now, with the version and updatedAt they belong to. */
  async findDocuments(db: SqlClient, ids: string[]) {
    const { rows } = await db.query<Pick<ScalarRow, 'id' | 'version_id' | 'updated_at'> & JsonTextRow>({
      name: 'flowgate_workflow_documents',
      text: `SELECT w.id, w.version_id, w.updated_at, ${JSON_TEXT} FROM workflow w WHERE w.id = ANY($1::text[])`,
      values: [ids],
    });
    return rows.map((row) => ({ id: row.id, versionId: row.version_id, updatedAt: row.updated_at, json: toJsonText(row) }));
  },

  /** A list page with its documents (same order and filters as workflowsRepository.findPage). */
  async findPage(
    db: SqlClient,
    filters: WorkflowFilters,
    page: WorkflowPage,
  ): Promise<{ workflow: Omit<ListedWorkflow, JsonColumns>; json: Record<JsonColumns, RawJson> }[]> {
    const { rows } = await db.query<ScalarRow & JsonTextRow & TagsColumn>(
      pageQuery(`${SCALAR_COLUMNS}, ${JSON_TEXT}, ${TAGS}`, filters, page),
    );
    return rows.map((row) => ({ workflow: { ...toScalars(row), tags: toTags(row.tags) }, json: toJsonText(row) }));
  },
};
