import type { ServersReady } from './servers.ts';

export interface Target {
  url: string;
  headers?: Record<string, string>;
}

/** One comparison: the same work asked of the app and of the baseline. */
export interface Scenario {
  name: string;
  app(servers: ServersReady): Target;
  baseline(servers: ServersReady): Target;
}

export const scenarios: Scenario[] = [
  {
    name: 'healthz',
    app: (s) => ({ url: `${s.appUrl}/healthz` }),
    baseline: (s) => ({ url: `${s.baselineUrl}/healthz` }),
  },
  {
    name: 'api-keys list (authenticated)',
    app: (s) => ({ url: `${s.appUrl}/api/v1/api-keys`, headers: { 'x-n8n-api-key': s.apiKey } }),
    baseline: (s) => ({ url: `${s.baselineUrl}/api-keys` }),
  },
];
