import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WEBHOOK_MAX: '5' });
  const headers = { 'x-n8n-api-key': t.ownerKey };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workflows',
    headers,
    payload: {
      name: 'Limited hook',
      nodes: [
        {
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          parameters: { path: 'limited', httpMethod: 'POST' },
        },
      ],
      connections: {},
      settings: {},
    },
  });
  await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${created.json().id}/activate`, headers });
});
afterAll(() => t.close());

describe('webhook rate limit', () => {
  it('gives webhooks their own per-address budget, apart from the API limit', async () => {
    // The two API calls above used 2 of the API's 3; webhooks count against their own 5.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.app.inject({ method: 'POST', url: '/webhook/limited', payload: {} })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await t.app.inject({ method: 'POST', url: '/webhook/limited', payload: {} });
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();

    const api = await t.app.inject({ method: 'GET', url: '/api/v1/workflows', headers: { 'x-n8n-api-key': t.ownerKey } });
    expect(api.statusCode).toBe(200);
    const over = await t.app.inject({ method: 'GET', url: '/api/v1/workflows', headers: { 'x-n8n-api-key': t.ownerKey } });
    expect(over.statusCode).toBe(429);
  });
});
