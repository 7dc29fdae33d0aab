import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { NodeApiError } from '../../node-types.ts';
import type { RequestSpec } from './request-spec.ts';

export interface HttpResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * Sends one request with undici and reads the whole answer. It gives up when the node's timeout passes or the
 * execution is canceled (`signal`), whichever comes first, including while the body is still arriving.
 */
export async function sendRequest(spec: RequestSpec, signal: AbortSignal): Promise<HttpResponse> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), spec.timeoutMs);
  const stop = AbortSignal.any([signal, timeout.signal]);
  try {
    const response = await request(spec.url, {
      method: spec.method as Dispatcher.HttpMethod,
      headers: spec.headers,
      body: spec.body,
      signal: stop,
      dispatcher: dispatcherFor(spec),
      headersTimeout: spec.timeoutMs,
      bodyTimeout: spec.timeoutMs,
    });
    const raw = Buffer.from(await response.body.arrayBuffer());
    const headers = response.headers as Record<string, string | string[]>;
    return {
      statusCode: response.statusCode,
      statusMessage: STATUS_CODES[response.statusCode] ?? '',
      headers,
      body: await decoded(raw, headers['content-encoding']),
    };
  } catch (error) {
    if (signal.aborted) throw canceled(signal);
    if (timeout.signal.aborted || isUndiciTimeout(error)) {
      throw new NodeApiError(`The request timed out after ${spec.timeoutMs} ms`, {
        description: `No complete answer from ${spec.url.origin} in time. Raise the node's Timeout option if the service is slow.`,
      });
    }
    throw connectionError(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The run is being stopped: hand back why (the engine's cancellation error), not an HTTP failure. */
function canceled(signal: AbortSignal): Error {
  return signal.reason instanceof Error && signal.reason.name !== 'AbortError' ? signal.reason : new Error('The execution was canceled');
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

/** n8n's wording for network failures (NodeApiError's descriptive messages). */
const NETWORK_ERROR_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'The service refused the connection - perhaps it is offline',
  ECONNRESET:
    'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.',
  ENOTFOUND: 'The connection cannot be established, this usually occurs due to an incorrect host (domain) value',
  EAI_AGAIN: 'The connection cannot be established, this usually occurs due to an incorrect host (domain) value',
  ETIMEDOUT: "The connection timed out, consider setting the 'Retry on Fail' option in the node settings",
  EHOSTUNREACH: 'The host is unreachable, perhaps the server is offline',
  ECONNABORTED: 'The connection was aborted, perhaps the server is offline',
};

function connectionError(error: unknown): Error {
  const cause = (error as { cause?: unknown })?.cause;
  const code = [error, cause]
    .map((candidate) => (candidate as { code?: unknown })?.code)
    .find((candidate): candidate is string => typeof candidate === 'string');
  const message = error instanceof Error ? error.message : String(error);
  const known = code ? NETWORK_ERROR_MESSAGES[code] : undefined;
  return new NodeApiError(known ?? message, { description: known ? `${code}: ${message}` : code });
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** undici's `request` hands over the body as sent; undo the content encodings (last applied first). */
async function decoded(body: Buffer, contentEncoding: string | string[] | undefined): Promise<Buffer> {
  const encodings = String(contentEncoding ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding && encoding !== 'identity')
    .reverse();
  let result = body;
  for (const encoding of encodings) {
    if (result.length === 0) break;
    if (encoding === 'gzip' || encoding === 'x-gzip') result = await gunzip(result);
    else if (encoding === 'deflate') result = await inflate(result);
    else if (encoding === 'br') result = await brotliDecompress(result);
    else break;
  }
  return result;
}

/**
 * One connection pool per TLS strictness and redirect limit, shared by all runs (keep-alive across requests).
 * Without redirects the interceptor is left out, so 3xx answers come back as they are.
 */
const dispatchers = new Map<string, Dispatcher>();

function dispatcherFor(spec: RequestSpec): Dispatcher {
  const maxRedirections = spec.followRedirects ? spec.maxRedirects : 0;
  const key = `${spec.allowUnauthorizedCerts}:${maxRedirections}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    const agent = new Agent({ connect: { rejectUnauthorized: !spec.allowUnauthorizedCerts } });
    dispatcher = maxRedirections > 0 ? agent.compose(interceptors.redirect({ maxRedirections })) : agent;
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}
