import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildConnector } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AddressPolicyOptions, createAddressPolicy, DEFAULT_BLOCKED_RANGES } from '../../../lib/net/address-policy.ts';
import type { Lookup } from '../../../lib/net/guarded-connector.ts';
import { NodeOperationError } from '../../node-types.ts';
import { createHttpRequestNode } from '../http-request.ts';
import { jsonOf, runNode } from '../test-support.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/**
 * The HTTP Request node against the address policy. Sockets go through a connector that only ever opens loopback
 * connections (anything else fails in the test), so a policy that let a request through would not reach the network.
 */
let server: TestServer;
/** Stands in for the embedded PostgreSQL: the tests check it never sees a connection. */
let internal: Server;
let internalPort: number;
let internalConnections = 0;
const connectedTo: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  internal = createServer((_req, res) => res.end('internal'));
  internal.on('connection', () => internalConnections++);
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalPort = (internal.address() as AddressInfo).port;
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => internal.close(() => resolve()));
});
beforeEach(() => {
  server.seen.length = 0;
  connectedTo.length = 0;
  internalConnections = 0;
});

const loopbackOnly = (options: buildConnector.BuildOptions): buildConnector.connector => {
  const real = buildConnector(options);
  return (connectOptions, callback) => {
    connectedTo.push(connectOptions.hostname);
    if (connectOptions.hostname === '127.0.0.1' || connectOptions.hostname === '::1') return real(connectOptions, callback);
    callback(new Error(`test connector: refusing to leave the machine for ${connectOptions.hostname}`), null);
  };
};

const attackerDns: Lookup = async (hostname) => {
  const answers: Record<string, string[]> = { 'metadata.attacker.test': ['169.254.169.254'], 'db.attacker.test': ['127.0.0.1'] };
  const answer = answers[hostname];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answer;
};

function nodeWith(policy: Partial<AddressPolicyOptions> = {}, lookup?: Lookup) {
  return createHttpRequestNode({
    maxResponseBytes: 64 * 1024 * 1024,
    addressPolicy: createAddressPolicy({
      blockPrivate: false,
      blockedRanges: DEFAULT_BLOCKED_RANGES,
      allowedRanges: [],
      allowedHostnames: [],
      internalPorts: [{ port: internalPort, what: 'the embedded PostgreSQL', setting: 'EMBEDDED_PG_PORT' }],
      ...policy,
    }),
    network: { connector: loopbackOnly, ...(lookup ? { lookup } : {}) },
  });
}

async function failure(node: ReturnType<typeof nodeWith>, url: string): Promise<Error> {
  const error = await runNode(node, { parameters: { url } }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected the request to ${url} to fail`);
  return error;
}

describe('HTTP Request: addresses refused by default', () => {
  it('refuses the cloud metadata address without opening a connection', async () => {
    const error = await failure(nodeWith(), 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe(
      'Request to 169.254.169.254 refused: link-local and cloud-metadata addresses are blocked ' +
        '(add the host to N8N_SSRF_ALLOWED_HOSTNAMES or the address to N8N_SSRF_ALLOWED_IP_RANGES to allow it)',
    );
    expect(connectedTo).toEqual([]);
  });

  it('refuses the metadata address written as IPv4-mapped IPv6, and the unspecified address', async () => {
    expect((await failure(nodeWith(), 'http://[::ffff:169.254.169.254]/')).message).toMatch(
      /^Request to ::ffff:a9fe:a9fe \(169\.254\.169\.254\) refused: link-local/,
    );
    expect((await failure(nodeWith(), `http://0.0.0.0:${internalPort + 1}/`)).message).toMatch(/^Request to 0\.0\.0\.0 refused/);
    expect(connectedTo).toEqual([]);
  });

  it('refuses a hostname whose DNS answer is the metadata address', async () => {
    const error = await failure(nodeWith({}, attackerDns), 'http://metadata.attacker.test/');
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toMatch(/^Request to metadata\.attacker\.test \(169\.254\.169\.254\) refused/);
    expect(connectedTo).toEqual([]);
  });

  it('refuses this server’s internal ports, by address and by a name that resolves to loopback', async () => {
    for (const url of [`http://127.0.0.1:${internalPort}/`, `http://db.attacker.test:${internalPort}/`]) {
      const error = await failure(nodeWith({}, attackerDns), url);
      expect(error.message).toMatch(
        new RegExp(`:${internalPort}.* refused: port ${internalPort} on this machine is the embedded PostgreSQL`),
      );
    }
    expect(internalConnections).toBe(0);
  });

  it('refuses a redirect to an internal port before connecting to it', async () => {
    const target = `http://127.0.0.1:${internalPort}/`;
    const error = await failure(nodeWith(), `${server.baseUrl}/redirect-to?url=${encodeURIComponent(target)}`);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe(
      `Request to 127.0.0.1:${internalPort} refused: port ${internalPort} on this machine is the embedded PostgreSQL ` +
        `(EMBEDDED_PG_PORT) (add "127.0.0.1:${internalPort}" to N8N_SSRF_ALLOWED_HOSTNAMES to allow it)`,
    );
    expect(server.seen.map((request) => request.url)).toEqual([`/redirect-to?url=${encodeURIComponent(target)}`]);
    expect(internalConnections).toBe(0);
  });

  it('refuses a redirect to the metadata address before connecting to it', async () => {
    const error = await failure(nodeWith(), `${server.baseUrl}/redirect-to?url=${encodeURIComponent('http://169.254.169.254/')}`);
    expect(error.message).toMatch(/^Request to 169\.254\.169\.254 refused/);
    expect(connectedTo).toEqual(['127.0.0.1']);
  });

  it('still reaches loopback services on other ports', async () => {
    const { result } = await runNode(nodeWith(), { parameters: { url: `${server.baseUrl}/json` } });
    expect(jsonOf(result)).toEqual([{ hello: 'world' }]);
  });

  it('opens an internal port to an allow-list entry naming that port', async () => {
    const node = nodeWith({ allowedHostnames: [`127.0.0.1:${internalPort}`] });
    const { result } = await runNode(node, { parameters: { url: `http://127.0.0.1:${internalPort}/` } });
    expect(jsonOf(result)).toEqual([{ data: 'internal' }]);
  });
});

describe('HTTP Request: with N8N_SSRF_PROTECTION_ENABLED', () => {
  it('refuses loopback and private addresses', async () => {
    const error = await failure(nodeWith({ blockPrivate: true }), `${server.baseUrl}/json`);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe(
      'Request to 127.0.0.1 refused: private and reserved addresses are blocked because N8N_SSRF_PROTECTION_ENABLED is true ' +
        '(add the host to N8N_SSRF_ALLOWED_HOSTNAMES or the address to N8N_SSRF_ALLOWED_IP_RANGES to allow it)',
    );
    expect(server.seen).toEqual([]);
  });

  it('refuses "localhost", which resolves to loopback', async () => {
    const port = new URL(server.baseUrl).port;
    expect((await failure(nodeWith({ blockPrivate: true }), `http://localhost:${port}/json`)).message).toMatch(
      /^Request to localhost \((127\.0\.0\.1|::1)\) refused: private/,
    );
    expect(server.seen).toEqual([]);
  });

  it('lets allow-listed hostnames and ranges through', async () => {
    const port = new URL(server.baseUrl).port;
    const byName = nodeWith({ blockPrivate: true, allowedHostnames: ['localhost'] });
    expect(jsonOf((await runNode(byName, { parameters: { url: `http://localhost:${port}/json` } })).result)).toEqual([{ hello: 'world' }]);
    const byRange = nodeWith({ blockPrivate: true, allowedRanges: ['127.0.0.0/8'] });
    expect(jsonOf((await runNode(byRange, { parameters: { url: `${server.baseUrl}/json` } })).result)).toEqual([{ hello: 'world' }]);
    // An allow-listed host does not open the internal ports behind it.
    expect((await failure(byRange, `http://127.0.0.1:${internalPort}/`)).message).toMatch(/refused: port/);
  });
});
