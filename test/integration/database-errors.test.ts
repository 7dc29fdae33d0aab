import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../helpers/test-app.ts';

/**
 * Database errors provoked on a real PostgreSQL, answered by the one error handler: a unique violation no service
 * check catches is a 409, a lock that does not come free in time and a deadlock are 503s to retry, and nothing the
 * failed request did is kept.
 *
 * The database's defaults make the waits short: the API's Prisma transactions wait for a lock at most 1 s (the plain
 * SQL write path sets its own 10 s with SET LOCAL), and PostgreSQL looks for deadlocks after 100 ms. The second
 * connection, which plays the other writer, waits as long as it must and looks for deadlocks only after 30 s, so
 * the API's transaction is always the one PostgreSQL rolls back.
 */
let db: TestDatabase;
let t: TestApp;
let other: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${db.name} SET lock_timeout = '1s'`);
    await admin.query(`ALTER DATABASE ${db.name} SET deadlock_timeout = '100ms'`);
  } finally {
    await admin.end();
  }
  t = await buildTestApp({}, db);
  other = new pg.Client({ connectionString: db.url, application_name: 'other-writer' });
  await other.connect();
  await other.query(`SET lock_timeout = 0; SET deadlock_timeout = '30s'`);
});

afterAll(async () => {
  await other?.end();
  await t?.close();
  await db?.drop();
});

afterEach(async () => {
  await other.query('ROLLBACK');
});

const workflowBody = (name: string) => ({
  name,
  nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
  connections: {},
  settings: { executionOrder: 'v1' },
});

let tagCount = 0;
async function createTag(path = '/tags'): Promise<{ id: string; name: string }> {
  tagCount += 1;
  const res = await api(t, 'POST', path, { name: `db-errors-${tagCount}` });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

/** Resolves once an API connection of this database waits for a lock (the request is then parked on it). */
async function apiWaitsForLock(): Promise<void> {
  await eventually(async () => {
    const { rows } = await other.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
    );
    return rows.length ? true : undefined;
  }, 'an API request waiting for a lock');
}

async function workflowTagIds(id: string): Promise<string[]> {
  const res = await api(t, 'GET', `/workflows/${id}/tags`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().map((tag: { id: string }) => tag.id);
}

async function historyLength(id: string): Promise<number> {
  const res = await api(t, 'GET', `/workflows/${id}/history?limit=250`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.length;
}

function expectBusy(res: Awaited<ReturnType<typeof api>>, reason: RegExp) {
  expect(res.statusCode, res.body).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  const body = res.json();
  expect(body).toMatchObject({ code: 'BUSY' });
  expect(body.message).toMatch(reason);
  expect(body.message).toMatch(/Retry the request\.$/);
  expect(body.requestId).toMatch(/^req-/);
}

describe('lock timeout (55P03): 503 BUSY with Retry-After', () => {
  it('a transaction waiting for a locked workflow (PUT /workflows/:id/tags) gives up and writes nothing', async () => {
    const id = await createWorkflow(t, workflowBody('Locked for tags'));
    const before = await createTag();
    expect((await api(t, 'PUT', `/workflows/${id}/tags`, [{ id: before.id }])).statusCode).toBe(200);
    const wanted = await createTag();

    await other.query('BEGIN');
    await other.query('SELECT id FROM workflow WHERE id = $1 FOR UPDATE', [id]);
    const started = Date.now();
    const res = await api(t, 'PUT', `/workflows/${id}/tags`, [{ id: wanted.id }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expectBusy(res, /locked by another request/);
    await other.query('ROLLBACK');

    expect(await workflowTagIds(id)).toEqual([before.id]);
  });

  it('the plain SQL write path (PUT /workflows/:id) gives up after its own lock_timeout and writes nothing', async () => {
    const id = await createWorkflow(t, workflowBody('Locked for replace'));
    const current = (await api(t, 'GET', `/workflows/${id}`)).json();
    const versions = await historyLength(id);

    await other.query('BEGIN');
    await other.query('SELECT id FROM workflow WHERE id = $1 FOR UPDATE', [id]);
    const res = await api(t, 'PUT', `/workflows/${id}`, workflowBody('Never saved'));
    expectBusy(res, /locked by another request/);
    await other.query('ROLLBACK');

    const after = (await api(t, 'GET', `/workflows/${id}`)).json();
    expect(after).toMatchObject({ name: 'Locked for replace', versionId: current.versionId, updatedAt: current.updatedAt });
    expect(await historyLength(id)).toBe(versions);
  }, 30_000);
});

describe('deadlock (40P01, Prisma P2034): 503 BUSY with Retry-After', () => {
  it('PUT /workflows/:id/tags deadlocked with another writer is rolled back', async () => {
    const id = await createWorkflow(t, workflowBody('Deadlocked'));
    const before = await createTag();
    expect((await api(t, 'PUT', `/workflows/${id}/tags`, [{ id: before.id }])).statusCode).toBe(200);
    const wanted = await createTag();

    // The other writer holds the tag the API must reference (the foreign key check needs a share lock on it)...
    await other.query('BEGIN');
    await other.query('SELECT id FROM tag WHERE id = $1 FOR UPDATE', [wanted.id]);
    // ...the API locks the workflow, clears its tags and waits for that tag...
    const request = api(t, 'PUT', `/workflows/${id}/tags`, [{ id: wanted.id }]);
    await apiWaitsForLock();
    // ...and the other writer now waits for the workflow: a deadlock, which PostgreSQL breaks by aborting the API's side.
    const othersLock = other.query('SELECT id FROM workflow WHERE id = $1 FOR UPDATE', [id]);
    const res = await request;
    await othersLock;
    expectBusy(res, /\(a deadlock\) and was rolled back/);
    await other.query('ROLLBACK');

    expect(await workflowTagIds(id)).toEqual([before.id]);
  });
});

describe('unique violation (23505, Prisma P2002): 409 CONFLICT naming what is taken', () => {
  it('plain SQL: two writers racing for the same execution tag (PUT /executions/:id/tags)', async () => {
    const workflowId = await createWorkflow(t, workflowBody('Tagged run'));
    const run = await api(t, 'POST', `/workflows/${workflowId}/run`, { wait: true });
    expect(run.statusCode, run.body).toBe(200);
    const executionId = Number(run.json().id);
    const tag = await createTag('/annotation-tags');

    // The other writer has added the same tag and not committed yet: the API's insert waits on that row...
    await other.query('BEGIN');
    await other.query('INSERT INTO execution_tag (execution_id, tag_id) VALUES ($1, $2)', [executionId, tag.id]);
    const request = api(t, 'PUT', `/executions/${executionId}/tags`, [{ id: tag.id }]);
    await apiWaitsForLock();
    // ...and finds it taken once the other writer commits. No service check stands before the constraint here.
    await other.query('COMMIT');
    const res = await request;

    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'CONFLICT',
      message: 'An execution tag with this execution id and tag id already exists.',
      details: { constraint: 'execution_tag_pkey', fields: ['execution_id', 'tag_id'] },
    });
    expect(res.body).not.toContain('duplicate key');
    const { rows } = await other.query('SELECT tag_id FROM execution_tag WHERE execution_id = $1', [executionId]);
    expect(rows).toEqual([{ tag_id: tag.id }]);
  });

  it('a unique index no service knows about (PUT /workflows/:id/tags) rolls the whole transaction back', async () => {
    // A constraint the services do not check (one workflow per tag), added to this test database only: the
    // violation can only come from PostgreSQL.
    await other.query('CREATE UNIQUE INDEX workflow_tag_one_workflow_per_tag ON workflow_tag (tag_id)');
    try {
      const first = await createWorkflow(t, workflowBody('Has the tag'));
      const second = await createWorkflow(t, workflowBody('Wants the tag'));
      const taken = await createTag();
      const kept = await createTag();
      expect((await api(t, 'PUT', `/workflows/${first}/tags`, [{ id: taken.id }])).statusCode).toBe(200);
      expect((await api(t, 'PUT', `/workflows/${second}/tags`, [{ id: kept.id }])).statusCode).toBe(200);

      const res = await api(t, 'PUT', `/workflows/${second}/tags`, [{ id: taken.id }]);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({
        code: 'CONFLICT',
        // PostgreSQL's detail names the column (Key (tag_id)=(…)), so the message can say which value is taken.
        message: 'A workflow tag with this tag id already exists.',
        details: { constraint: 'workflow_tag_one_workflow_per_tag' },
      });
      // The tags were cleared before the insert failed: the rollback kept them.
      expect(await workflowTagIds(second)).toEqual([kept.id]);
      expect(await workflowTagIds(first)).toEqual([taken.id]);
    } finally {
      await other.query('DROP INDEX workflow_tag_one_workflow_per_tag');
    }
  });
});
