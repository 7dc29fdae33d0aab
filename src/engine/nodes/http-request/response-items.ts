import type { BinaryHelpers } from '../../binary-data.ts';
import { NodeApiError, NodeOperationError } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';
import type { RequestSpec } from './request-spec.ts';
import type { HttpResponse } from './transport.ts';

/**
 * The output items for one request, as n8n's HTTP Request node (v4) makes them: a JSON array becomes one item
 * per element, an object one item, text `{ data: text }`, a file binary `data`; with "full response" the status
 * and headers come along. A non-2xx status fails the node unless "never error" is on.
 */
export async function responseItems(
  response: HttpResponse,
  spec: RequestSpec,
  input: Item | undefined,
  itemIndex: number,
  files: BinaryHelpers,
): Promise<Item[]> {
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  if (!ok && !spec.neverError) throw httpStatusError(response);

  const paired = { item: itemIndex };
  const meta = { headers: response.headers, statusCode: response.statusCode, statusMessage: response.statusMessage };
  const format = spec.responseFormat === 'autodetect' ? detectFormat(response) : spec.responseFormat;

  if (format === 'file') {
    const file = await files.prepare(response.body, {
      mimeType: contentTypeOf(response).split(';')[0]?.trim() || 'application/octet-stream',
      fileName: fileNameOf(response, spec.url),
    });
    const binary = { ...input?.binary, [spec.outputPropertyName]: file };
    return [{ json: spec.fullResponse ? meta : (input?.json ?? {}), binary, pairedItem: paired }];
  }

  const text = response.body.toString('utf8');
  if (format === 'json') {
    const body = parseJsonBody(text, spec.responseFormat === 'json', itemIndex);
    if (body !== NOT_JSON) {
      if (spec.fullResponse) return [{ json: { body, ...meta }, pairedItem: paired }];
      const values = Array.isArray(body) ? body : [body];
      return values.map((value) => ({ json: asJson(value), pairedItem: paired }));
    }
  }

  // n8n leaves an empty auto-detected text body out instead of outputting an empty string.
  const data = text === '' && spec.responseFormat === 'autodetect' ? {} : { [spec.outputPropertyName]: text };
  return [{ json: spec.fullResponse ? { ...meta, ...data } : data, pairedItem: paired }];
}

/** Content types n8n's autodetect treats as files. */
const BINARY_CONTENT_TYPES = [
  'image/',
  'audio/',
  'video/',
  'font/',
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip',
  'application/x-bzip2',
  'application/vnd.rar',
  'application/epub+zip',
  'application/msword',
  'application/vnd.ms-',
  'application/vnd.openxmlformats-officedocument',
  'application/vnd.oasis.opendocument',
];

function contentTypeOf(response: HttpResponse): string {
  const header = response.headers['content-type'];
  return String(Array.isArray(header) ? header[0] : (header ?? '')).toLowerCase();
}

function detectFormat(response: HttpResponse): 'json' | 'text' | 'file' {
  const contentType = contentTypeOf(response);
  if (contentType.includes('application/json') || /\+json\b/.test(contentType)) return 'json';
  if (BINARY_CONTENT_TYPES.some((prefix) => contentType.includes(prefix))) return 'file';
  return 'text';
}

const NOT_JSON = Symbol('not JSON');

/** Explicit "JSON" format insists on JSON; auto-detection falls back to text when the body is not. */
function parseJsonBody(text: string, required: boolean, itemIndex: number): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    if (!required) return NOT_JSON;
    throw new NodeOperationError('Response body is not valid JSON. Change "Response Format" to "Text"', { itemIndex });
  }
}

/** Items need an object: a JSON primitive (or null, which n8n empties) is kept under `data`. */
function asJson(value: unknown): JsonObject {
  if (value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  return { data: value };
}

/** From Content-Disposition when the server names the file, else the last segment of the URL's path. */
function fileNameOf(response: HttpResponse, url: URL): string | undefined {
  const disposition = String(response.headers['content-disposition'] ?? '');
  const encoded = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)?.[1];
  if (plain) return plain.trim();
  const lastSegment = url.pathname.split('/').pop();
  return lastSegment ? decodeURIComponent(lastSegment) : undefined;
}

/** n8n's NodeApiError messages for HTTP status codes. */
const STATUS_MESSAGES: Record<string, string> = {
  '400': 'Bad request - please check your parameters',
  '401': 'Authorization failed - please check your credentials',
  '402': 'Payment required - perhaps check your payment details?',
  '403': 'Forbidden - perhaps check your credentials?',
  '404': 'The resource you are requesting could not be found',
  '405': 'Method not allowed - please check you are using the right HTTP method',
  '429': 'The service is receiving too many requests from you',
  '500': 'The service was not able to process your request',
  '502': 'Bad gateway - the service failed to handle your request',
  '503': 'Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)',
  '504': 'Gateway timed out - perhaps try again later?',
};

const MAX_ERROR_BODY_LENGTH = 2_000;

/** Message from the status (as n8n); the description keeps n8n's raw form, `404 - "{\"error\":\"…\"}"`. */
function httpStatusError(response: HttpResponse): NodeApiError {
  const code = String(response.statusCode);
  const message =
    STATUS_MESSAGES[code] ??
    (code.startsWith('4')
      ? 'Your request is invalid or could not be processed by the service'
      : code.startsWith('5')
        ? 'The service failed to process your request'
        : `The service answered with status ${code} ${response.statusMessage}`.trim());
  let body = response.body.toString('utf8');
  if (body.length > MAX_ERROR_BODY_LENGTH) body = `${body.slice(0, MAX_ERROR_BODY_LENGTH)}…`;
  return new NodeApiError(message, { httpCode: code, description: `${code} - ${JSON.stringify(body)}` });
}
