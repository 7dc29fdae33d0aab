import { accessToken, type OAuthTokenData, OAuthTokenError, type TokenPost } from '../../../lib/oauth2-tokens.ts';
import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { JsonObject } from '../../types.ts';
import { checkCredentialDomains } from './credential-domains.ts';
import { PREDEFINED_AUTH } from './predefined-credentials.ts';
import { plainRequest, type RequestSpec } from './request-spec.ts';
import type { SendRequest } from './transport.ts';

/** The generic credential types (`authentication: genericCredentialType`) this node can apply itself. */
const GENERIC_AUTH: Record<string, (spec: RequestSpec, credential: JsonObject) => void> = {
  httpBasicAuth(spec, { user, password }) {
    spec.headers.authorization = `Basic ${Buffer.from(`${text(user)}:${text(password)}`).toString('base64')}`;
  },
  httpHeaderAuth(spec, { name, value }) {
    spec.headers[text(name).toLowerCase()] = text(value);
  },
  httpQueryAuth(spec, { name, value }) {
    spec.url.searchParams.set(text(name), text(value));
  },
  httpBearerAuth(spec, { token }) {
    spec.headers.authorization = `Bearer ${text(token)}`;
  },
};

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** Reads each credential once per node run, however many items the node sends. */
export function credentialReader(ctx: NodeContext): (type: string) => Promise<JsonObject> {
  const cache = new Map<string, Promise<JsonObject>>();
  return (type) => {
    let credential = cache.get(type);
    if (!credential) {
      credential = ctx.getCredentials(type);
      cache.set(type, credential);
    }
    return credential;
  };
}

export async function applyAuthentication(
  spec: RequestSpec,
  ctx: NodeContext,
  itemIndex: number,
  readCredential: (type: string) => Promise<JsonObject>,
  oauth2?: OAuth2Access,
): Promise<void> {
  const authentication = ctx.getParam<string>('authentication', itemIndex, 'none');
  if (authentication === 'none') return;
  if (authentication === 'predefinedCredentialType') {
    const type = ctx.getParam<string>('nodeCredentialType', itemIndex, '');
    return applyCredential(spec, type, itemIndex, readCredential, oauth2, { ...GENERIC_AUTH, ...PREDEFINED_AUTH });
  }
  if (authentication !== 'genericCredentialType') {
    throw new NodeOperationError(`Authentication "${authentication}" is not supported by this server`, {
      description: 'Use "Generic Credential Type" with Basic, Header, Query, Bearer or OAuth2 auth.',
      itemIndex,
    });
  }
  await applyCredential(spec, ctx.getParam<string>('genericAuthType', itemIndex, ''), itemIndex, readCredential, oauth2);
}

/** How an OAuth2 credential gets its token: the token endpoint's POST (through the node's transport) and where to keep it. */
export interface OAuth2Access {
  post: TokenPost;
  save(token: OAuthTokenData): Promise<void>;
  /** Ask for a new token even when the stored one looks fresh (the API refused it). */
  force?: boolean;
}

/** The token endpoint POST, sent like any request of the node (its address policy, its size limit). */
export function tokenPostVia(send: SendRequest, signal: AbortSignal): TokenPost {
  return async (url, body, headers) => {
    const response = await send(
      plainRequest({ method: 'POST', url: new URL(url), headers, body, timeoutMs: 30_000, followRedirects: false }),
      signal,
    );
    return { status: response.statusCode, text: response.body.toString('utf8') };
  };
}

/** Puts a generic credential (`httpBasicAuth`, `httpHeaderAuth`, ...) on the request, held to its allowed domains. */
export async function applyCredential(
  spec: RequestSpec,
  type: string,
  itemIndex: number,
  readCredential: (type: string) => Promise<JsonObject>,
  oauth2?: OAuth2Access,
  rules: Record<string, (spec: RequestSpec, credential: JsonObject) => void> = GENERIC_AUTH,
): Promise<void> {
  if (type === 'oAuth2Api' && oauth2) {
    const credential = await readCredential(type);
    const credentialDomains = checkCredentialDomains(credential, spec.url, spec.requestedUrl, itemIndex);
    if (credentialDomains !== undefined) spec.credentialDomains = credentialDomains;
    try {
      spec.headers.authorization = `Bearer ${await accessToken(oauth2.post, credential, oauth2.save, oauth2.force)}`;
    } catch (error) {
      if (error instanceof OAuthTokenError) throw new NodeOperationError(error.message, { itemIndex });
      throw error;
    }
    return;
  }
  const apply = rules[type];
  if (!apply) {
    throw new NodeOperationError(
      `${rules === GENERIC_AUTH ? 'Generic auth' : 'Credential'} type "${type}" is not supported by this server`,
      {
        description: `Supported types: ${Object.keys(rules).join(', ')}, oAuth2Api.`,
        itemIndex,
      },
    );
  }
  const credential = await readCredential(type);
  // Before the secret is on the request: a refused credential must not reach the host even in an error path.
  const credentialDomains = checkCredentialDomains(credential, spec.url, spec.requestedUrl, itemIndex);
  if (credentialDomains !== undefined) spec.credentialDomains = credentialDomains;
  apply(spec, credential);
}
