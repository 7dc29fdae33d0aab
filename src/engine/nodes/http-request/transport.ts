import { STATUS_CODES } from 'node:http';
import { type Dispatcher, request } from 'undici';
import { AddressRefusedError } from '../../../lib/net/guarded-connector.ts';
import { NodeApiError, NodeOperationError } from '../../node-types.ts';
import { createDispatchers } from './dispatchers.ts';
import type { RequestSpec } from './request-spec.ts';
import { readResponseBody } from './response-body.ts';
import type { HttpRequestSettings } from './settings.ts';

export interface HttpResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Sends one request with undici and reads the whole answer, within the server's HTTP Request settings. */
export type SendRequest = (spec: RequestSpec, signal: AbortSignal) => Promise<HttpResponse>;

/**
 * Each request gives up when the node's timeout passes or the execution is canceled (`signal`), whichever comes
 * first, including while the body is still arriving.
 */
export function createTransport(settings: HttpRequestSettings): SendRequest {
  const dispatcherFor = createDispatchers(settings);
  return async (spec, signal) => {
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
      const headers = response.headers as Record<string, string | string[]>;
      return {
        statusCode: response.statusCode,
        statusMessage: STATUS_CODES[response.statusCode] ?? '',
        headers,
        body: await readResponseBody(response.body, headers, {
          maxBytes: settings.maxResponseBytes,
          origin: spec.url.origin,
          method: spec.method,
          statusCode: response.statusCode,
        }),
      };
    } catch (error) {
      if (signal.aborted) throw canceled(signal);
      // Refusals (address policy, credential domains, response size) are about the node's request, not the service.
      if (error instanceof NodeOperationError) throw error;
      if (error instanceof AddressRefusedError) throw new NodeOperationError(error.message, { description: REFUSED_DESCRIPTION });
      if (timeout.signal.aborted || isUndiciTimeout(error)) {
        throw new NodeApiError(`The request timed out after ${spec.timeoutMs} ms`, {
          description: `No complete answer from ${spec.url.origin} in time. Raise the node's Timeout option if the service is slow.`,
        });
      }
      throw connectionError(error);
    } finally {
      clearTimeout(timer);
    }
  };
}

const REFUSED_DESCRIPTION =
  'No connection was opened. This server does not let HTTP Request nodes reach cloud-metadata, link-local or its own ' +
  'internal addresses (nor private ones with N8N_SSRF_PROTECTION_ENABLED=true), also not through a redirect.';

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
