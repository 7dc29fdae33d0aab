import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';

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

/** The floor to compare the app against: the same work with bare Fastify and plain pg, no auth, ORM or zod. */
export function buildBaseline(databaseUrl: string): FastifyInstance {
  // Prisma's adapter also pools 10 connections by default.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => {});

  const app = Fastify({ logger: false });
  app.addHook('onClose', async () => pool.end());

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/api-keys', async () => {
    const offset = 0;
    const { rows } = await pool.query<ApiKeyRow>(LIST_SQL, [PAGE_LIMIT + 1, offset]);
    return { data: rows.slice(0, PAGE_LIMIT).map(toDto), nextCursor: nextCursor(offset, rows.length > PAGE_LIMIT) };
  });

  return app;
}
