import { diffOperations, diffWorkflowBody, equivalentPutBody } from './diff-fixtures.ts';
import { BENCH_CODE_WEBHOOK_PATH, BENCH_RUNNER_WEBHOOK_PATH, BENCH_WEBHOOK_PATH } from './execution-fixtures.ts';
import type { ScenarioResult } from './report.ts';
import type { ServersReady } from './servers.ts';
import { CREATE_BODY } from './workflow-fixtures.ts';

export interface Target {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH';
  headers?: Record<string, string>;
  body?: string;
}

/** A goal the app should reach in a scenario; printed as met or missed, never fails the run. */
export interface Goal {
  description: string;
  met(result: ScenarioResult): boolean;
}

/** One comparison: the same work asked of the app and of the baseline. */
export interface Scenario {
  name: string;
  app(servers: ServersReady): Target;
  baseline(servers: ServersReady): Target;
  goal?: Goal;
  /** Concurrent connections for this scenario, instead of BENCH_CONNECTIONS. */
  connections?: number;
  /** The two sides answer differently shaped bodies on purpose (PATCH against the equivalent PUT). */
  differentShapes?: boolean;
}

const diffNodeNames = diffWorkflowBody().nodes.map((n) => n.name);
const PATCH_BODY = JSON.stringify({ intent: 'bench', operations: diffOperations(diffNodeNames) });
const PUT_BODY = JSON.stringify(equivalentPutBody(diffWorkflowBody()));

const apiKey = (s: ServersReady) => ({ 'x-n8n-api-key': s.apiKey });
const JSON_BODY = { 'content-type': 'application/json' };

function patchScenario(
  variant: string,
  extra: Pick<Scenario, 'connections' | 'goal'>,
  patchHeaders: Record<string, string> = {},
): Scenario {
  const target = (s: ServersReady, method: 'PATCH' | 'PUT', body: string): Target => ({
    url: `${s.appUrl}/api/v1/workflows/${s.diffWorkflowId}`,
    method,
    headers: { ...apiKey(s), ...JSON_BODY, ...(method === 'PATCH' ? patchHeaders : {}) },
    body,
  });
  return {
    name: `PATCH 10 operations on a 200-node workflow (vs the equivalent full PUT), ${variant}`,
    differentShapes: true,
    app: (s) => target(s, 'PATCH', PATCH_BODY),
    baseline: (s) => target(s, 'PUT', PUT_BODY),
    ...extra,
  };
}

const EXECUTION_BODY = JSON.stringify({ n: 1 });

export const scenarios: Scenario[] = [
  {
    name: 'webhook run of a 10-node Set/IF workflow, data saved (vs the bare insert+save of an execution row)',
    differentShapes: true,
    app: (s) => ({ url: `${s.appUrl}/webhook/${BENCH_WEBHOOK_PATH}`, method: 'POST', headers: JSON_BODY, body: EXECUTION_BODY }),
    baseline: (s) => ({
      url: `${s.baselineUrl}/executions/${s.executionWorkflowId}`,
      method: 'POST',
      headers: JSON_BODY,
      body: EXECUTION_BODY,
    }),
    goal: { description: '≥ 200 executions/s with data saved', met: (r) => r.app.requestsPerSecond >= 200 },
  },
  {
    name: 'webhook run of the 10-node Set/IF workflow with expressions only a runner answers (vs the bare insert+save of an execution row)',
    differentShapes: true,
    app: (s) => ({ url: `${s.appUrl}/webhook/${BENCH_RUNNER_WEBHOOK_PATH}`, method: 'POST', headers: JSON_BODY, body: EXECUTION_BODY }),
    baseline: (s) => ({
      url: `${s.baselineUrl}/executions/${s.executionWorkflowId}`,
      method: 'POST',
      headers: JSON_BODY,
      body: EXECUTION_BODY,
    }),
  },
  {
    name: 'webhook run of a Webhook → Code → Set workflow, data saved (vs the bare insert+save of an execution row)',
    differentShapes: true,
    app: (s) => ({ url: `${s.appUrl}/webhook/${BENCH_CODE_WEBHOOK_PATH}`, method: 'POST', headers: JSON_BODY, body: EXECUTION_BODY }),
    baseline: (s) => ({
      url: `${s.baselineUrl}/executions/${s.codeWorkflowId}`,
      method: 'POST',
      headers: JSON_BODY,
      body: EXECUTION_BODY,
    }),
  },
  {
    name: 'healthz',
    app: (s) => ({ url: `${s.appUrl}/healthz` }),
    baseline: (s) => ({ url: `${s.baselineUrl}/healthz` }),
  },
  {
    name: 'api-keys list (authenticated)',
    app: (s) => ({ url: `${s.appUrl}/api/v1/api-keys`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/api-keys` }),
  },
  {
    name: 'GET /workflows/:id (30 nodes)',
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows/${s.workflowId}`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows/${s.workflowId}` }),
    goal: {
      description: 'app req/s >= 70% of the baseline',
      met: (r) => (r.ratio.requestsPerSecond ?? 0) >= 0.7,
    },
  },
  {
    name: 'GET /workflows page 1 of 10,000',
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows` }),
    goal: { description: 'app p50 < 15 ms', met: (r) => r.app.latencyMs.p50 < 15 },
  },
  // The ceiling of passing the documents through: a bare server that reads them as text and splices them in.
  {
    name: 'GET /workflows page 1 of 10,000 (vs a pass-through bare baseline)',
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows-pass-through` }),
  },
  // With 10 connections the p50 is mostly queueing (about connections / throughput); one client shows the latency
  // of the request itself.
  {
    name: 'GET /workflows page 1 of 10,000 (1 connection)',
    connections: 1,
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows` }),
    goal: { description: 'app p50 < 15 ms', met: (r) => r.app.latencyMs.p50 < 15 },
  },
  // Issue 17's list: a page of 100 workflows of 10 nodes (about 780 KB), against a bare server that parses and
  // serializes the rows again, and one that passes the documents through as text.
  {
    name: 'GET /workflows?limit=100 of 10-node workflows',
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows?limit=100&projectId=${s.tenNodeProjectId}`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows?projectId=${s.tenNodeProjectId}` }),
  },
  {
    name: 'GET /workflows?limit=100 of 10-node workflows (vs a pass-through bare baseline)',
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows?limit=100&projectId=${s.tenNodeProjectId}`, headers: apiKey(s) }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows-pass-through?projectId=${s.tenNodeProjectId}` }),
  },
  // The diff engine over HTTP against what a client without it would send: a full PUT of the same change,
  // both on the app (the "baseline" side here is the app's own PUT, not the bare server).
  patchScenario('1 connection', {
    // One client editing one workflow: writers to the same workflow queue on its row lock by design.
    connections: 1,
    goal: { description: 'app p50 < 25 ms', met: (r) => r.app.latencyMs.p50 < 25 },
  }),
  patchScenario('all connections on one workflow', {}),
  // The same edit answered with only what changed (what an AI agent reads back).
  patchScenario('1 connection, Prefer: return=minimal', { connections: 1 }, { prefer: 'return=minimal' }),
  // Last: every request adds a workflow, which would change the list above.
  {
    name: 'POST /workflows (create)',
    app: (s) => ({ url: `${s.appUrl}/api/v1/workflows`, method: 'POST', headers: { ...apiKey(s), ...JSON_BODY }, body: CREATE_BODY }),
    baseline: (s) => ({ url: `${s.baselineUrl}/workflows`, method: 'POST', headers: JSON_BODY, body: CREATE_BODY }),
    goal: { description: 'app >= 500 creates/s', met: (r) => r.app.requestsPerSecond >= 500 },
  },
];
