import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';
import { ValidationError } from '../../lib/errors.ts';
import { OAuthTokenError, requestTokens, type TokenPost } from '../../lib/oauth2-tokens.ts';
import type { CredentialTestNetwork } from './credential-tests.ts';

/** An authorization link stays usable this long. */
const STATE_TTL_MS = 10 * 60_000;
/** n8n's callback path, which OAuth2 apps are registered with. */
export const OAUTH2_CALLBACK_PATH = 'rest/oauth2-credential/callback';

interface StatePayload {
  /** Credential id. */
  c: string;
  /** Nonce: also seeds the PKCE verifier, so nothing needs storing between the two steps. */
  n: string;
  /** Expiry, ms since the epoch. */
  e: number;
}

/**
 * OAuth2's authorization code flow for oAuth2Api credentials: the authorization URL to open (with a signed state
 * naming the credential, and PKCE when the grant type is pkce), and the callback that swaps the code for tokens.
 * The state is an HMAC with the instance key, so the public callback only ever acts on a link this server made.
 */
export function createOAuth2Flow(deps: { secret: Buffer; baseUrl: string; network: CredentialTestNetwork }) {
  const redirectUri = `${deps.baseUrl}${OAUTH2_CALLBACK_PATH}`;
  const sign = (text: string) => createHmac('sha256', deps.secret).update(`oauth2-state:${text}`).digest('base64url');
  const verifierOf = (nonce: string) => createHmac('sha256', deps.secret).update(`oauth2-pkce:${nonce}`).digest('base64url');

  const post: TokenPost = async (url, body, headers) => {
    const response = await request(url, {
      method: 'POST',
      body,
      headers,
      dispatcher: deps.network.dispatcher,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    return { status: response.statusCode, text: await response.body.text() };
  };

  function authorizationUrl(credentialId: string, data: Record<string, unknown>): string {
    if (!data.authUrl)
      throw new ValidationError('The credential has no Authorization URL (authUrl): set it to use the authorization code flow');
    if (data.grantType === 'clientCredentials')
      throw new ValidationError('A client credentials credential needs no authorization: it gets its token itself');
    const payload: StatePayload = { c: credentialId, n: randomBytes(16).toString('base64url'), e: Date.now() + STATE_TTL_MS };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const url = new URL(String(data.authUrl));
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', String(data.clientId ?? ''));
    url.searchParams.set('redirect_uri', redirectUri);
    if (data.scope) url.searchParams.set('scope', String(data.scope));
    url.searchParams.set('state', `${encoded}.${sign(encoded)}`);
    if (data.grantType === 'pkce') {
      url.searchParams.set('code_challenge', createHash('sha256').update(verifierOf(payload.n)).digest('base64url'));
      url.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [name, value] of new URLSearchParams(String(data.authQueryParameters ?? ''))) url.searchParams.set(name, value);
    return url.toString();
  }

  /** The credential a state names, if this server signed it and it has not expired. */
  function credentialOfState(state: string): { credentialId: string; nonce: string } | undefined {
    const [encoded = '', signature = ''] = state.split('.');
    const expected = Buffer.from(sign(encoded));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as StatePayload;
      return payload.e > Date.now() ? { credentialId: payload.c, nonce: payload.n } : undefined;
    } catch {
      return undefined;
    }
  }

  async function exchange(data: Record<string, unknown>, code: string, nonce: string) {
    try {
      return await requestTokens(post, data, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        ...(data.grantType === 'pkce' ? { code_verifier: verifierOf(nonce) } : {}),
      });
    } catch (error) {
      if (error instanceof OAuthTokenError) throw new ValidationError(error.message);
      throw error;
    }
  }

  return { authorizationUrl, credentialOfState, exchange, redirectUri };
}

export type OAuth2Flow = ReturnType<typeof createOAuth2Flow>;
