import type { TestApp } from './test-app.ts';

export interface SampleRequest {
  url: string;
  payload?: unknown;
}

/**
 * One valid request per route, keyed by `METHOD pattern`. The auth matrix uses it to prove each route answers
 * 401, 403 and 2xx as it should; a route without an entry here fails that test, so new routes must add one.
 */
export const ROUTE_FIXTURES: Record<string, (t: TestApp) => Promise<SampleRequest>> = {
  'GET /healthz': async () => ({ url: '/healthz' }),
  'GET /healthz/readiness': async () => ({ url: '/healthz/readiness' }),
  'GET /api/v1/openapi.json': async () => ({ url: '/api/v1/openapi.json' }),
  'GET /api/v1/api-keys': async () => ({ url: '/api/v1/api-keys' }),
  'POST /api/v1/api-keys': async () => ({
    url: '/api/v1/api-keys',
    // Only scopes the caller holds: a key with exactly apiKey:create may mint another such key.
    payload: { label: 'matrix', scopes: ['apiKey:create'] },
  }),
  'DELETE /api/v1/api-keys/:id': async (t) => {
    const { apiKey } = await t.app.services.apiKeys.create({ label: 'to revoke', scopes: ['tag:read'] });
    return { url: `/api/v1/api-keys/${apiKey.id}` };
  },
};
