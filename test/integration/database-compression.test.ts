import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlPool } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-app.ts';

/** The server's connections compress large values with lz4 where PostgreSQL has it, and keep pglz where not. */

const LARGE = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `node ${i}`, parameters: { value: i * 7 } })));

async function supportsLz4(client: Pick<pg.Pool, 'query'>) {
  const { rows } = await client.query(`SELECT 'lz4' = ANY(enumvals) AS yes FROM pg_settings WHERE name = 'default_toast_compression'`);
  return rows[0]?.yes === true;
}

/** Writes a large jsonb value on a pooled connection and reports the setting and how the value was compressed. */
async function writeLarge(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE zz_compression (doc jsonb)');
    await client.query('INSERT INTO zz_compression VALUES ($1::jsonb)', [LARGE]);
    const { rows } = await client.query(
      `SELECT current_setting('default_toast_compression') AS setting, pg_column_compression(doc) AS used FROM zz_compression`,
    );
    return rows[0] as { setting: string; used: string };
  } finally {
    client.release(true);
  }
}

describe('toast compression of the server connections', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("uses what the test database's server offers: lz4 when it has it, pglz otherwise", async () => {
    const pool = createSqlPool(db.url, { poolSize: 1 });
    try {
      const expected = (await supportsLz4(pool)) ? 'lz4' : 'pglz';
      expect(await writeLarge(pool)).toEqual({ setting: expected, used: expected });
    } finally {
      await pool.end();
    }
  });

  it('uses lz4 on a PostgreSQL built with it (the machine’s own server on 127.0.0.1:5432)', async (context) => {
    const url = 'postgresql://postgres@127.0.0.1:5432/postgres';
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    const reachable = await probe.connect().then(
      () => true,
      () => false,
    );
    const lz4 = reachable && (await supportsLz4(probe));
    if (reachable) await probe.end();
    if (!lz4) {
      context.skip(reachable ? 'the PostgreSQL on 127.0.0.1:5432 has no lz4' : 'no PostgreSQL answers on 127.0.0.1:5432');
      return;
    }
    const pool = createSqlPool(url, { poolSize: 1 });
    try {
      expect(await writeLarge(pool)).toEqual({ setting: 'lz4', used: 'lz4' });
    } finally {
      await pool.end();
    }
  });
});
