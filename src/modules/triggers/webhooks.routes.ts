import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SqlClient } from '../../db/client.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import type { ExecutionData, JsonObject, WorkflowDefinition, WorkflowNode } from '../../engine/types.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { ExecutionRunner } from '../executions/execution-runner.ts';
import type { WorkflowLoader } from '../executions/workflow-loader.ts';
import { normalisePath } from './trigger-registrations.ts';
import { findWebhook, methodsForPath } from './webhook-lookup.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

export interface WebhookRouteDeps {
  sql: SqlClient;
  runner: ExecutionRunner;
  loader: WorkflowLoader;
  credentials: Pick<CredentialsService, 'decryptForNode'>;
  baseUrl: string;
  /** The path segment webhooks live under (`webhook`); not named `prefix`, which Fastify would apply itself. */
  basePath: string;
}

/**
 * Production webhooks: `/<prefix>/<path>` of active workflows, on every instance (registrations live in
 * PostgreSQL). Public routes: the workflow's own Webhook node decides about authentication.
 */
export async function webhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps) {
  // Webhooks accept what callers send, not just JSON: forms as objects, anything else as text.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString())));
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body.toString()));

  app.route({
    method: [...METHODS],
    url: `/${deps.basePath}/*`,
    config: { public: true },
    schema: { hide: true },
    // The workflow decides the answer (any status, any body): the API's standard error schemas (500, 429)
    // that every route gets must not reject it, so bodies are serialised as they are.
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: (request, reply) => handleWebhook(deps, request, reply),
  });
}

async function handleWebhook(deps: WebhookRouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const { sql } = deps;
  const path = normalisePath((request.params as { '*': string })['*'] ?? '');
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const match = path ? await findWebhook(sql, method, path) : undefined;
  const workflow = match ? await deps.loader.published(match.workflowId, match.activeVersionId, match.projectId) : undefined;
  const node = workflow?.nodes.find((n) => n.name === match?.node);
  if (!match || !workflow || !node) return notRegistered(reply, sql, method, path);

  const denied = await checkAuthentication(deps, workflow, node, request);
  if (denied)
    return reply
      .status(denied.status)
      .headers(denied.headers ?? {})
      .send({ message: denied.message });

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
  const handle = await deps.runner.start({
    workflow,
    mode: 'webhook',
    start: { node: node.name, items: [{ json: item }] },
    ...(responseMode === 'responseNode' ? { onResponse: (r: WebhookResponse) => respond(r) } : {}),
  });

  if (responseMode === 'onReceived') {
    if (options.responseData === 'noData') return reply.status(responseCode).send();
    return reply.status(responseCode).send({ message: 'Workflow was started' });
  }
  if (responseMode === 'responseNode') {
    const first = await Promise.race([nodeResponse, handle.done]);
    if ('statusCode' in first) return sendNodeResponse(reply, first);
    return reply
      .status(first.status === 'success' ? 200 : 500)
      .send(first.status === 'success' ? { message: 'Workflow executed successfully' } : { message: 'Error in workflow' });
  }
  const finished = await handle.done;
  if (finished.status !== 'success') return reply.status(500).send({ message: 'Error in workflow' });
  return reply.status(responseCode).send(lastNodeBody(finished.data, String(params.responseData ?? 'firstEntryJson')));
}

function sendNodeResponse(reply: FastifyReply, response: WebhookResponse) {
  reply.status(response.statusCode).headers(response.headers);
  if (response.body === undefined) return reply.send();
  if (typeof response.body === 'string') return reply.send(response.body);
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(response.body));
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

async function notRegistered(reply: FastifyReply, sql: SqlClient, method: string, path: string) {
  const others = path ? await methodsForPath(sql, path) : [];
  if (others.length > 0) {
    return reply.status(404).send({
      code: 404,
      message: `This webhook is not registered for ${method} requests. Did you mean to make a ${others[0]} request?`,
    });
  }
  return reply.status(404).send({
    code: 404,
    message: `The requested webhook "${method} ${path}" is not registered.`,
    hint: "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)",
  });
}

interface Denial {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** The Webhook node's own authentication (basic or header auth), compared in constant time. */
async function checkAuthentication(
  deps: WebhookRouteDeps,
  workflow: WorkflowDefinition,
  node: WorkflowNode,
  request: FastifyRequest,
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
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic '))
      return { status: 401, message: 'Authorization is required!', headers: { 'www-authenticate': 'Basic realm="Webhook"' } };
    const expected = `${String(secret.user ?? '')}:${String(secret.password ?? '')}`;
    const given = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return safeEqual(given, expected) ? undefined : { status: 403, message: 'Authorization data is wrong!' };
  }
  const name = String(secret.name ?? '').toLowerCase();
  const given = request.headers[name];
  if (typeof given !== 'string' || !safeEqual(given, String(secret.value ?? '')))
    return { status: 403, message: 'Authorization data is wrong!' };
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
