import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { ServersReady } from './servers.ts';

const ROUNDS = Number(process.env.BENCH_DATA_ROUNDS ?? 40);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function api(servers: ServersReady, method: string, path: string, body?: unknown) {
  const res = await fetch(`${servers.appUrl}/api/v1${path}`, {
    method,
    headers: { 'x-n8n-api-key': servers.apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const rowOf = (i: number) => ({ email: `user${i}@example.com`, score: (i * 7919) % 1000, vip: i % 3 === 0, note: `row ${i}` });

async function timedMs(fn: () => Promise<unknown>) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * The data tables and insights figures the issue names, each beside a baseline in the same run: the same work as
 * plain SQL over one pg connection to the same database (what the API adds on top is HTTP, validation, checks).
 */
export async function reportDataTables(servers: ServersReady, databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const columns = [
      { name: 'email', type: 'string' },
      { name: 'score', type: 'number' },
      { name: 'vip', type: 'boolean' },
      { name: 'note', type: 'string' },
    ];
    // 1. 10,000 rows in batches of 500.
    const table = (await api(servers, 'POST', '/data-tables', { name: `bench-insert-${Date.now()}`, columns })) as { id: string };
    const insertMs = await timedMs(async () => {
      for (let batch = 0; batch < 20; batch++) {
        await api(servers, 'POST', `/data-tables/${table.id}/rows`, {
          data: Array.from({ length: 500 }, (_, i) => rowOf(batch * 500 + i)),
        });
      }
    });
    await client.query(
      'CREATE TEMP TABLE bench_rows (id serial PRIMARY KEY, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(), email text, score double precision, vip boolean, note text)',
    );
    const baselineInsertMs = await timedMs(async () => {
      for (let batch = 0; batch < 20; batch++) {
        const params: unknown[] = [];
        const tuples = Array.from({ length: 500 }, (_, i) => {
          const r = rowOf(batch * 500 + i);
          params.push(r.email, r.score, r.vip, r.note);
          const n = params.length;
          return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
        });
        await client.query(`INSERT INTO bench_rows (email, score, vip, note) VALUES ${tuples.join(', ')} RETURNING *`, params);
      }
    });

    // 2. A filtered, sorted page of 100 from 100,000 rows.
    const big = (await api(servers, 'POST', '/data-tables', { name: `bench-query-${Date.now()}`, columns })) as { id: string };
    await client.query(
      `INSERT INTO "data_table_user_${big.id}" (email, score, vip, note)
       SELECT 'user' || i || '@example.com', (i * 7919) % 1000, i % 3 = 0, 'row ' || i FROM generate_series(1, 100000) AS i`,
    );
    await client.query(`ANALYZE "data_table_user_${big.id}"`);
    const filter = encodeURIComponent(
      JSON.stringify({
        type: 'and',
        filters: [
          { columnName: 'score', condition: 'gte', value: 500 },
          { columnName: 'vip', condition: 'eq', value: true },
        ],
      }),
    );
    const pagePath = `/data-tables/${big.id}/rows?limit=100&filter=${filter}&sortBy=score:desc`;
    const pageSql = `SELECT id, created_at, updated_at, email, score, vip, note FROM "data_table_user_${big.id}"
      WHERE score >= 500 AND vip = true ORDER BY score DESC NULLS LAST, id ASC LIMIT 101`;
    const pageTimes: number[] = [];
    const pageBaseline: number[] = [];
    for (let round = 0; round < ROUNDS + 5; round++) {
      const ours = await timedMs(() => api(servers, 'GET', pagePath));
      const theirs = await timedMs(() => client.query(pageSql));
      if (round < 5) continue;
      pageTimes.push(ours);
      pageBaseline.push(theirs);
    }

    // 3. The insights summary at 100,000 executions.
    await client.query(
      `INSERT INTO execution (workflow_id, mode, status, finished, created_at, started_at, stopped_at)
       SELECT $1, 'webhook', CASE WHEN i % 10 = 0 THEN 'error' ELSE 'success' END, i % 10 <> 0,
         now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval - interval '150 ms', now() - (i || ' seconds')::interval
       FROM generate_series(1, 100000) AS i`,
      [servers.executionWorkflowId],
    );
    await client.query('ANALYZE execution');
    const insightsTimes: number[] = [];
    const insightsBaseline: number[] = [];
    const countSql = `SELECT count(*) FROM execution WHERE stopped_at >= now() - interval '14 days' AND mode <> 'manual'`;
    for (let round = 0; round < ROUNDS + 5; round++) {
      const ours = await timedMs(() => api(servers, 'GET', '/insights/summary'));
      const theirs = await timedMs(() => client.query(countSql));
      if (round < 5) continue;
      insightsTimes.push(ours);
      insightsBaseline.push(theirs);
    }

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const lines = [
      'data tables and insights (baseline: the same work as plain SQL on one pg connection to the same database):',
      `  insert 10,000 rows in batches of 500: ${Math.round(10_000 / (insertMs / 1000))} rows/s (baseline ${Math.round(10_000 / (baselineInsertMs / 1000))} rows/s)`,
      `  filtered, sorted page of 100 from 100,000 rows: p50 ${ms(median(pageTimes))} (baseline query p50 ${ms(median(pageBaseline))}), ${ROUNDS} rounds`,
      `  insights summary at 100,000 executions: p50 ${ms(median(insightsTimes))} (baseline count(*) over the same rows p50 ${ms(median(insightsBaseline))}), ${ROUNDS} rounds`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    await client.end();
  }
}
