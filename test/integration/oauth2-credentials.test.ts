import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow } from '../helpers/api.ts';
import { startJsonServer } from '../helpers/json-server.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { chain, type Json, node, outputOf } from '../helpers/workflow-builders.ts';

/**
 * The OAuth2 authorization code flow end to end: the authorize call's URL, the provider's redirect to the public
 * callback (state checked), the code exchanged (with PKCE), tokens stored encrypted, and an HTTP Request node using
 * and refreshing them in later runs. The provider is a local fake speaking OAuth2's token endpoint.
 */
let t: TestApp;
let provider: Awaited<ReturnType<typeof startJsonServer>>;
let base: string;
const exchanges: Record<string, string>[] = [];

beforeAll(async () => {
  provider = await startJsonServer((req) => {
    if (req.url === '/token') {
      const form = Object.fromEntries(new URLSearchParams(req.body));
      exchanges.push(form);
      if (form.grant_type === 'authorization_code' && form.code === 'good-code') {
        return { status: 200, body: { access_token: 'first-token', refresh_token: 'refresh-a', expires_in: 1 } };
      }
      if (form.grant_type === 'refresh_token' && form.refresh_token === 'refresh-a')
        return { status: 200, body: { access_token: 'second-token', expires_in: 3600 } };
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    return token === 'first-token' || token === 'second-token'
      ? { status: 200, body: { me: 'ada', token } }
      : { status: 401, body: { error: 'invalid_token' } };
  });
  base = provider.base;
  t = await buildTestApp({ WEBHOOK_URL: 'https://flows.example.com/' });
});
afterAll(async () => {
  await t.close();
  await provider.close();
});

async function oauthCredential(grantType: string) {
  const res = await api(t, 'POST', '/credentials', {
    name: `Provider ${grantType}`,
    type: 'oAuth2Api',
    data: {
      grantType,
      authUrl: `${base}/authorize`,
      accessTokenUrl: `${base}/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      scope: 'profile',
      authQueryParameters: 'access_type=offline',
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; name: string };
}

async function callApi(credential: { id: string; name: string }) {
  const nodes = [
    node('Start', 'manualTrigger'),
    node('Me', 'httpRequest', { url: `${base}/me`, authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api' }, 4.2, {
      credentials: { oAuth2Api: credential },
    }),
  ];
  const id = await createWorkflow(t, { name: `OAuth2 call ${Math.random()}`, nodes, connections: chain(nodes), settings: {} });
  return (await api(t, 'POST', `/workflows/${id}/run`, { wait: true })).json() as Json;
}

describe('OAuth2 credentials', () => {
  it('authorizes with PKCE through the callback, stores the tokens, and refreshes them when they expire', async () => {
    const credential = await oauthCredential('pkce');
    const authorized = await api(t, 'POST', `/credentials/${credential.id}/oauth2/authorize`);
    expect(authorized.statusCode, authorized.body).toBe(200);
    const { authorizationUrl, redirectUri } = authorized.json();
    expect(redirectUri).toBe('https://flows.example.com/rest/oauth2-credential/callback');
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'app',
      redirect_uri: redirectUri,
      scope: 'profile',
      code_challenge_method: 'S256',
      access_type: 'offline',
    });

    // The provider sends the browser back with a code and the state it was given.
    const state = url.searchParams.get('state')!;
    const back = await t.app.inject({
      method: 'GET',
      url: `/rest/oauth2-credential/callback?code=good-code&state=${encodeURIComponent(state)}`,
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toContain('The credential &quot;Provider pkce&quot; is connected');
    const exchange = exchanges.at(-1)!;
    expect(exchange).toMatchObject({ grant_type: 'authorization_code', code: 'good-code', redirect_uri: redirectUri });
    expect(createHash('sha256').update(exchange.code_verifier!).digest('base64url')).toBe(url.searchParams.get('code_challenge'));

    // Stored encrypted: the token is not in the row as text.
    const { rows } = await t.app.runtime.sql.query('SELECT data FROM credential WHERE id = $1', [credential.id]);
    expect(String(rows[0].data)).not.toContain('first-token');

    // The first token lives one second; the next run refreshes it and stores the new one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const run = await callApi(credential);
    expect(run.status).toBe('success');
    expect(outputOf(run, 'Me')[0]?.json).toEqual({ me: 'ada', token: 'second-token' });
    expect(exchanges.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-a' });
    const again = await callApi(credential);
    expect(outputOf(again, 'Me')[0]?.json.token).toBe('second-token');
    expect(exchanges.at(-1)).toMatchObject({ grant_type: 'refresh_token' });
  });

  it('refuses a forged or expired state, a provider’s refusal, and credentials that are not OAuth2', async () => {
    const credential = await oauthCredential('authorizationCode');
    const { authorizationUrl } = (await api(t, 'POST', `/credentials/${credential.id}/oauth2/authorize`)).json();
    const state = new URL(authorizationUrl).searchParams.get('state')!;
    const forged = `${state.split('.')[0]}.${'A'.repeat(43)}`;
    const refused = await t.app.inject({ method: 'GET', url: `/rest/oauth2-credential/callback?code=good-code&state=${forged}` });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This authorization link is not valid or has expired');
    const denied = await t.app.inject({ method: 'GET', url: `/rest/oauth2-credential/callback?error=access_denied&state=${state}` });
    expect(denied.body).toContain('The provider refused the authorization: access_denied');
    const badCode = await t.app.inject({
      method: 'GET',
      url: `/rest/oauth2-credential/callback?code=wrong&state=${encodeURIComponent(state)}`,
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.body).toContain('invalid_grant');
    const bearer = await api(t, 'POST', '/credentials', { name: 'Bearer', type: 'httpBearerAuth', data: { token: 'x' } });
    const notOAuth = await api(t, 'POST', `/credentials/${bearer.json().id}/oauth2/authorize`);
    expect(notOAuth.statusCode).toBe(400);
    expect(notOAuth.json().message).toBe('Only oAuth2Api credentials are authorized this way; this one is httpBearerAuth');
  });
});
