import pg from 'pg';
import { applyMigrationFiles } from './migration-engine.ts';

/** Arbitrary but fixed: every flowgate instance takes this lock before migrating (distinct from Prisma's own). */
const MIGRATION_LOCK_ID = 0x666c6f77; // "flow"

/**
 * Applies pending migrations while holding a session-level advisory lock, so instances that boot together
 * migrate one at a time and the later ones find nothing left to do.
 */
export async function migrateDatabase(url: string): Promise<string[]> {
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return await applyMigrationFiles(url);
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    await lockClient.end().catch(() => {});
  }
}
