import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { SqlClient } from '../../db/client.ts';
import type { WebhookResponse } from '../../engine/node-types.ts';
import type { BinaryData, ExecutionData, Item, JsonObject } from '../../engine/types.ts';
import type { BinaryDataService } from '../binary-data/binary-data.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { ExecutionRunner } from '../executions/execution-runner.ts';
import type { WorkflowLoader } from '../executions/workflow-loader.ts';
import { normalisePath } from './trigger-registrations.ts';
import { checkWebhookAuthentication } from './webhook-auth.ts';
import { binaryOfReceived, type ReceivedBody, type ReceivedFile } from './webhook-body.ts';
import { startCalledRun } from './webhook-run.ts';
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
  /** Where uploaded files are (undefined: inside the items); uploads are handed to the execution they start. */
  binaryData: Pick<BinaryDataService, 'adopt' | 'stream'> | undefined;
}

/** One call to a production webhook, as the HTTP layer received it. */
export interface WebhookRequest {
  method: string;
  /** The path after the webhook prefix, as received (normalised here). */
  path: string;
  headers: IncomingHttpHeaders;
  query: unknown;
  /** The body, with any files stored (see webhook-body.ts). */
  readBody(): Promise<ReceivedBody>;
}

/** What the caller gets: sent as it is (no body when undefined, a string as text, anything else as JSON). */
export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
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

    const denied = await checkWebhookAuthentication(deps.credentials, workflow, node, request.headers);
    if (denied) return answer(denied.status, { message: denied.message }, denied.headers);

    const params = node.parameters;
    const options = (params.options ?? {}) as JsonObject;
    const received = await request.readBody();
    const item: Item = {
      json: {
        headers: request.headers,
        params: match.params,
        query: request.query ?? {},
        body: (received.body ?? {}) as JsonObject,
        webhookUrl: `${deps.baseUrl}${deps.basePath}/${path}`,
        executionMode: 'production',
      } as JsonObject,
    };
    const binary = binaryOfUploads(received.files, String(options.binaryPropertyName ?? ''));
    if (binary) item.binary = binary;
    const responseMode = String(params.responseMode ?? 'onReceived');
    const responseCode = Number(options.responseCode ?? params.responseCode ?? 200);

    const { run, nodeResponse } = await startCalledRun(deps, {
      workflow,
      node: node.name,
      item,
      files: received.files,
      answersThroughNode: responseMode === 'responseNode',
    });

    if (responseMode === 'onReceived') {
      if (options.responseData === 'noData') return answer(responseCode);
      return answer(responseCode, { message: 'Workflow was started' });
    }
    if (responseMode === 'responseNode') {
      const first = await Promise.race([nodeResponse, run.done]);
      if ('statusCode' in first) return nodeAnswer(first, deps.binaryData);
      return first.status === 'success'
        ? answer(200, { message: 'Workflow executed successfully' })
        : answer(500, { message: 'Error in workflow' });
    }
    const finished = await run.done;
    if (finished.status !== 'success') return answer(500, { message: 'Error in workflow' });
    const responseData = String(params.responseData ?? 'firstEntryJson');
    if (responseData === 'firstEntryBinary') {
      const file = lastNodeItems(finished.data)[0]?.binary?.[String(params.responseBinaryPropertyName ?? 'data')];
      if (!file) return answer(500, { message: 'No binary data to return was found.' });
      return answer(responseCode, await binaryStream(file, deps.binaryData), binaryHeaders(file, {}));
    }
    return answer(responseCode, lastNodeBody(finished.data, responseData));
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

  return { handle };
}

/** Respond to Webhook's answer: its status and headers; a file streams; a body that is not text goes out as JSON. */
async function nodeAnswer(response: WebhookResponse, storage: Pick<BinaryDataService, 'stream'> | undefined): Promise<WebhookAnswer> {
  const { statusCode, headers: own, body } = response;
  if (response.binary) return answer(statusCode, await binaryStream(response.binary, storage), binaryHeaders(response.binary, own));
  if (body === undefined || typeof body === 'string') return answer(statusCode, body, own);
  // Last, so JSON wins over a content type the node set (header names are case-insensitive: the later one counts).
  return answer(statusCode, JSON.stringify(body), { ...own, 'content-type': 'application/json; charset=utf-8' });
}

function lastNodeItems(data: ExecutionData): Item[] {
  const last = data.resultData.lastNodeExecuted;
  const runs = last ? data.resultData.runData[last] : undefined;
  return runs?.[runs.length - 1]?.data?.main[0] ?? [];
}

/** The files a call carried as the item's binary properties, named as n8n's Webhook node names them. */
function binaryOfUploads(files: ReceivedFile[], prefix: string): Record<string, BinaryData> | undefined {
  if (!files.length) return undefined;
  const binary: Record<string, BinaryData> = {};
  const perField = new Map<string, number>();
  for (const file of files) perField.set(file.field ?? '', (perField.get(file.field ?? '') ?? 0) + 1);
  const seen = new Map<string, number>();
  files.forEach((file, count) => {
    const field = (file.field ?? '').replace(/\[\]$/, '');
    let name = field || 'data';
    if ((perField.get(file.field ?? '') ?? 0) > 1) {
      const index = seen.get(field) ?? 0;
      seen.set(field, index + 1);
      name += index;
    }
    // A raw body is one file under the option's name (default "data"); form files under the name plus their count.
    if (prefix) name = file.field === undefined ? prefix : `${prefix}${count}`;
    binary[name] = binaryOfReceived(file);
  });
  return binary;
}

async function binaryStream(file: BinaryData, storage: Pick<BinaryDataService, 'stream'> | undefined): Promise<Readable | Buffer> {
  if (file.id && storage) return storage.stream(file.id);
  return Buffer.from(file.data ?? '', 'base64');
}

/** A file's own type and length, unless the node set them. */
function binaryHeaders(file: BinaryData, own: Record<string, string>): Record<string, string> {
  return {
    'content-type': file.mimeType,
    ...(file.bytes !== undefined ? { 'content-length': String(file.bytes) } : {}),
    ...own,
  };
}

/** "When last node finishes": the first item's json (default), all items, or nothing. */
function lastNodeBody(data: ExecutionData, responseData: string): unknown {
  const items = lastNodeItems(data);
  if (responseData === 'noData') return undefined;
  if (responseData === 'allEntries') return items.map((item) => item.json);
  return items[0]?.json ?? { message: 'Workflow executed successfully' };
}
