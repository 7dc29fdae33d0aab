import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { newId } from '../../src/lib/ids.ts';
import { rawJsonOrNull, stringifyWithRaw } from '../../src/lib/raw-json.ts';
import type { Project } from '../../src/modules/projects/projects.repository.ts';
import type { Tag } from '../../src/modules/tags/tags.repository.ts';
import { toWorkflowDto, toWorkflowListItemDto, toWorkflowListItemJson } from '../../src/modules/workflows/workflows.dto.ts';
import type {
  ActiveVersion,
  ListedWorkflow,
  PublishEventRecord,
  WorkflowVersionRecord,
  WorkflowWithRelations,
} from '../../src/modules/workflows/workflows.types.ts';

const PAGE_LIMIT = 100;

interface ApiKeyRow {
  id: string;
  label: string;
  key_hint: string;
  scopes: string[];
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

// The columns the app's repository selects, one row past the page to learn whether another page follows:
// the same single query the app runs, so both sides move the same bytes out of PostgreSQL.
const LIST_SQL = `SELECT id, label, key_hint, scopes, expires_at, last_used_at, revoked_at, created_at, updated_at
  FROM api_key ORDER BY created_at, id LIMIT $1 OFFSET $2`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toDto(row: ApiKeyRow) {
  return {
    id: row.id,
    label: row.label,
    scopes: row.scopes,
    keyHint: `n8n_api_…${row.key_hint}`,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function nextCursor(offset: number, hasMore: boolean): string | null {
  if (!hasMore) return null;
  return Buffer.from(JSON.stringify({ limit: PAGE_LIMIT, offset: offset + PAGE_LIMIT })).toString('base64');
}

// Workflows: the DTO functions are the app's, so both sides answer the same JSON shape; the database work
// is plain pg, one query per read (workflow, project and tags together) where Prisma may issue several.

const WORKFLOW_COLUMNS = `w.id, w.name, w.description, w.active, w.active_version_id, w.is_archived, w.version_id,
  w.version_counter, w.trigger_count, w.nodes, w.connections, w.node_groups, w.settings, w.static_data, w.pin_data,
  w.meta, w.project_id, w.created_at, w.updated_at`;
const LIST_COLUMNS = `w.id, w.name, w.active, w.active_version_id, w.is_archived, w.version_id, w.trigger_count, w.nodes,
  w.connections, w.node_groups, w.settings, w.static_data, w.pin_data, w.meta, w.project_id, w.created_at, w.updated_at`;
const TAGS_OF_W = `COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'createdAt', t.created_at,
  'updatedAt', t.updated_at)) FROM workflow_tag wt JOIN tag t ON t.id = wt.tag_id WHERE wt.workflow_id = w.id), '[]') AS tags`;
const PROJECT_COLUMNS = `p.id AS p_id, p.name AS p_name, p.type AS p_type, p.icon AS p_icon, p.description AS p_description,
  p.created_at AS p_created_at, p.updated_at AS p_updated_at`;

const GET_WORKFLOW_SQL = `SELECT ${WORKFLOW_COLUMNS}, ${TAGS_OF_W}, ${PROJECT_COLUMNS}
  FROM workflow w JOIN project p ON p.id = w.project_id WHERE w.id = $1`;
// An active workflow's published version, with its publish history (the app reads that only when active).
const GET_VERSION_SQL = `SELECT v.version_id, v.workflow_id, v.counter, v.authors, v.author_key_id, v.message, v.name, v.description,
  v.snapshot || jsonb_build_object('nodes', v.nodes, 'connections', v.connections) AS snapshot, v.created_at, v.updated_at,
  COALESCE((SELECT json_agg(json_build_object('id', e.id, 'workflowId', e.workflow_id, 'versionId', e.version_id, 'event', e.event,
    'userId', e.user_id, 'createdAt', e.created_at) ORDER BY e.id) FROM workflow_publish_event e
    WHERE e.workflow_id = v.workflow_id AND e.version_id = v.version_id), '[]') AS events
  FROM workflow_version v WHERE v.workflow_id = $1 AND v.version_id = $2`;
// A list page; with `?projectId=` (the app's filter) only that project's workflows, in a statement of its own.
const listSql = (columns: string, inProject: boolean) => `SELECT ${columns}, ${TAGS_OF_W}
  FROM workflow w ${inProject ? 'WHERE w.project_id = $3' : ''} ORDER BY w.created_at DESC, w.id DESC LIMIT $1 OFFSET $2`;
// The same page with the documents as jsonb's text, passed through unparsed (the app's pass-through, minus its cache).
const TEXT_COLUMNS = `w.id, w.name, w.active, w.active_version_id, w.is_archived, w.version_id, w.trigger_count,
  w.project_id, w.created_at, w.updated_at, w.nodes::text AS nodes, w.connections::text AS connections,
  w.node_groups::text AS node_groups, w.settings::text AS settings, w.static_data::text AS static_data,
  w.pin_data::text AS pin_data, w.meta::text AS meta`;

function listQuery(name: string, columns: string, query: { projectId?: string }) {
  const inProject = typeof query.projectId === 'string';
  return {
    name: `${name}${inProject ? '_in_project' : ''}`,
    text: listSql(columns, inProject),
    values: [PAGE_LIMIT + 1, 0, ...(inProject ? [query.projectId] : [])],
  };
}
// The app's create: the default (first personal) project, the workflow row, its first version, in one transaction.
const INSERT_WORKFLOW_SQL = `WITH p AS (SELECT * FROM project WHERE type = 'personal' ORDER BY created_at LIMIT 1),
  w AS (
    INSERT INTO workflow (id, name, description, version_id, version_counter, nodes, connections, node_groups, settings,
      static_data, pin_data, meta, project_id, updated_at)
    SELECT $1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, NULL, p.id, now() FROM p
    RETURNING *)
  SELECT ${WORKFLOW_COLUMNS}, '[]'::json AS tags, ${PROJECT_COLUMNS} FROM w JOIN p ON p.id = w.project_id`;
const INSERT_VERSION_SQL = `INSERT INTO workflow_version (version_id, workflow_id, counter, authors, author_key_id, snapshot, nodes,
    connections, updated_at)
  VALUES ($1, $2, 1, $3, $4, $5, $6, $7, now())`;

type Json = unknown;

interface WorkflowRow {
  id: string;
  name: string;
  description?: string | null;
  active: boolean;
  active_version_id: string | null;
  is_archived: boolean;
  version_id: string;
  version_counter?: number;
  trigger_count: number;
  nodes: Json;
  connections: Json;
  node_groups: Json;
  settings: Json;
  static_data: Json;
  pin_data: Json;
  meta: Json;
  project_id: string;
  created_at: Date;
  updated_at: Date;
  /** json_agg output: timestamps as ISO strings. */
  tags: { id: string; name: string; createdAt: string; updatedAt: string }[];
}

interface ProjectColumns {
  p_id: string;
  p_name: string;
  p_type: string;
  p_icon: Json;
  p_description: string | null;
  p_created_at: Date;
  p_updated_at: Date;
}

interface VersionRow {
  version_id: string;
  workflow_id: string;
  counter: number;
  authors: string;
  author_key_id: string | null;
  message: string | null;
  name: string | null;
  description: string | null;
  snapshot: Json;
  created_at: Date;
  updated_at: Date;
  /** json_agg output: timestamps as ISO strings. */
  events: (Omit<PublishEventRecord, 'createdAt'> & { createdAt: string })[];
}

const toTag = (t: WorkflowRow['tags'][number]): Tag => ({
  id: t.id,
  name: t.name,
  createdAt: new Date(t.createdAt),
  updatedAt: new Date(t.updatedAt),
});

function toWorkflow(row: WorkflowRow): ListedWorkflow {
  return {
    id: row.id,
    name: row.name,
    description: row.description ?? null,
    versionCounter: row.version_counter ?? 1,
    active: row.active,
    activeVersionId: row.active_version_id,
    isArchived: row.is_archived,
    versionId: row.version_id,
    triggerCount: row.trigger_count,
    nodes: row.nodes,
    connections: row.connections,
    nodeGroups: row.node_groups,
    settings: row.settings,
    staticData: row.static_data,
    pinData: row.pin_data,
    meta: row.meta,
    projectId: row.project_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    tags: row.tags.map(toTag),
  } as ListedWorkflow;
}

function toWorkflowWithRelations(row: WorkflowRow & ProjectColumns): WorkflowWithRelations {
  const project: Project = {
    id: row.p_id,
    name: row.p_name,
    type: row.p_type,
    icon: row.p_icon as Project['icon'],
    description: row.p_description,
    createdAt: row.p_created_at,
    updatedAt: row.p_updated_at,
  };
  return { ...toWorkflow(row), project };
}

function toActiveVersion(row: VersionRow): ActiveVersion {
  const version: WorkflowVersionRecord = {
    versionId: row.version_id,
    workflowId: row.workflow_id,
    counter: row.counter,
    authors: row.authors,
    authorKeyId: row.author_key_id,
    message: row.message,
    name: row.name,
    operations: null,
    description: row.description,
    snapshot: row.snapshot as WorkflowVersionRecord['snapshot'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  return { version, events: row.events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })) };
}

const keysetCursor = (limit: number, last: { id: string; created_at: Date }) =>
  Buffer.from(JSON.stringify({ limit, lastId: last.id, lastCreatedAt: last.created_at.toISOString() })).toString('base64');

interface CreateBody {
  name: string;
  description?: string | null;
  nodes: { id?: string }[];
  connections: Record<string, unknown>;
  settings: Record<string, unknown>;
  staticData?: unknown;
  pinData?: unknown;
  nodeGroups?: unknown[];
}

// pg turns JS arrays into PostgreSQL arrays, so JSON goes over as text.
const jsonParam = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** The floor to compare the app against (prepared statements, like the app's hot queries): the same work with bare Fastify and plain pg, no auth, ORM or zod. */
export function buildBaseline(databaseUrl: string): FastifyInstance {
  // Prisma's adapter also pools 10 connections by default.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => {});

  const app = Fastify({ logger: false });
  app.addHook('onClose', async () => pool.end());

  app.get('/healthz', async () => ({ status: 'ok' }));

  // The persistence floor of one saved execution, with no engine: insert the running row, then store a
  // result of the same size as the app's in one statement, as the app's runner does.
  app.post<{ Params: { workflowId: string }; Body: { n: number } }>('/executions/:workflowId', async (request) => {
    const { rows } = await pool.query({
      name: 'base_insert_execution',
      text: `INSERT INTO execution (workflow_id, mode, status, started_at) VALUES ($1, 'webhook', 'running', now()) RETURNING id`,
      values: [request.params.workflowId],
    });
    const id = rows[0].id as number;
    const result = { n: request.body.n + 5, step9: `step ${request.body.n + 4}` };
    const data = JSON.stringify({
      version: 1,
      resultData: {
        runData: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`Node ${i}`, [{ data: { main: [[{ json: result }]] } }]])),
      },
    });
    await pool.query({
      name: 'base_finish_execution',
      text: `WITH updated AS (UPDATE execution SET status = 'success', finished = true, stopped_at = now(), json_size_bytes = $2 WHERE id = $1 RETURNING id)
        INSERT INTO execution_data (execution_id, data, workflow_data) SELECT id, $3::json, $4::json FROM updated`,
      values: [id, Buffer.byteLength(data), data, '{}'],
    });
    return result;
  });

  app.get('/api-keys', async () => {
    const offset = 0;
    const { rows } = await pool.query<ApiKeyRow>({ name: 'base_list_keys', text: LIST_SQL, values: [PAGE_LIMIT + 1, offset] });
    return { data: rows.slice(0, PAGE_LIMIT).map(toDto), nextCursor: nextCursor(offset, rows.length > PAGE_LIMIT) };
  });

  app.get<{ Params: { id: string } }>('/workflows/:id', async (request, reply) => {
    const { rows } = await pool.query<WorkflowRow & ProjectColumns>({
      name: 'base_get_workflow',
      text: GET_WORKFLOW_SQL,
      values: [request.params.id],
    });
    const row = rows[0];
    if (!row) return reply.status(404).send({ message: 'Not Found' });
    const activeVersion = row.active_version_id
      ? (
          await pool.query<VersionRow>({ name: 'base_get_version', text: GET_VERSION_SQL, values: [row.id, row.active_version_id] })
        ).rows.map(toActiveVersion)[0]
      : null;
    return toWorkflowDto(toWorkflowWithRelations(row), { activeVersion });
  });

  app.get<{ Querystring: { projectId?: string } }>('/workflows', async (request) => {
    const { rows } = await pool.query<WorkflowRow>(listQuery('base_list_workflows', LIST_COLUMNS, request.query));
    const page = rows.slice(0, PAGE_LIMIT);
    const last = page.at(-1);
    return {
      data: page.map((row) => toWorkflowListItemDto(toWorkflow(row), false)),
      nextCursor: rows.length > PAGE_LIMIT && last ? keysetCursor(PAGE_LIMIT, last) : null,
    };
  });

  app.get<{ Querystring: { projectId?: string } }>('/workflows-pass-through', async (request, reply) => {
    const { rows } = await pool.query<WorkflowRow>(listQuery('base_list_workflows_text', TEXT_COLUMNS, request.query));
    const page = rows.slice(0, PAGE_LIMIT);
    const last = page.at(-1);
    const raw = (text: unknown) => rawJsonOrNull(text as string | null);
    const data = page.map((row) => {
      const { nodes, connections, nodeGroups, settings, staticData, pinData, meta, ...scalars } = toWorkflow(row);
      const json = { nodes: raw(nodes), connections: raw(connections), nodeGroups: raw(nodeGroups), settings: raw(settings) };
      return toWorkflowListItemJson(scalars, { ...json, staticData: raw(staticData), pinData: raw(pinData), meta: raw(meta) }, false);
    });
    const body = stringifyWithRaw({ data, nextCursor: rows.length > PAGE_LIMIT && last ? keysetCursor(PAGE_LIMIT, last) : null });
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.post<{ Body: CreateBody }>('/workflows', async (request) => {
    const body = request.body;
    const nodes = body.nodes.map((node) => (node.id ? node : { ...node, id: randomUUID() }));
    const state = {
      name: body.name,
      description: body.description ?? null,
      nodes,
      connections: body.connections,
      settings: body.settings,
      staticData: body.staticData ?? null,
      pinData: body.pinData ?? null,
      meta: null,
      nodeGroups: body.nodeGroups ?? [],
    };
    const id = newId();
    const versionId = randomUUID();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<WorkflowRow & ProjectColumns>({
        name: 'base_insert_workflow',
        text: INSERT_WORKFLOW_SQL,
        values: [
          id,
          state.name,
          state.description,
          versionId,
          jsonParam(state.nodes),
          jsonParam(state.connections),
          jsonParam(state.nodeGroups),
          jsonParam(state.settings),
          jsonParam(state.staticData),
          jsonParam(state.pinData),
        ],
      });
      const row = rows[0];
      if (!row) throw new Error('no personal project to create the workflow in');
      const { nodes: _nodes, connections: _connections, ...rest } = state;
      await client.query({
        name: 'base_insert_version',
        text: INSERT_VERSION_SQL,
        values: [versionId, id, 'bench', null, JSON.stringify(rest), jsonParam(state.nodes), jsonParam(state.connections)],
      });
      await client.query('COMMIT');
      return toWorkflowDto(toWorkflowWithRelations(row));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  });

  return app;
}
