import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { newId } from '../../src/lib/ids.ts';
import type { Caller } from '../../src/modules/roles/grant.ts';
import { CreateWorkflowBodySchema } from '../../src/modules/workflows/workflows.schemas.ts';
import { chainWorkflowBody, FIXTURE_CREDENTIAL_ID, smallWorkflowColumns } from './workflow-fixtures.ts';

export const BIG_WORKFLOW_NODES = 30;
export const LIST_WORKFLOWS = 10_000;
const LIST_TAGS = 5;
const TEN_NODE_WORKFLOWS = 200;

export interface SeededWorkflows {
  /** The 30-node workflow (GET /workflows/:id). */
  workflowId: string;
  /** The project holding the 10-node workflows of the second list scenario. */
  tenNodeProjectId: string;
}

/**
 * Seeds the workflow scenarios, before the servers report ready: one 30-node workflow through the app's own
 * service (validation, node ids, version row and all) with two tags, then 10,000 small ones in the default project
 * in a few bulk statements (through the service that would take minutes). Every bulk row is newer than the
 * 30-node one, so page 1 of the list holds small workflows only; about half carry a tag.
 */
export async function seedWorkflows(app: FastifyInstance, databaseUrl: string, caller: Caller): Promise<SeededWorkflows> {
  const { principal, grant } = caller;
  const project = await app.services.projects.defaultProject();

  // The fixtures' HTTP nodes reference this credential id, and workflows must reference credentials that exist:
  // create it through the service (encrypted as usual), then give it the fixtures' fixed id.
  const credential = await app.services.credentials.create(
    {
      name: 'Billing API key',
      type: 'httpHeaderAuth',
      data: { name: 'X-Api-Key', value: 'bench' },
    },
    grant,
  );
  await app.prisma.$executeRaw`UPDATE credential SET id = ${FIXTURE_CREDENTIAL_ID} WHERE id = ${credential.id}`;
  const body = CreateWorkflowBodySchema.parse(chainWorkflowBody(BIG_WORKFLOW_NODES, 'Billing events (30 nodes)'));
  const big = await app.services.workflows.create(body, caller);
  const bigTags = [await app.services.tags.create('billing'), await app.services.tags.create('production')];
  await app.services.workflows.setTags(
    big.id,
    bigTags.map((t) => t.id),
    grant,
  );

  const tagIds: string[] = [];
  for (let i = 1; i <= LIST_TAGS; i++) tagIds.push((await app.services.tags.create(`team-${i}`)).id);

  // Distinct created_at values, 1 ms apart, all after the 30-node workflow's.
  const start = big.createdAt.getTime() + 1000;
  const rows = Array.from({ length: LIST_WORKFLOWS }, (_, i) => ({
    id: newId(),
    version_id: randomUUID(),
    created_at: new Date(start + i).toISOString(),
    tag_id: i % 2 === 0 ? (tagIds[i % LIST_TAGS] ?? null) : null,
    ...smallWorkflowColumns(i),
  }));
  await bulkInsert(databaseUrl, rows, project.id, principal);

  // The issue-17 list: a page of 100 workflows of 10 nodes (about 780 KB), in a project of their own so that
  // `?projectId=` lists them alone; older than everything else, so page 1 of the whole list is unchanged.
  const tenNodeProject = await app.prisma.project.create({ data: { id: newId(), name: 'Bench: 10-node workflows', type: 'team' } });
  const oldest = big.createdAt.getTime() - 10 * 60_000;
  const tenNodeRows = Array.from({ length: TEN_NODE_WORKFLOWS }, (_, i) => ({
    id: newId(),
    version_id: randomUUID(),
    created_at: new Date(oldest + i).toISOString(),
    tag_id: null,
    ...smallWorkflowColumns(i, 10),
  }));
  await bulkInsert(databaseUrl, tenNodeRows, tenNodeProject.id, principal);
  await app.prisma.$executeRawUnsafe('ANALYZE workflow, workflow_tag, workflow_version, tag, project');
  return { workflowId: big.id, tenNodeProjectId: tenNodeProject.id };
}

type BulkRow = { id: string; version_id: string; created_at: string; tag_id: string | null } & ReturnType<typeof smallWorkflowColumns>;

/** Workflows, their first versions and tag links, in a few statements (through the service it would take minutes). */
async function bulkInsert(databaseUrl: string, rows: BulkRow[], projectId: string, principal: Caller['principal']) {
  const recordset = JSON.stringify(rows);
  const columns = `x(id text, name text, version_id uuid, nodes jsonb, connections jsonb, settings jsonb, created_at timestamptz, tag_id text)`;

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO workflow (id, name, version_id, nodes, connections, settings, project_id, created_at, updated_at)
       SELECT x.id, x.name, x.version_id, x.nodes, x.connections, x.settings, $2, x.created_at, x.created_at
       FROM jsonb_to_recordset($1::jsonb) AS ${columns}`,
      [recordset, projectId],
    );
    await client.query(
      `INSERT INTO workflow_version (version_id, workflow_id, counter, authors, author_key_id, snapshot, nodes, connections,
         created_at, updated_at)
       SELECT x.version_id, x.id, 1, $2, $3,
         jsonb_build_object('name', x.name, 'description', NULL, 'settings', x.settings, 'staticData', NULL, 'pinData', NULL,
           'meta', NULL, 'nodeGroups', '[]'::jsonb),
         x.nodes, x.connections, x.created_at, x.created_at
       FROM jsonb_to_recordset($1::jsonb) AS ${columns}`,
      [recordset, principal.label, principal.apiKeyId],
    );
    await client.query(
      `INSERT INTO workflow_tag (workflow_id, tag_id)
       SELECT x.id, x.tag_id FROM jsonb_to_recordset($1::jsonb) AS ${columns} WHERE x.tag_id IS NOT NULL`,
      [recordset],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
