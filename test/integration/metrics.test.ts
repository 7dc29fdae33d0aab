import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureExecution } from '../helpers/route-fixtures.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../helpers/test-app.ts';

/** GET /metrics with N8N_METRICS=true: Prometheus text with request durations by route and executions by status. */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** The value of one sample line (`name{labels} value`) of a scrape, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ N8N_METRICS: 'true' }, db);
  });
  afterAll(() => t.close());

  it('times API requests by route pattern and status, and counts executions by status', async () => {
    await fixtureExecution(t, 'success');
    await fixtureExecution(t, 'error');
    for (let i = 0; i < 3; i++) {
      expect((await t.app.inject({ url: '/api/v1/workflows?limit=1', headers: { 'x-n8n-api-key': t.ownerKey } })).statusCode).toBe(200);
    }
    await t.app.inject({ url: '/api/v1/workflows/nope123', headers: { 'x-n8n-api-key': t.ownerKey } });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(sample(text, 'n8n_http_request_duration_seconds_count{method="GET",route="/api/v1/workflows",status_code="200"}')).toBe(3);
    expect(sample(text, 'n8n_http_request_duration_seconds_count{method="GET",route="/api/v1/workflows/:id",status_code="404"}')).toBe(1);
    expect(sample(text, 'n8n_executions{status="success"}')).toBe(1);
    expect(sample(text, 'n8n_executions{status="error"}')).toBe(1);
    expect(sample(text, 'n8n_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Scrapes are not timed themselves, need no key and are not rate limited.
    expect(text).not.toContain('route="/metrics"');
  });

  it('takes the prefix from N8N_METRICS_PREFIX', async () => {
    const other = await buildTestApp({ N8N_METRICS: 'true', N8N_METRICS_PREFIX: 'flowgate_' }, db);
    try {
      const text = (await other.app.inject({ url: '/metrics' })).body;
      expect(text).toContain('flowgate_executions');
      expect(text).not.toContain('n8n_executions');
    } finally {
      await other.close();
    }
  });
});

describe('without N8N_METRICS', () => {
  it('has no /metrics', async () => {
    const t = await buildTestApp({}, db);
    try {
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
