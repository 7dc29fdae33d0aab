import type { Dispatcher } from 'undici';
import { hostMatches, splitList } from '../../../lib/net/host-patterns.ts';
import { NodeOperationError } from '../../node-types.ts';
import type { JsonObject } from '../../types.ts';

/**
 * n8n's "Allowed HTTP Request Domains" of a credential, checked before the credential is put on a request:
 * `none` refuses every request with it, `domains` only lets it go to the hosts in `allowedDomains`, and `all` (or no
 * setting) anywhere. Returns the allowed domains when the credential is restricted to them, so that every redirect
 * hop can be held to the same list (see `credentialRedirectGuard`). Messages are n8n's HTTP Request node's.
 */
export function checkCredentialDomains(credential: JsonObject, url: URL, requestedUrl: string, itemIndex: number): string | undefined {
  const mode = credential.allowedHttpRequestDomains;
  if (mode === 'none') {
    throw new NodeOperationError('This credential is configured to prevent use within an HTTP Request node', { itemIndex });
  }
  if (mode !== 'domains') return undefined;
  const allowedDomains = typeof credential.allowedDomains === 'string' ? credential.allowedDomains : '';
  if (allowedDomains.trim() === '') {
    throw new NodeOperationError('No allowed domains specified. Configure allowed domains or change restriction setting.', { itemIndex });
  }
  if (!isDomainAllowed(url.hostname, allowedDomains)) {
    throw new NodeOperationError(
      `Domain not allowed: This credential is restricted from accessing ${requestedUrl}. Only the following domains are allowed: ${allowedDomains}`,
      { itemIndex },
    );
  }
  return allowedDomains;
}

/** `api.example.com, *.example.org`: exact hosts, or wildcards that match subdomains only (as n8n's isDomainAllowed). */
export function isDomainAllowed(hostname: string, allowedDomains: string): boolean {
  return splitList(allowedDomains).some((pattern) => hostMatches(hostname, pattern));
}

/**
 * An undici interceptor for inside the redirect interceptor, so it sees every hop before it is dispatched: a hop to
 * a host the credential may not go to fails the request there, before a connection to that host is opened, so the
 * credential's headers never reach it. undici itself drops only Authorization and Cookie on a cross-origin redirect,
 * not a Header Auth credential's own header.
 */
export function credentialRedirectGuard(allowedDomains: string): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const target = new URL(options.path, options.origin);
    if (isDomainAllowed(target.hostname, allowedDomains)) return dispatch(options, handler);
    // The query string is left out: a redirect may carry a token there, and this message is stored with the execution.
    const error = new NodeOperationError(
      `Domain not allowed: This credential is restricted from accessing ${target.origin}${target.pathname}. ` +
        `Only the following domains are allowed: ${allowedDomains}`,
      { description: 'The request was redirected to this address; nothing was sent there.' },
    );
    // As undici's own interceptors fail a dispatch: through the handler, with no controller yet.
    handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, error);
    return true;
  };
}
