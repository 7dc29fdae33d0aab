import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../lib/error-codes.ts';
import { ErrorSchema } from '../lib/schemas.ts';
import type { Example } from './openapi-examples.ts';
import { OPERATION_DOCS, type OperationDoc } from './openapi-operations.ts';

type TransformArgs = Parameters<typeof jsonSchemaTransform>[0];
type TransformObjectArgs = Parameters<typeof jsonSchemaTransformObject>[0];
type Json = Record<string, unknown>;
type RouteSchema = { hide?: boolean; operationId?: string; body?: unknown; querystring?: unknown; params?: unknown; response?: Json };

/** Methods whose bodies Fastify parses: a too-large (413) or non-JSON (415) body is refused on every one. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How the server answers each error status: the code in the body, the meaning, and an example body. */
export const ERROR_RESPONSES: Record<number, { name: string; code: ErrorCode; description: string; message: string }> = {
  400: {
    name: 'BadRequest',
    code: 'VALIDATION_ERROR',
    description: 'The request is invalid; the message names the field and how to fix it, `details` lists every issue.',
    message: "request/body must have required property 'name'",
  },
  401: {
    name: 'Unauthorized',
    code: 'UNAUTHORIZED',
    description: 'The X-N8N-API-KEY header is missing, or the key is unknown, expired or revoked.',
    message: 'Unauthorized',
  },
  403: { name: 'Forbidden', code: 'FORBIDDEN', description: 'The API key lacks the scope this operation requires.', message: 'Forbidden' },
  404: {
    name: 'NotFound',
    code: 'NOT_FOUND',
    description: 'The resource does not exist, or is in a project the key cannot see.',
    message: 'Not Found',
  },
  409: {
    name: 'Conflict',
    code: 'CONFLICT',
    description: 'The request conflicts with the resource’s current state.',
    message: 'Workflow "Orders" is already archived',
  },
  413: {
    name: 'PayloadTooLarge',
    code: 'PAYLOAD_TOO_LARGE',
    description: 'The body is larger than the server accepts (N8N_PAYLOAD_SIZE_MAX, in MiB).',
    message: 'Request body is larger than the server accepts (N8N_PAYLOAD_SIZE_MAX).',
  },
  415: {
    name: 'UnsupportedMediaType',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    description: 'A body was sent that is not `application/json`, or a required body is missing without a Content-Type.',
    message: 'Unsupported Media Type: text/plain. Send the body as JSON with Content-Type: application/json.',
  },
  429: {
    name: 'RateLimited',
    code: 'RATE_LIMITED',
    description: 'Too many requests from this address or with this key; retry after `Retry-After` seconds.',
    message: 'Rate limit exceeded (per client address): retry in 12 seconds',
  },
  500: {
    name: 'Internal',
    code: 'INTERNAL',
    description: 'An unexpected error; the details are in the server log only.',
    message: 'Internal server error',
  },
  503: {
    name: 'NotReady',
    code: 'NOT_READY',
    description: 'A service the server depends on is not reachable.',
    message: 'Database is not reachable',
  },
};

const EXAMPLE_REQUEST_ID = 'req-3f2b9c1e-7a4d-4e8b-9c6f-1d2e3f4a5b6c';

/** `/api/v1/workflows/:id` → `/workflows/{id}`: the key of OPERATION_DOCS. */
export function docKey(method: string, url: string, prefix: string): string {
  const path = url.startsWith(`${prefix}/`) ? url.slice(prefix.length) : url;
  return `${method} ${path.replace(/:(\w+)/g, '{$1}')}`;
}

export interface DocumentedOperation {
  key: string;
  doc?: OperationDoc;
  scopes: readonly string[];
  /** A valid key without any scope (n8n's `x-required-scope: none`). */
  anyKey: boolean;
  public: boolean;
  bodyRequired: boolean;
  errorStatuses: number[];
}

/** Every error status the server can answer for this route (see ERROR_RESPONSES), in ascending order. */
export function errorStatusesOf(route: RouteOptions, method: string, prefix: string, doc: OperationDoc | undefined): number[] {
  const schema = (route.schema ?? {}) as RouteSchema;
  const statuses = new Set<number>([429, 500]);
  // Every API route checks its query and path strings (json-body.ts); others only what their schema declares.
  if (route.url.startsWith(`${prefix}/`) || schema.body || schema.querystring || schema.params) statuses.add(400);
  if (route.config?.public !== true) statuses.add(401);
  if (route.config?.public !== true && route.config?.anyKey !== true) statuses.add(403);
  if (route.url.includes(':')) statuses.add(404);
  if (BODY_METHODS.has(method)) {
    statuses.add(413);
    statuses.add(415);
  }
  for (const status of Object.keys(doc?.errors ?? {})) statuses.add(Number(status));
  return [...statuses].sort((a, b) => a - b);
}

function walkRefs(value: unknown, visit: (ref: string) => string): void {
  if (Array.isArray(value)) {
    for (const v of value) walkRefs(v, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Json;
  if (typeof object.$ref === 'string') object.$ref = visit(object.$ref);
  for (const child of Object.values(object)) walkRefs(child, visit);
}

const SCHEMA_REF = '#/components/schemas/';

/** Names of the component schemas reachable from the paths. */
function reachableSchemas(document: Json, schemas: Json): Set<string> {
  const seen = new Set<string>();
  const queue: unknown[] = [document.paths];
  while (queue.length) {
    walkRefs(queue.pop(), (ref) => {
      const name = ref.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : undefined;
      if (name && !seen.has(name) && schemas[name]) {
        seen.add(name);
        queue.push(schemas[name]);
      }
      return ref;
    });
  }
  return seen;
}

/**
 * fastify-type-provider-zod emits every registered schema twice: `X` (output, for responses) and `XInput` (input,
 * for requests), whether used or not. One copy stays per schema: the input variant where requests use it (it is
 * the looser one: fields with defaults are optional, and every response also satisfies it), else the output one.
 * Schemas no operation reaches are dropped.
 */
export function keepOneCopyPerSchema(document: Json): void {
  const components = document.components as { schemas?: Json };
  const schemas = components.schemas ?? {};
  const used = reachableSchemas(document, schemas);
  for (const name of Object.keys(schemas)) {
    const base = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (!base || !(base in schemas)) continue;
    if (used.has(name)) schemas[base] = schemas[name];
    delete schemas[name];
  }
  walkRefs(document, (ref) =>
    ref.startsWith(SCHEMA_REF) && ref.endsWith('Input') && ref.slice(SCHEMA_REF.length, -5) in schemas ? ref.slice(0, -5) : ref,
  );
  const reachable = reachableSchemas(document, schemas);
  for (const name of Object.keys(schemas)) if (!reachable.has(name)) delete schemas[name];
}

const examplesOf = (examples: Record<string, Example>) =>
  Object.fromEntries(Object.entries(examples).map(([name, { summary, value }]) => [name, { summary, value }]));

const errorExample = (status: number) => {
  const { code, message } = ERROR_RESPONSES[status]!;
  return { message, code, requestId: EXAMPLE_REQUEST_ID };
};

/** n8n's `x-required-scope`: the scopes, comma-separated; `none` where any valid key will do. */
const requiredScope = (info: DocumentedOperation) => (info.scopes.length ? info.scopes.join(',') : info.anyKey ? 'none' : undefined);

function describe(info: DocumentedOperation, doc: OperationDoc): string {
  const scope = info.public
    ? 'none: no API key needed.'
    : info.scopes.length
      ? info.scopes.map((s) => `\`${s}\``).join(', ')
      : 'none: any valid API key.';
  const codes = info.errorStatuses
    .flatMap((status) =>
      [ERROR_RESPONSES[status]!.code, ...(doc.extraCodes?.[status as keyof OperationDoc['extraCodes']] ?? [])].map(
        (code) => `\`${code}\` (${status})`,
      ),
    )
    .join(', ');
  return `${doc.description}\n\n**Required scope:** ${scope}\n\n**Error codes:** ${codes}.`;
}

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  requestBody?: { required?: boolean; content?: Record<string, Json> };
  responses: Record<string, Json>;
  [extension: `x-${string}`]: unknown;
};

function documentResponses(operation: Operation, doc: OperationDoc): void {
  for (const [statusText, response] of Object.entries(operation.responses)) {
    const status = Number(statusText);
    if (status < 400) {
      response.description = doc.success[status] ?? 'Success';
      const content = response.content as Record<string, Json> | undefined;
      if (status === 204) delete response.content;
      const examples = doc.responseExamples?.[status];
      if (examples && content?.['application/json']) content['application/json'].examples = examplesOf(examples);
      continue;
    }
    const generic = ERROR_RESPONSES[status];
    if (!generic) continue;
    const specific = doc.errors?.[status as keyof OperationDoc['errors']];
    const json = (response.content as Record<string, Json> | undefined)?.['application/json'];
    const isPlainError = (json?.schema as Json | undefined)?.$ref === `${SCHEMA_REF}Error`;
    if (isPlainError && !specific) {
      operation.responses[statusText] = { $ref: `#/components/responses/${generic.name}` };
      continue;
    }
    response.description = specific ?? generic.description;
    if (json) json.example = errorExample(status);
  }
}

function documentOperation(operation: Operation, info: DocumentedOperation | undefined): void {
  if (!info) return;
  const scope = requiredScope(info);
  if (scope) operation['x-required-scope'] = scope;
  if (operation.requestBody) operation.requestBody.required = info.bodyRequired;
  // A route without an entry keeps the texts of its own schema (the coverage test asks for an entry).
  const doc = info.doc ?? { summary: operation.summary ?? '', description: operation.description ?? '', success: {} };
  operation.summary = doc.summary;
  operation.description = describe(info, doc);
  const json = operation.requestBody?.content?.['application/json'];
  if (json && doc.requestExamples) json.examples = examplesOf(doc.requestExamples);
  documentResponses(operation, doc);
}

function errorComponents(): Json {
  return Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { name, description }]) => [
      name,
      {
        description,
        ...(status === '429'
          ? { headers: { 'Retry-After': { description: 'Seconds until a retry can succeed', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}Error` }, example: errorExample(Number(status)) } },
      },
    ]),
  );
}

/**
 * The swagger `transform` and `transformObject` pair: zod schemas become JSON Schema (fastify-type-provider-zod),
 * then every operation gets its texts, scopes, examples and per-status responses from OPERATION_DOCS and the
 * route contract. Routes are not touched: only the document changes.
 */
export function createDocumentTransforms(prefix: string) {
  const operations = new Map<string, DocumentedOperation>();

  const transform = (args: TransformArgs) => {
    const { route } = args;
    const schema = args.schema as RouteSchema | undefined;
    const method = String(Array.isArray(route.method) ? route.method[0] : route.method);
    if (!schema || schema.hide || method === 'HEAD') return jsonSchemaTransform(args);
    const key = docKey(method, route.url, prefix);
    const doc = OPERATION_DOCS[key];
    const errorStatuses = errorStatusesOf(route, method, prefix, doc);
    const response: Json = { ...schema.response };
    for (const status of errorStatuses) response[status] ??= ErrorSchema;
    if (schema.operationId) {
      operations.set(schema.operationId, {
        key,
        doc,
        scopes: route.config?.scopes ?? [],
        anyKey: route.config?.anyKey === true,
        public: route.config?.public === true,
        bodyRequired: route.config?.bodyRequired === true,
        errorStatuses,
      });
    }
    return jsonSchemaTransform({ ...args, schema: { ...schema, response } as TransformArgs['schema'] });
  };

  const transformObject = (args: TransformObjectArgs) => {
    const document = jsonSchemaTransformObject(args) as Json & { paths: Record<string, Record<string, Operation>>; components: Json };
    keepOneCopyPerSchema(document);
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) documentOperation(operation, operations.get(operation.operationId ?? ''));
    }
    document.components.responses = errorComponents();
    return document as ReturnType<typeof jsonSchemaTransformObject>;
  };

  return { transform, transformObject, operations };
}
