import type { SqlClient } from '../../db/client.ts';

/** Settings every instance shares, as JSON by key. */
export const instanceSettingsRepository = {
  async get<T>(db: SqlClient, key: string): Promise<T | null> {
    const { rows } = await db.query<{ value: T }>('SELECT value FROM instance_setting WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  },

  async put(db: SqlClient, key: string, value: unknown): Promise<void> {
    await db.query(
      `INSERT INTO instance_setting (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  },
};
