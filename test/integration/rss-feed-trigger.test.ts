import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { chain, type Json, node } from '../helpers/workflow-builders.ts';

/**
 * The RSS Feed Trigger as a polling trigger: polled on its poll times by the trigger poller, it starts a run only
 * with entries newer than the newest it saw (nothing at first, nothing twice), and keeps that in PostgreSQL.
 */
let t: TestApp;
let feed: Server;
let feedUrl: string;
const entries: { title: string; date: Date }[] = [{ title: 'Old news', date: new Date('2026-01-01T00:00:00Z') }];
const rss = () =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>${entries
    .map(
      (e) =>
        `<item><title>${e.title}</title><link>https://example.com/${encodeURIComponent(e.title)}</link><pubDate>${e.date.toUTCString()}</pubDate></item>`,
    )
    .join('')}</channel></rss>`;

beforeAll(async () => {
  feed = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rss());
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/feed.xml`;
  t = await buildTestApp({ TRIGGER_POLL_INTERVAL_MS: '100' });
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => feed.close(resolve));
});

const executionsOf = async (id: string) => (await api(t, 'GET', `/executions?workflowId=${id}&includeData=true`)).json().data as Json[];

describe('RSS Feed Trigger', () => {
  it('starts a run with each new entry once, nothing for what was there before it was activated', async () => {
    const nodes = [
      node('New entry', 'rssFeedReadTrigger', { feedUrl, pollTimes: { item: [{ mode: 'custom', cronExpression: '* * * * * *' }] } }),
      node('Pass', 'noOp'),
    ];
    const id = await createWorkflow(t, { name: 'Feed watcher', nodes, connections: chain(nodes), settings: {} });
    expect((await api(t, 'POST', `/workflows/${id}/activate`)).statusCode).toBe(200);

    // A poll has happened (its state is stored) and the old entry started nothing.
    await eventually(async () => {
      const { rows } = await t.app.runtime.sql.query('SELECT state FROM trigger_poll_state WHERE workflow_id = $1', [id]);
      return rows[0]?.state?.lastTimeChecked ? true : undefined;
    }, 'the first poll');
    expect(await executionsOf(id)).toEqual([]);

    entries.push({ title: 'Fresh', date: new Date(Date.now() + 2000) });
    const [run] = await eventually(
      async () => {
        const done = (await executionsOf(id)).filter((e) => e.status === 'success');
        return done.length ? done : undefined;
      },
      'the run for the new entry',
      10_000,
    );
    expect(run?.mode).toBe('trigger');
    const items = (run!.data as { resultData: { runData: Record<string, { data: { main: { json: Json }[][] } }[]> } }).resultData.runData
      .Pass![0]!.data.main[0]!;
    expect(items.map((item) => item.json.title)).toEqual(['Fresh']);

    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await executionsOf(id)).length).toBe(1);
    await api(t, 'POST', `/workflows/${id}/deactivate`);
  });
});
