import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/engine/nodes/http-request/test-server.ts';
import { newId } from '../../src/lib/ids.ts';
import { api, createWorkflow } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The HTTP Request node's defences, through the real app and its configuration: credential domain restrictions,
 * the address policy (redirects into the server's own ports), and the response size limit. Every address used is
 * on this machine's loopback: the cloud-metadata cases are unit tests with a connector that cannot leave it.
 */
const API_PORT = 45_671;

let t: TestApp;
let server: TestServer;
let serverPort: string;
beforeAll(async () => {
  t = await buildTestApp({ N8N_PORT: String(API_PORT), N8N_HTTP_REQUEST_MAX_RESPONSE_MB: '1' });
  server = await startTestServer();
  serverPort = new URL(server.baseUrl).port;
});
afterAll(async () => {
  await server.close();
  await t.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

const manual = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

interface NodeError {
  name: string;
  message: string;
}

/** Runs Manual → HTTP Request and returns the execution's status and the HTTP Request node's error, if any. */
async function run(app: TestApp, parameters: Record<string, unknown>, credentials?: Record<string, unknown>) {
  const node = {
    name: 'Call API',
    type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2,
    position: [200, 0],
    parameters,
    ...(credentials ? { credentials } : {}),
  };
  const id = await createWorkflow(app, {
    name: `security ${newId(6)}`,
    nodes: [manual, node],
    connections: { Manual: { main: [[{ node: 'Call API', type: 'main', index: 0 }]] } },
    settings: {},
  });
  const res = await api(app, 'POST', `/workflows/${id}/run`, { wait: true });
  expect(res.statusCode, res.body).toBe(200);
  const execution = res.json();
  return { status: execution.status as string, error: execution.data.resultData.runData['Call API']?.[0]?.error as NodeError | undefined };
}

const redirectTo = (target: string) => `${server.baseUrl}/redirect-to?url=${encodeURIComponent(target)}`;

describe('HTTP Request: this server’s own ports', () => {
  it('refuses a redirect to the server’s API port, before connecting', async () => {
    const { status, error } = await run(t, { url: redirectTo(`http://127.0.0.1:${API_PORT}/api/v1/workflows`) });
    expect(status).toBe('error');
    expect(error?.name).toBe('NodeOperationError');
    expect(error?.message).toBe(
      `Request to 127.0.0.1:${API_PORT} refused: port ${API_PORT} on this machine is this server's HTTP port (N8N_PORT) ` +
        `(add "127.0.0.1:${API_PORT}" to N8N_SSRF_ALLOWED_HOSTNAMES to allow it)`,
    );
    expect(server.seen).toHaveLength(1);
  });

  const database = new URL(process.env.DATABASE_URL ?? 'postgresql://127.0.0.1/');
  const databaseIsLocal = !process.env.DATABASE_URL || ['127.0.0.1', 'localhost', '[::1]'].includes(database.hostname);

  it.runIf(databaseIsLocal)('refuses a redirect to the server’s PostgreSQL', async () => {
    const databasePort = new URL(t.db.url).port || '5432';
    const { error } = await run(t, { url: redirectTo(`http://localhost:${databasePort}/`) });
    expect(error?.name).toBe('NodeOperationError');
    expect(error?.message).toMatch(
      new RegExp(
        `^Request to localhost:${databasePort} \\(.+\\) refused: port ${databasePort} on this machine is this server's PostgreSQL \\(DATABASE_URL\\)`,
      ),
    );
  });

  it('still reaches other loopback services, so LAN users are not broken', async () => {
    const { status } = await run(t, { url: `${server.baseUrl}/json` });
    expect(status).toBe('success');
  });
});

describe('HTTP Request: credential domain restrictions', () => {
  async function headerCredential(restriction: Record<string, unknown>) {
    const data = { name: 'X-API-Key', value: 'very-secret', ...restriction };
    const res = await api(t, 'POST', '/credentials', { name: `key ${newId(6)}`, type: 'httpHeaderAuth', data });
    expect(res.statusCode, res.body).toBe(200);
    const { id, name } = res.json() as { id: string; name: string };
    return { httpHeaderAuth: { id, name } };
  }
  const withAuth = (url: string) => ({ url, authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' });

  it('sends the credential only to an allowed host', async () => {
    const credentials = await headerCredential({ allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' });
    expect((await run(t, withAuth(`${server.baseUrl}/echo`), credentials)).status).toBe('success');
    const refused = await run(t, withAuth(`http://localhost:${serverPort}/echo`), credentials);
    expect(refused.error?.name).toBe('NodeOperationError');
    expect(refused.error?.message).toBe(
      `Domain not allowed: This credential is restricted from accessing http://localhost:${serverPort}/echo. ` +
        'Only the following domains are allowed: 127.0.0.1',
    );
    expect(server.seen.map((request) => request.headers.host)).toEqual([`127.0.0.1:${serverPort}`]);
  });

  it('never sends the credential to a host a redirect points at', async () => {
    const credentials = await headerCredential({ allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' });
    const { error } = await run(t, withAuth(redirectTo(`http://localhost:${serverPort}/echo`)), credentials);
    expect(error?.message).toMatch(/^Domain not allowed: This credential is restricted from accessing http:\/\/localhost:\d+\/echo\. /);
    expect(server.seen.map((request) => request.url)).toEqual([expect.stringMatching(/^\/redirect-to\?/)]);
  });

  it('refuses every request with a credential set to "none"', async () => {
    const credentials = await headerCredential({ allowedHttpRequestDomains: 'none' });
    const { error } = await run(t, withAuth(`${server.baseUrl}/echo`), credentials);
    expect(error?.message).toBe('This credential is configured to prevent use within an HTTP Request node');
    expect(server.seen).toEqual([]);
  });
});

describe('HTTP Request: response size limit', () => {
  it('stops a gzip bomb at N8N_HTTP_REQUEST_MAX_RESPONSE_MB', async () => {
    const { error } = await run(t, { url: `${server.baseUrl}/gzip-bomb` });
    expect(error?.name).toBe('NodeOperationError');
    expect(error?.message).toBe(
      `The response from ${server.baseUrl} is larger than 1 MiB, the limit set by N8N_HTTP_REQUEST_MAX_RESPONSE_MB`,
    );
  });
});

describe('HTTP Request: with N8N_SSRF_PROTECTION_ENABLED=true', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await buildTestApp({ N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost' });
  });
  afterAll(() => strict.close());

  it('refuses loopback addresses, and lets an allow-listed host through', async () => {
    const refused = await run(strict, { url: `${server.baseUrl}/json` });
    expect(refused.error?.message).toMatch(/^Request to 127\.0\.0\.1 refused: private and reserved addresses are blocked/);
    expect(server.seen).toEqual([]);
    const allowed = await run(strict, { url: `http://localhost:${serverPort}/json` });
    expect(allowed.status).toBe('success');
    expect(server.seen).toHaveLength(1);
  });
});
