import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SqlClient } from '../../db/client.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import type { ExecutionData, JsonObject, WorkflowDefinition, WorkflowNode } from '../../engine/types.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { ExecutionRunner } from '../executions/execution-runner.ts';
import type { WorkflowLoader } from '../executions/workflow-loader.ts';
import { normalisePath } from './trigger-registrations.ts';
import { findWebhook, methodsForPath } from './webhooks.repository.ts';

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export interface WebhooksServiceDeps {
  sql: SqlClient;
  runner: Pick<ExecutionRunner, 'start'>;
  loader: Pick<WorkflowLoader, 'published'>;
  credentials: Pick<CredentialsService, 'decryptForNode'>;
  baseUrl: string;
  /** The path segment webhooks live under (`webhook`), for the `webhookUrl` the workflow sees. */
  basePath: string;
}

/** One call to a production webhook, as the HTTP layer received it. */
export interface WebhookRequest {
  method: string;
  /** The path after the webhook prefix, as received (normalised here). */
  path: string;
  headers: IncomingHttpHeaders;
  query: unknown;
  body: unknown;
}

/** What the caller gets: sent as it is (no body when undefined, a string as text, anything else as JSON). */
export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

interface Denial {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

const answer = (status: number, body?: unknown, headers: Record<string, string> = {}): WebhookAnswer => ({ status, headers, body });

/**
 * Production webhooks of active workflows: match the registration, load the published version, apply the Webhook
 * node's own authentication, run the workflow, and answer as the node's response mode says.
 */
export function createWebhooksService(deps: WebhooksServiceDeps) {
  const { sql } = deps;

  async function handle(request: WebhookRequest): Promise<WebhookAnswer> {
    const path = normalisePath(request.path);
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const match = path ? await findWebhook(sql, method, path) : undefined;
    const workflow = match ? await deps.loader.published(match.workflowId, match.activeVersionId, match.projectId) : undefined;
    const node = workflow?.nodes.find((n) => n.name === match?.node);
    if (!match || !workflow || !node) return notRegistered(method, path);

    const denied = await checkAuthentication(workflow, node, request.headers);
    if (denied) return answer(denied.status, { message: denied.message }, denied.headers);

    const item: JsonObject = {
      headers: request.headers,
      params: match.params,
      query: request.query ?? {},
      body: request.body ?? {},
      webhookUrl: `${deps.baseUrl}${deps.basePath}/${path}`,
      executionMode: 'production',
    };
    const params = node.parameters;
    const options = (params.options ?? {}) as JsonObject;
    const responseMode = String(params.responseMode ?? 'onReceived');
    const responseCode = Number(options.responseCode ?? params.responseCode ?? 200);

    let respond: (response: WebhookResponse) => void = () => {};
    const nodeResponse = new Promise<WebhookResponse>((resolve) => {
      respond = resolve;
    });
    const run = await deps.runner.start({
      workflow,
      mode: 'webhook',
      start: { node: node.name, items: [{ json: item }] },
      ...(responseMode === 'responseNode' ? { onResponse: (r: WebhookResponse) => respond(r) } : {}),
    });

    if (responseMode === 'onReceived') {
      if (options.responseData === 'noData') return answer(responseCode);
      return answer(responseCode, { message: 'Workflow was started' });
    }
    if (responseMode === 'responseNode') {
      const first = await Promise.race([nodeResponse, run.done]);
      if ('statusCode' in first) return nodeAnswer(first);
      return first.status === 'success'
        ? answer(200, { message: 'Workflow executed successfully' })
        : answer(500, { message: 'Error in workflow' });
    }
    const finished = await run.done;
    if (finished.status !== 'success') return answer(500, { message: 'Error in workflow' });
    return answer(responseCode, lastNodeBody(finished.data, String(params.responseData ?? 'firstEntryJson')));
  }

  async function notRegistered(method: string, path: string): Promise<WebhookAnswer> {
    const others = path ? await methodsForPath(sql, path) : [];
    if (others.length > 0) {
      return answer(404, {
        code: 404,
        message: `This webhook is not registered for ${method} requests. Did you mean to make a ${others[0]} request?`,
      });
    }
    return answer(404, {
      code: 404,
      message: `The requested webhook "${method} ${path}" is not registered.`,
      hint: "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)",
    });
  }

  /** The Webhook node's own authentication (basic or header auth), compared in constant time. */
  async function checkAuthentication(
    workflow: WorkflowDefinition,
    node: WorkflowNode,
    headers: IncomingHttpHeaders,
  ): Promise<Denial | undefined> {
    const mode = String(node.parameters.authentication ?? 'none');
    if (mode === 'none') return undefined;
    const credentialType = mode === 'basicAuth' ? 'httpBasicAuth' : mode === 'headerAuth' ? 'httpHeaderAuth' : undefined;
    if (!credentialType) return { status: 500, message: `Webhook authentication "${mode}" is not supported by this server` };
    let secret: JsonObject;
    try {
      secret = await deps.credentials.decryptForNode(node.credentials?.[credentialType], credentialType, node.name, workflow.projectId);
    } catch {
      return { status: 500, message: 'No authentication data defined on node!' };
    }
    if (credentialType === 'httpBasicAuth') {
      const header = headers.authorization ?? '';
      if (!header.startsWith('Basic '))
        return { status: 401, message: 'Authorization is required!', headers: { 'www-authenticate': 'Basic realm="Webhook"' } };
      const expected = `${String(secret.user ?? '')}:${String(secret.password ?? '')}`;
      const given = Buffer.from(header.slice(6), 'base64').toString('utf8');
      return safeEqual(given, expected) ? undefined : { status: 403, message: 'Authorization data is wrong!' };
    }
    const name = String(secret.name ?? '').toLowerCase();
    const given = headers[name];
    if (typeof given !== 'string' || !safeEqual(given, String(secret.value ?? '')))
      return { status: 403, message: 'Authorization data is wrong!' };
    return undefined;
  }

  return { handle };
}

/** Respond to Webhook's answer: its status and headers; a body that is not text goes out as JSON. */
function nodeAnswer(response: WebhookResponse): WebhookAnswer {
  const { statusCode, headers: own, body } = response;
  if (body === undefined || typeof body === 'string') return answer(statusCode, body, own);
  // Last, so JSON wins over a content type the node set (header names are case-insensitive: the later one counts).
  return answer(statusCode, JSON.stringify(body), { ...own, 'content-type': 'application/json; charset=utf-8' });
}

/** "When last node finishes": the first item's json (default), all items, or nothing. */
function lastNodeBody(data: ExecutionData, responseData: string): unknown {
  const last = data.resultData.lastNodeExecuted;
  const runs = last ? data.resultData.runData[last] : undefined;
  const items = runs?.[runs.length - 1]?.data?.main[0] ?? [];
  if (responseData === 'noData') return undefined;
  if (responseData === 'allEntries') return items.map((item) => item.json);
  return items[0]?.json ?? { message: 'Workflow executed successfully' };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
