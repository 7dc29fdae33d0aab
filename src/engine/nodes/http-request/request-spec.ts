import { FormData } from 'undici';
import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { BinaryData, Item } from '../../types.ts';

/** One HTTP request as the node's parameters describe it for one item (expressions already resolved). */
export interface RequestSpec {
  method: string;
  url: URL;
  /** The URL parameter as the node gave it (n8n's credential-domain message quotes it). */
  requestedUrl: string;
  /** Lower-case names, so later settings (credentials) replace earlier ones whatever their case. */
  headers: Record<string, string>;
  body?: string | Buffer | FormData;
  timeoutMs: number;
  followRedirects: boolean;
  maxRedirects: number;
  allowUnauthorizedCerts: boolean;
  responseFormat: ResponseFormat;
  fullResponse: boolean;
  neverError: boolean;
  outputPropertyName: string;
  /** Set when the applied credential may only be sent to these hosts (n8n's `allowedDomains`): every hop is held to it. */
  credentialDomains?: string;
}

export type ResponseFormat = 'autodetect' | 'json' | 'text' | 'file';

const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_TIMEOUT_MS = 3_600_000;
/** n8n's (and request's) default redirect limit. */
const DEFAULT_MAX_REDIRECTS = 21;

interface NameValue {
  name?: unknown;
  value?: unknown;
  parameterType?: unknown;
  inputDataFieldName?: unknown;
}

export function buildRequestSpec(ctx: NodeContext, itemIndex: number, item = ctx.items[itemIndex]): RequestSpec {
  const param: ParamReader = <T>(path: string, fallback?: unknown) => ctx.getParam<T>(path, itemIndex, fallback as T);
  const method = String(param('method', 'GET')).toUpperCase();
  const requestedUrl = String(param('url', '')).trim();
  const url = parseUrl(requestedUrl, itemIndex);

  if (param('sendQuery', false)) {
    const arrayFormat = String(param('options.queryParameterArrays', 'repeat'));
    for (const [name, value] of sentPairs(param, 'Query', itemIndex)) appendQuery(url.searchParams, name, value, arrayFormat);
  }

  const headers: Record<string, string> = {
    accept: acceptFor(String(param('options.response.response.responseFormat', 'autodetect'))),
    'accept-encoding': 'gzip, deflate, br',
    'user-agent': 'n8n',
  };
  if (param('sendHeaders', false)) {
    for (const [name, value] of sentPairs(param, 'Headers', itemIndex)) headers[name.toLowerCase()] = textOf(value);
  }

  const spec: RequestSpec = {
    method,
    url,
    requestedUrl,
    headers,
    timeoutMs: timeoutOf(param('options.timeout', DEFAULT_TIMEOUT_MS)),
    followRedirects: param('options.redirect.redirect.followRedirects', true) !== false,
    maxRedirects: Number(param('options.redirect.redirect.maxRedirects', DEFAULT_MAX_REDIRECTS)) || DEFAULT_MAX_REDIRECTS,
    allowUnauthorizedCerts: param('options.allowUnauthorizedCerts', false) === true,
    responseFormat: responseFormatOf(param('options.response.response.responseFormat', 'autodetect'), itemIndex),
    fullResponse: param('options.response.response.fullResponse', false) === true,
    neverError: param('options.response.response.neverError', false) === true,
    outputPropertyName: String(param('options.response.response.outputPropertyName', 'data')) || 'data',
  };
  if (param('sendBody', false) && method !== 'HEAD') setBody(spec, param, item, itemIndex);
  return spec;
}

/** Parameters arrive as whatever the user or an expression put there, so every reader checks what it gets. */
type ParamReader = <T = unknown>(path: string, fallback?: unknown) => T;

function parseUrl(text: string, itemIndex: number): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new NodeOperationError(`Invalid URL: ${text}. URL must start with "http" or "https".`, { itemIndex });
  }
  return url;
}

/** Query parameters or headers, from the key/value list or the JSON field (`specifyQuery` / `specifyHeaders`). */
function sentPairs(param: ParamReader, what: 'Query' | 'Headers', itemIndex: number): [string, unknown][] {
  const prefix = what === 'Query' ? 'query' : 'header';
  if (param(`specify${what}`, 'keypair') === 'json') {
    const json = parseJsonObject(param(`json${what}`, '{}'), itemIndex);
    return Object.entries(json);
  }
  return keyValuePairs(param<NameValue[]>(`${prefix}Parameters.parameters`, []));
}

function keyValuePairs(parameters: NameValue[]): [string, unknown][] {
  if (!Array.isArray(parameters)) return [];
  return parameters.filter((p) => p && String(p.name ?? '') !== '').map((p) => [String(p.name), p.value ?? '']);
}

function parseJsonObject(value: unknown, itemIndex: number): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new NodeOperationError('JSON parameter needs to be valid JSON', { itemIndex });
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new NodeOperationError('JSON parameter needs to be a JSON object', { itemIndex });
  }
  return parsed as Record<string, unknown>;
}

function appendQuery(params: URLSearchParams, name: string, value: unknown, arrayFormat: string): void {
  if (!Array.isArray(value)) {
    params.append(name, textOf(value));
    return;
  }
  value.forEach((element, index) => {
    const key = arrayFormat === 'brackets' ? `${name}[]` : arrayFormat === 'indices' ? `${name}[${index}]` : name;
    params.append(key, textOf(element));
  });
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** n8n's default Accept header for each response format. */
function acceptFor(responseFormat: string): string {
  if (responseFormat === 'json') return 'application/json,text/*;q=0.99';
  if (responseFormat === 'text') return 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1';
  return 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7';
}

function timeoutOf(value: unknown): number {
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms <= 0) return DEFAULT_TIMEOUT_MS;
  return Math.min(ms, MAX_TIMEOUT_MS);
}

function responseFormatOf(value: unknown, itemIndex: number): ResponseFormat {
  if (value === 'autodetect' || value === 'json' || value === 'text' || value === 'file') return value;
  throw new NodeOperationError(`Unsupported response format: ${String(value)}`, { itemIndex });
}

function setBody(spec: RequestSpec, param: ParamReader, item: Item | undefined, itemIndex: number): void {
  const contentType = String(param('contentType', 'json'));
  const specifyBody = String(param('specifyBody', 'keypair'));
  const setContentType = (value: string) => {
    spec.headers['content-type'] ??= value;
  };
  switch (contentType) {
    case 'json': {
      const body =
        specifyBody === 'json'
          ? jsonBodyOf(param('jsonBody', ''), itemIndex)
          : Object.fromEntries(keyValuePairs(param<NameValue[]>('bodyParameters.parameters', [])));
      spec.body = JSON.stringify(body);
      setContentType('application/json');
      return;
    }
    case 'form-urlencoded': {
      spec.body =
        specifyBody === 'string'
          ? String(param('body', ''))
          : new URLSearchParams(
              keyValuePairs(param<NameValue[]>('bodyParameters.parameters', [])).map(([name, value]): [string, string] => [
                name,
                textOf(value),
              ]),
            ).toString();
      setContentType('application/x-www-form-urlencoded');
      return;
    }
    case 'multipart-form-data': {
      spec.body = formDataOf(param<NameValue[]>('bodyParameters.parameters', []), item, itemIndex);
      // undici sets multipart/form-data with its boundary; a content-type from the headers would break it.
      delete spec.headers['content-type'];
      return;
    }
    case 'raw': {
      spec.body = String(param('body', ''));
      const rawContentType = String(param('rawContentType', ''));
      if (rawContentType) spec.headers['content-type'] = rawContentType;
      return;
    }
    case 'binaryData': {
      const binary = inputBinary(item, String(param('inputDataFieldName', '')), itemIndex);
      spec.body = Buffer.from(binary.data, 'base64');
      setContentType(binary.mimeType || 'application/octet-stream');
      return;
    }
    default:
      throw new NodeOperationError(`Unsupported body content type: ${contentType}`, { itemIndex });
  }
}

/** The JSON body field holds JSON text, or, when written as an expression, any value it produced. */
function jsonBodyOf(value: unknown, itemIndex: number): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return {};
  try {
    return JSON.parse(value);
  } catch {
    throw new NodeOperationError('JSON parameter needs to be valid JSON', { itemIndex });
  }
}

function formDataOf(parameters: NameValue[], item: Item | undefined, itemIndex: number): FormData {
  const form = new FormData();
  for (const parameter of Array.isArray(parameters) ? parameters : []) {
    const name = String(parameter?.name ?? '');
    if (!name) continue;
    if (parameter.parameterType === 'formBinaryData') {
      const binary = inputBinary(item, String(parameter.inputDataFieldName ?? ''), itemIndex);
      const blob = new Blob([Buffer.from(binary.data, 'base64')], { type: binary.mimeType || 'application/octet-stream' });
      form.append(name, blob, binary.fileName ?? name);
    } else {
      form.append(name, textOf(parameter.value));
    }
  }
  return form;
}

function inputBinary(item: Item | undefined, field: string, itemIndex: number): BinaryData {
  const binary = field ? item?.binary?.[field] : undefined;
  if (!binary) {
    throw new NodeOperationError(`Input Data Field Name '${field}' could not be found in input`, { itemIndex });
  }
  return binary;
}

/**
 * A request a node makes for itself (a token, a feed, a GraphQL call) rather than from HTTP Request's parameters:
 * the answer read as text, redirects followed (up to n8n's limit) unless said otherwise, a status error left to the
 * caller unless `neverError` is false.
 */
export function plainRequest(
  request: Pick<RequestSpec, 'method' | 'url' | 'headers'> &
    Partial<Pick<RequestSpec, 'requestedUrl' | 'body' | 'timeoutMs' | 'followRedirects' | 'allowUnauthorizedCerts' | 'neverError'>>,
): RequestSpec {
  const followRedirects = request.followRedirects ?? true;
  return {
    requestedUrl: request.url.toString(),
    timeoutMs: DEFAULT_TIMEOUT_MS,
    allowUnauthorizedCerts: false,
    neverError: true,
    ...request,
    followRedirects,
    maxRedirects: followRedirects ? DEFAULT_MAX_REDIRECTS : 0,
    responseFormat: 'text',
    fullResponse: false,
    outputPropertyName: 'data',
  };
}
