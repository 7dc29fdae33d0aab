import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { JsonObject } from '../../types.ts';
import { checkCredentialDomains } from './credential-domains.ts';
import type { RequestSpec } from './request-spec.ts';

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
): Promise<void> {
  const authentication = ctx.getParam<string>('authentication', itemIndex, 'none');
  if (authentication === 'none') return;
  if (authentication !== 'genericCredentialType') {
    throw new NodeOperationError(`Authentication "${authentication}" is not supported by this server`, {
      description: 'Use "Generic Credential Type" with Basic, Header, Query or Bearer auth.',
      itemIndex,
    });
  }
  await applyCredential(spec, ctx.getParam<string>('genericAuthType', itemIndex, ''), itemIndex, readCredential);
}

/** Puts a generic credential (`httpBasicAuth`, `httpHeaderAuth`, ...) on the request, held to its allowed domains. */
export async function applyCredential(
  spec: RequestSpec,
  type: string,
  itemIndex: number,
  readCredential: (type: string) => Promise<JsonObject>,
): Promise<void> {
  const apply = GENERIC_AUTH[type];
  if (!apply) {
    throw new NodeOperationError(`Generic auth type "${type}" is not supported by this server`, {
      description: `Supported types: ${Object.keys(GENERIC_AUTH).join(', ')}.`,
      itemIndex,
    });
  }
  const credential = await readCredential(type);
  // Before the secret is on the request: a refused credential must not reach the host even in an error path.
  const credentialDomains = checkCredentialDomains(credential, spec.url, spec.requestedUrl, itemIndex);
  if (credentialDomains !== undefined) spec.credentialDomains = credentialDomains;
  apply(spec, credential);
}
