import { lookup } from 'node:dns/promises';
import pg from 'pg';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { AddressPolicy } from '../../lib/net/address-policy.ts';

/** What a credential test needs from outside: HTTP through the address policy, and the policy for other connections. */
export interface CredentialTestNetwork {
  dispatcher: Dispatcher;
  policy: AddressPolicy;
}

type Data = Record<string, unknown>;
/** A test answers null when the credential works, else what the service said. */
type CredentialTest = (data: Data, net: CredentialTestNetwork) => Promise<string | null>;

const TIMEOUT_MS = 10_000;
const str = (value: unknown, fallback = '') => (typeof value === 'string' && value ? value : fallback);
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** A GET (or POST) that must answer 2xx; `check` may look at the JSON body too (Slack answers 200 with ok: false). */
async function httpTest(
  net: CredentialTestNetwork,
  url: string,
  headers: Record<string, string>,
  options: { method?: 'GET' | 'POST'; check?: (body: unknown) => string | null } = {},
): Promise<string | null> {
  const res = await request(url, {
    method: options.method ?? 'GET',
    headers: { accept: 'application/json', ...headers },
    dispatcher: net.dispatcher,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the status decides
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const message =
      (body as { message?: unknown; error?: { message?: unknown } } | null)?.error?.message ?? (body as { message?: unknown })?.message;
    return `Authorization failed - please check your credentials (${res.statusCode}${typeof message === 'string' ? `: ${message}` : ''})`;
  }
  return options.check ? options.check(body) : null;
}

/**
 * The address a database connection may use: every address the host resolves to must pass the address policy,
 * and the connection goes to the checked address, never to the name again (a DNS answer that changes in between
 * cannot reach an address that was not checked).
 */
async function allowedAddress(net: CredentialTestNetwork, host: string, port: number): Promise<string> {
  const addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
  for (const address of addresses) {
    const refusal = net.policy.check({ hostname: host, address, port });
    if (refusal) throw new Error(refusal.message);
  }
  if (!addresses[0]) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return addresses[0];
}

/** The credential types with a test, by n8n's type name: each does what n8n's own test for the type does. */
export const CREDENTIAL_TESTS: Record<string, CredentialTest> = {
  slackApi: (data, net) =>
    httpTest(
      net,
      'https://slack.com/api/auth.test',
      { authorization: `Bearer ${str(data.accessToken)}` },
      {
        method: 'POST',
        check: (body) =>
          (body as { ok?: boolean }).ok ? null : `Slack answered: ${String((body as { error?: unknown }).error ?? 'not ok')}`,
      },
    ),
  openAiApi: (data, net) =>
    httpTest(net, `${trimSlash(str(data.url, 'https://api.openai.com/v1'))}/models`, {
      authorization: `Bearer ${str(data.apiKey)}`,
      ...(str(data.organizationId) ? { 'openai-organization': str(data.organizationId) } : {}),
    }),
  githubApi: (data, net) =>
    httpTest(net, `${trimSlash(str(data.server, 'https://api.github.com'))}/user`, {
      authorization: `token ${str(data.accessToken)}`,
      'user-agent': 'flowgate',
    }),
  gitlabApi: (data, net) =>
    httpTest(net, `${trimSlash(str(data.server, 'https://gitlab.com'))}/api/v4/user`, { 'private-token': str(data.accessToken) }),
  telegramApi: (data, net) =>
    httpTest(net, `${trimSlash(str(data.baseUrl, 'https://api.telegram.org'))}/bot${str(data.accessToken)}/getMe`, {}),
  notionApi: (data, net) =>
    httpTest(net, 'https://api.notion.com/v1/users/me', { authorization: `Bearer ${str(data.apiKey)}`, 'notion-version': '2022-02-22' }),
  async postgres(data, net) {
    const host = str(data.host, 'localhost');
    const port = Number(data.port) || 5432;
    const address = await allowedAddress(net, host, port);
    const client = new pg.Client({
      host: address,
      port,
      database: str(data.database, 'postgres'),
      user: str(data.user, 'postgres'),
      password: str(data.password),
      connectionTimeoutMillis: TIMEOUT_MS,
      statement_timeout: TIMEOUT_MS,
      // TLS still checks the certificate for the name the credential gives, though the socket goes to the checked address.
      ...(data.ssl && data.ssl !== 'disable' ? { ssl: { rejectUnauthorized: !data.allowUnauthorizedCerts, servername: host } } : {}),
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  },
};

/** n8n's answers: `{status: "OK", message}` or `{status: "Error", message}` (never the values of `secrets`). */
export async function testCredential(type: string, data: Data, secrets: readonly string[], net: CredentialTestNetwork) {
  const test = CREDENTIAL_TESTS[type];
  if (!test) return { status: 'Error' as const, message: 'No testing function found for this credential.' };
  try {
    const problem = await test(data, net);
    return problem
      ? { status: 'Error' as const, message: withoutSecrets(problem, data, secrets) }
      : { status: 'OK' as const, message: 'Connection successful!' };
  } catch (err) {
    return { status: 'Error' as const, message: withoutSecrets((err as Error).message || String(err), data, secrets) };
  }
}

/** A message with the credential's secret values taken out: an error may quote a URL with a token in its path. */
function withoutSecrets(message: string, data: Data, secrets: readonly string[]): string {
  let out = message;
  for (const name of secrets) {
    const value = data[name];
    if (typeof value === 'string' && value.length > 0) out = out.split(value).join('***');
  }
  return out;
}
