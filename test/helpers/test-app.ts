import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file (cloned from the run's template, so it costs ~100 ms). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  // Named after the template so the run's teardown can find every database it made.
  const name = `${inject('pgTemplate')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Environment for a test app: quiet logs and limits high enough not to interfere, unless a test says otherwise. */
export function testEnv(databaseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    N8N_ENCRYPTION_KEY: 'flowgate-test-encryption-key',
    // Files that workflows store go to a folder of this app's own, never the checkout's ./data.
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'flowgate-test-data-')),
    RATE_LIMIT_MAX: '1000000',
    RATE_LIMIT_KEY_READ_MAX: '1000000',
    RATE_LIMIT_KEY_WRITE_MAX: '1000000',
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  /** A key holding every scope. */
  ownerKey: string;
  /** Creates a key with exactly these scopes. */
  createKey(scopes: string[], label?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real app (same buildApp as the server) on its own database; HTTP through app.inject. */
export async function buildTestApp(overrides: Record<string, string> = {}, existingDb?: TestDatabase): Promise<TestApp> {
  const db = existingDb ?? (await createTestDatabase());
  const config = loadConfig(testEnv(db.url, overrides));
  const app = await buildApp({ config, databaseUrl: db.url });
  await app.ready();
  const createKey = async (scopes: string[], label = 'test') => (await app.services.apiKeys.create({ label, scopes })).key;
  const ownerKey = await createKey(['*'], 'owner');
  return {
    app,
    db,
    ownerKey,
    createKey,
    async close() {
      await app.close();
      if (!existingDb) await db.drop();
    },
  };
}
