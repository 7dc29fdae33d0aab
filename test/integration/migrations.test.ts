import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrationFiles } from '../../src/db/migration-engine.ts';
import { workflowVersionsRepository } from '../../src/modules/workflows/workflow-versions.repository.ts';

/** Upgrades: a database migrated by an older release keeps its data through the migrations that followed. */

const name = `${inject('pgTemplate')}_upgrade_${randomBytes(4).toString('hex')}`;
const adminUrl = inject('pgAdminUrl');
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
let pool: pg.Pool;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  await admin(`CREATE DATABASE ${name}`);
  pool = new pg.Pool({ connectionString: url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('20261202000000_version_documents', () => {
  it('moves each history entry’s nodes and connections out of its snapshot, and reads give back the same document', async () => {
    await applyMigrationFiles(url, () => {}, '20261123060000_annotation_tags');
    const nodes = [{ id: 'n1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: {} }];
    const connections = { Webhook: { main: [[]] } };
    const snapshot = { name: 'Old', description: null, nodes, connections, settings: { executionOrder: 'v1' }, staticData: null };
    const versionId = randomUUID();
    await pool.query(`INSERT INTO project (id, name, type, updated_at) VALUES ('proj1', 'P', 'personal', now())`);
    await pool.query(
      `INSERT INTO workflow (id, name, version_id, nodes, connections, settings, project_id, updated_at)
       VALUES ('wf1', 'Old', $1, $2, $3, '{}', 'proj1', now())`,
      [versionId, JSON.stringify(nodes), JSON.stringify(connections)],
    );
    await pool.query(
      `INSERT INTO workflow_version (version_id, workflow_id, counter, authors, snapshot, updated_at)
       VALUES ($1, 'wf1', 1, 'owner', $2, now())`,
      [versionId, JSON.stringify(snapshot)],
    );

    expect(await applyMigrationFiles(url, () => {}, '20261202000000_version_documents')).toEqual(['20261202000000_version_documents']);

    const { rows } = await pool.query('SELECT snapshot, nodes, connections FROM workflow_version WHERE version_id = $1', [versionId]);
    expect(rows[0]).toEqual({ snapshot: { ...snapshot, nodes: undefined, connections: undefined }, nodes, connections });
    expect(Object.keys(rows[0].snapshot)).not.toContain('nodes');
    const read = await workflowVersionsRepository.find(pool, 'wf1', versionId);
    expect(read?.snapshot).toEqual(snapshot);
  });
});

describe('20261203000000_instance_leases', () => {
  it('keeps existing executions (no start input: they are not queued) and adds the lease table', async () => {
    // The database is at 20261202000000 from the test above; an execution as that release stored it.
    await pool.query(`INSERT INTO execution (workflow_id, mode, status, started_at) VALUES ('wf1', 'manual', 'success', now())`);
    const { rows: inserted } = await pool.query('SELECT id FROM execution ORDER BY id DESC LIMIT 1');
    const id = inserted[0].id as number;
    await pool.query(`INSERT INTO execution_data (execution_id, data, workflow_data) VALUES ($1, '{"version":1}', '{"id":"wf1"}')`, [id]);

    expect(await applyMigrationFiles(url, () => {}, '20261203000000_instance_leases')).toEqual(['20261203000000_instance_leases']);

    const { rows } = await pool.query('SELECT data, workflow_data, start_input FROM execution_data WHERE execution_id = $1', [id]);
    expect(rows[0]).toEqual({ data: { version: 1 }, workflow_data: { id: 'wf1' }, start_input: null });
    const { rows: leases } = await pool.query('SELECT count(*)::int AS n FROM instance_lease');
    expect(leases[0].n).toBe(0);
  });
});

describe('20261204000000_users_roles', () => {
  it('makes the owner user, gives them every existing key and the personal project', async () => {
    // Keys as the release before stored them: no user.
    await pool.query(
      `INSERT INTO api_key (id, label, key_hash, key_hint, scopes, updated_at)
       VALUES ('k1', 'owner', repeat('a', 64), 'abcd', ARRAY['*'], now()), ('k2', 'reader', repeat('b', 64), 'efgh', ARRAY['workflow:read'], now())`,
    );

    expect(await applyMigrationFiles(url, () => {}, '20261204000000_users_roles')).toEqual(['20261204000000_users_roles']);

    const { rows: users } = await pool.query('SELECT id, email, role, is_pending FROM user_account');
    expect(users).toEqual([{ id: expect.any(String), email: 'owner@flowgate.local', role: 'global:owner', is_pending: false }]);
    const { rows: keys } = await pool.query('SELECT id, user_id FROM api_key ORDER BY id');
    expect(keys).toEqual([
      { id: 'k1', user_id: users[0].id },
      { id: 'k2', user_id: users[0].id },
    ]);
    const { rows: relations } = await pool.query('SELECT project_id, user_id, role FROM project_relation');
    expect(relations).toEqual([{ project_id: 'proj1', user_id: users[0].id, role: 'project:personalOwner' }]);
  });
});

describe('20261205000000_variables_folders', () => {
  it('leaves workflows at their project’s top level, and keeps one variable per key globally and per project', async () => {
    expect(await applyMigrationFiles(url, () => {}, '20261205000000_variables_folders')).toEqual(['20261205000000_variables_folders']);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM workflow WHERE parent_folder_id IS NOT NULL');
    expect(rows[0].n).toBe(0);
    const insert = (id: string, projectId: string | null) =>
      pool.query(`INSERT INTO variable (id, key, value, project_id, updated_at) VALUES ($1, 'K', 'v', $2, now())`, [id, projectId]);
    await insert('v1', null);
    await insert('v2', 'proj1');
    await expect(insert('v3', null)).rejects.toMatchObject({ code: '23505' });
    await expect(insert('v4', 'proj1')).rejects.toMatchObject({ code: '23505' });
  });
});

describe('20261206000000_data_tables', () => {
  it('adds the data table catalogue, with one name per project', async () => {
    expect(await applyMigrationFiles(url, () => {}, '20261206000000_data_tables')).toEqual(['20261206000000_data_tables']);
    const insert = (id: string) =>
      pool.query(`INSERT INTO data_table (id, name, project_id, updated_at) VALUES ($1, 'T', 'proj1', now())`, [id]);
    await insert('t1');
    await expect(insert('t2')).rejects.toMatchObject({ code: '23505' });
  });
});

describe('20261207000000_instance_settings', () => {
  it('adds the shared settings table, empty (every setting starts at its default)', async () => {
    expect(await applyMigrationFiles(url, () => {}, '20261207000000_instance_settings')).toEqual(['20261207000000_instance_settings']);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM instance_setting');
    expect(rows[0].n).toBe(0);
  });
});

describe('20261208000000_binary_data', () => {
  it('adds the binary data table, whose rows go with their execution', async () => {
    expect(await applyMigrationFiles(url, () => {}, '20261208000000_binary_data')).toEqual(['20261208000000_binary_data']);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM binary_data');
    expect(rows[0].n).toBe(0);
  });
});

describe('20261209000000_trigger_poll_state', () => {
  it('adds the polling triggers’ state, one row per node', async () => {
    expect(await applyMigrationFiles(url)).toEqual(['20261209000000_trigger_poll_state']);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM trigger_poll_state');
    expect(rows[0].n).toBe(0);
  });
});
