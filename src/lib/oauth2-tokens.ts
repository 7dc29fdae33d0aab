/**
 * OAuth2 token requests (RFC 6749) for n8n's oAuth2Api credential: client credentials, authorization code (with PKCE)
 * and refresh. The HTTP call is the caller's (the HTTP Request node's transport, or the credentials module's
 * dispatcher), so both go through the address policy.
 */

/** A POST of a urlencoded form; answers the status and the body text. */
export type TokenPost = (url: string, body: string, headers: Record<string, string>) => Promise<{ status: number; text: string }>;

/** The stored token, as n8n keeps it in the credential's `oauthTokenData` (plus when it expires, ours). */
export interface OAuthTokenData {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  /** Milliseconds since the epoch; absent when the provider gave no lifetime. */
  expires_at?: number;
  [key: string]: unknown;
}

export class OAuthTokenError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OAuthTokenError';
  }
}

/** A token this close to its expiry is refreshed before use. */
const EXPIRY_MARGIN_MS = 60_000;

export function tokenDataOf(credential: Record<string, unknown>): OAuthTokenData | undefined {
  let value = credential.oauthTokenData;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const data = value as OAuthTokenData | undefined;
  return data && typeof data.access_token === 'string' && data.access_token ? data : undefined;
}

export function isFresh(token: OAuthTokenData, now = Date.now()): boolean {
  return token.expires_at === undefined || token.expires_at - EXPIRY_MARGIN_MS > now;
}

/** Asks the token endpoint for tokens with `grant` (grant_type and its fields), authenticating the client as set. */
export async function requestTokens(
  post: TokenPost,
  credential: Record<string, unknown>,
  grant: Record<string, string>,
  previous?: OAuthTokenData,
): Promise<OAuthTokenData> {
  const url = String(credential.accessTokenUrl ?? '');
  if (!url) throw new OAuthTokenError('The OAuth2 credential has no Access Token URL');
  const form = new URLSearchParams(grant);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const clientId = String(credential.clientId ?? '');
  const clientSecret = String(credential.clientSecret ?? '');
  if (credential.authentication === 'body') {
    form.set('client_id', clientId);
    if (clientSecret) form.set('client_secret', clientSecret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  }
  const response = await post(url, form.toString(), headers);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    // Some providers answer a form; read it the same way.
    body = Object.fromEntries(new URLSearchParams(response.text));
  }
  if (response.status < 200 || response.status >= 300 || typeof body.access_token !== 'string') {
    const reason = [body.error, body.error_description].filter(Boolean).join(': ') || `status ${response.status}`;
    throw new OAuthTokenError(`Could not get an OAuth2 access token from ${new URL(url).host} (${reason})`, response.status);
  }
  const expiresIn = Number(body.expires_in);
  return {
    ...body,
    access_token: body.access_token,
    ...(previous?.refresh_token && !body.refresh_token ? { refresh_token: previous.refresh_token } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expires_at: Date.now() + expiresIn * 1000 } : {}),
  } as OAuthTokenData;
}

/**
 * A usable access token for the credential: the stored one while fresh (unless `force`), else a refreshed one (with
 * its refresh token) or, for client credentials, a new one. `save` stores a new token before it is used.
 */
export async function accessToken(
  post: TokenPost,
  credential: Record<string, unknown>,
  save: (token: OAuthTokenData) => Promise<void>,
  force = false,
): Promise<string> {
  const stored = tokenDataOf(credential);
  if (stored && !force && isFresh(stored)) return stored.access_token;
  let token: OAuthTokenData;
  if (stored?.refresh_token) {
    token = await requestTokens(post, credential, { grant_type: 'refresh_token', refresh_token: stored.refresh_token }, stored);
  } else if (credential.grantType === 'clientCredentials') {
    token = await requestTokens(post, credential, {
      grant_type: 'client_credentials',
      ...(credential.scope ? { scope: String(credential.scope) } : {}),
    });
  } else if (stored && !force) {
    return stored.access_token;
  } else {
    throw new OAuthTokenError(
      'The OAuth2 credential is not connected: authorize it first (POST /api/v1/credentials/{id}/oauth2/authorize gives the URL to open)',
    );
  }
  await save(token);
  credential.oauthTokenData = token;
  return token.access_token;
}
