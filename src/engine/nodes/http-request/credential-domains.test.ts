import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Lookup } from '../../../lib/net/guarded-connector.ts';
import { NodeOperationError } from '../../node-types.ts';
import type { JsonObject } from '../../types.ts';
import { createHttpRequestNode, httpRequestNode } from '../http-request.ts';
import { jsonOf, runNode } from '../test-support.ts';
import { isDomainAllowed } from './credential-domains.ts';
import { DEFAULT_HTTP_REQUEST_SETTINGS } from './settings.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let port: string;
beforeAll(async () => {
  server = await startTestServer();
  port = new URL(server.baseUrl).port;
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
});

/** Names under example.test all point at the local test server, so a host name can be chosen per test. */
const exampleDns: Lookup = async (hostname) => {
  if (hostname === 'example.test' || hostname.endsWith('.example.test') || hostname === 'badexample.test') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
const node = createHttpRequestNode({ ...DEFAULT_HTTP_REQUEST_SETTINGS, network: { lookup: exampleDns } });

const headerAuth = (restriction: JsonObject): JsonObject => ({ name: 'X-API-Key', value: 'secret-key', ...restriction });

async function send(url: string, credential: JsonObject, type = 'httpHeaderAuth') {
  const parameters = { url, authentication: 'genericCredentialType', genericAuthType: type };
  return runNode(node, { parameters, credentials: { [type]: credential } });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the node to fail');
  return error;
}

const sentKeys = () => server.seen.map((request) => request.headers['x-api-key']);

describe('HTTP Request: credential domain restrictions', () => {
  it('sends a credential without a restriction, or with "all", anywhere', async () => {
    await send(`http://api.example.test:${port}/echo`, headerAuth({}));
    await send(`http://other.example.test:${port}/echo`, headerAuth({ allowedHttpRequestDomains: 'all', allowedDomains: 'x.test' }));
    expect(sentKeys()).toEqual(['secret-key', 'secret-key']);
  });

  it('refuses every request with a credential set to "none", before anything is sent', async () => {
    for (const type of ['httpBasicAuth', 'httpHeaderAuth', 'httpQueryAuth', 'httpBearerAuth']) {
      const error = await failure(
        send(`http://api.example.test:${port}/echo`, { ...headerAuth({}), allowedHttpRequestDomains: 'none' }, type),
      );
      expect(error).toBeInstanceOf(NodeOperationError);
      expect(error.message).toBe('This credential is configured to prevent use within an HTTP Request node');
    }
    expect(server.seen).toEqual([]);
  });

  it('refuses "domains" without any domain', async () => {
    const error = await failure(
      send(`http://api.example.test:${port}/echo`, headerAuth({ allowedHttpRequestDomains: 'domains', allowedDomains: ' ' })),
    );
    expect(error.message).toBe('No allowed domains specified. Configure allowed domains or change restriction setting.');
    expect(server.seen).toEqual([]);
  });

  it('sends the credential to a listed host or a subdomain of a wildcard', async () => {
    const restriction = headerAuth({ allowedHttpRequestDomains: 'domains', allowedDomains: 'api.example.test, *.eu.example.test' });
    await send(`http://api.example.test:${port}/echo`, restriction);
    await send(`http://a.eu.example.test:${port}/echo`, restriction);
    expect(sentKeys()).toEqual(['secret-key', 'secret-key']);
    expect(server.seen.map((request) => request.headers.host)).toEqual([`api.example.test:${port}`, `a.eu.example.test:${port}`]);
  });

  it('refuses any other host with n8n’s message, before connecting', async () => {
    const allowedDomains = 'api.example.test, *.eu.example.test';
    const restriction = headerAuth({ allowedHttpRequestDomains: 'domains', allowedDomains });
    for (const host of ['evil.example.test', 'eu.example.test', 'badexample.test', '127.0.0.1']) {
      const url = `http://${host}:${port}/echo?q=1`;
      const error = await failure(send(url, restriction));
      expect(error).toBeInstanceOf(NodeOperationError);
      expect(error.message).toBe(
        `Domain not allowed: This credential is restricted from accessing ${url}. Only the following domains are allowed: ${allowedDomains}`,
      );
    }
    expect(server.seen).toEqual([]);
  });

  it('refuses a redirect to a host that is not allowed, without sending the credential there', async () => {
    const restriction = headerAuth({ allowedHttpRequestDomains: 'domains', allowedDomains: 'api.example.test' });
    const target = `http://evil.example.test:${port}/echo?token=abc`;
    const error = await failure(send(`http://api.example.test:${port}/redirect-to?url=${encodeURIComponent(target)}`, restriction));
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe(
      `Domain not allowed: This credential is restricted from accessing http://evil.example.test:${port}/echo. ` +
        'Only the following domains are allowed: api.example.test',
    );
    expect(server.seen.map((request) => request.headers.host)).toEqual([`api.example.test:${port}`]);
  });

  it('follows a redirect to an allowed host', async () => {
    const restriction = headerAuth({ allowedHttpRequestDomains: 'domains', allowedDomains: '*.example.test' });
    const target = `http://b.example.test:${port}/echo`;
    const { result } = await send(`http://a.example.test:${port}/redirect-to?url=${encodeURIComponent(target)}`, restriction);
    expect(jsonOf(result)[0]).toMatchObject({ url: '/echo' });
    expect(sentKeys()).toEqual(['secret-key', 'secret-key']);
  });

  it('checks each item’s URL', async () => {
    const items = [{ json: { host: 'api' } }, { json: { host: 'evil' } }];
    const parameters = { url: '={{ per item }}', authentication: 'genericCredentialType', genericAuthType: 'httpBearerAuth' };
    const error = await failure(
      runNode(httpRequestNode, {
        parameters,
        items,
        credentials: { httpBearerAuth: { token: 't', allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' } },
        evaluate: (_expression, itemIndex) => `http://${itemIndex === 0 ? '127.0.0.1' : 'localhost'}:${port}/echo`,
      }),
    );
    expect(error.message).toMatch(/^Domain not allowed: This credential is restricted from accessing http:\/\/localhost:/);
    expect((error as NodeOperationError).itemIndex).toBe(1);
    expect(server.seen.map((request) => request.headers.authorization)).toEqual(['Bearer t']);
  });
});

describe('isDomainAllowed', () => {
  it('matches as n8n does: exact hosts, and wildcards for subdomains only', () => {
    expect(isDomainAllowed('api.example.com', 'api.example.com')).toBe(true);
    expect(isDomainAllowed('API.example.com', 'other.com,api.example.com')).toBe(true);
    expect(isDomainAllowed('x.example.org', 'api.example.com, *.example.org')).toBe(true);
    expect(isDomainAllowed('example.org', '*.example.org')).toBe(false);
    expect(isDomainAllowed('evilexample.org', '*.example.org')).toBe(false);
    expect(isDomainAllowed('example.com', '')).toBe(false);
  });
});
