import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJsonServer } from '../../../../test/helpers/json-server.ts';
import { httpRequestNode } from '../http-request.ts';
import { jsonOf, runNode } from '../test-support.ts';

/**
 * A local OAuth2 provider and API: /token issues tokens (client credentials, refresh), /api accepts only live
 * tokens. The HTTP Request node with an oAuth2Api credential gets, refreshes and stores its token.
 */
const grants: Record<string, string>[] = [];
let server: Awaited<ReturnType<typeof startJsonServer>>;
let base: string;
const LIVE = new Set(['cc-token', 'refreshed-token']);

beforeAll(async () => {
  server = await startJsonServer((req) => {
    if (req.url === '/token') {
      const form = Object.fromEntries(new URLSearchParams(req.body));
      grants.push({ ...form, authorization: req.headers.authorization ?? '' });
      if (req.headers.authorization !== `Basic ${Buffer.from('app:s3cret').toString('base64')}` && form.client_secret !== 's3cret')
        return { status: 401, body: { error: 'invalid_client' } };
      if (form.grant_type === 'client_credentials')
        return { status: 200, body: { access_token: 'cc-token', token_type: 'Bearer', expires_in: 3600 } };
      if (form.grant_type === 'refresh_token' && form.refresh_token === 'refresh-1')
        return { status: 200, body: { access_token: 'refreshed-token', expires_in: 3600 } };
      return { status: 400, body: { error: 'invalid_grant', error_description: 'unknown refresh token' } };
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    return LIVE.has(token) ? { status: 200, body: { ok: true, token } } : { status: 401, body: { error: 'invalid_token' } };
  });
  base = server.base;
});
afterAll(() => server.close());

const call = (credential: Record<string, unknown>) =>
  runNode(httpRequestNode, {
    parameters: { url: `${base}/api`, authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api' },
    credentials: { oAuth2Api: credential },
  });

describe('HTTP Request with an OAuth2 credential', () => {
  it('gets a client-credentials token, sends it, and stores it for the next run', async () => {
    const credential: Record<string, unknown> = {
      grantType: 'clientCredentials',
      accessTokenUrl: `${base}/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      scope: 'read',
    };
    const { result } = await call(credential);
    expect(jsonOf(result)).toEqual([{ ok: true, token: 'cc-token' }]);
    expect(grants.at(-1)).toMatchObject({ grant_type: 'client_credentials', scope: 'read' });
    expect(credential.oauthTokenData).toMatchObject({ access_token: 'cc-token', expires_at: expect.any(Number) });
    const before = grants.length;
    await call(credential);
    expect(grants.length).toBe(before);
  });

  it('refreshes an expired token before the call, with the client in the body when so set, keeping the refresh token', async () => {
    const credential: Record<string, unknown> = {
      grantType: 'authorizationCode',
      accessTokenUrl: `${base}/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      authentication: 'body',
      oauthTokenData: { access_token: 'old', refresh_token: 'refresh-1', expires_at: Date.now() - 1000 },
    };
    expect(jsonOf((await call(credential)).result)).toEqual([{ ok: true, token: 'refreshed-token' }]);
    expect(grants.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'app', authorization: '' });
    expect(credential.oauthTokenData).toMatchObject({ access_token: 'refreshed-token', refresh_token: 'refresh-1' });
  });

  it('refreshes once and sends again when the API refuses a token that looked fresh', async () => {
    const credential: Record<string, unknown> = {
      accessTokenUrl: `${base}/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      oauthTokenData: { access_token: 'revoked', refresh_token: 'refresh-1', expires_at: Date.now() + 3_600_000 },
    };
    expect(jsonOf((await call(credential)).result)).toEqual([{ ok: true, token: 'refreshed-token' }]);
  });

  it('asks to authorize a credential that has no token, and reports what the provider said', async () => {
    await expect(call({ accessTokenUrl: `${base}/token`, clientId: 'app', clientSecret: 's3cret' })).rejects.toThrow(
      'The OAuth2 credential is not connected: authorize it first (POST /api/v1/credentials/{id}/oauth2/authorize gives the URL to open)',
    );
    await expect(
      call({
        accessTokenUrl: `${base}/token`,
        clientId: 'app',
        clientSecret: 's3cret',
        oauthTokenData: { access_token: 'x', refresh_token: 'bad', expires_at: 0 },
      }),
    ).rejects.toThrow(/Could not get an OAuth2 access token from 127\.0\.0\.1:\d+ \(invalid_grant: unknown refresh token\)/);
  });
});
