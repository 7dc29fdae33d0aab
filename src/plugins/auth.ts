import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, UnauthorizedError } from '../lib/errors.ts';
import type { Principal } from '../modules/api-keys/api-keys.service.ts';
import { hasScope } from '../modules/api-keys/scopes.ts';
import { mayAnywhere } from '../modules/roles/access.ts';
import type { Caller, Grant } from '../modules/roles/grant.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated API key; set for every non-public route that reaches a handler. */
    principal?: Principal;
    /** What this request may do: the key's user and the route's scopes; services check it against the project of what they touch. */
    grant?: Grant;
  }
}

/** The authenticated caller of a route behind auth (every non-public route). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.principal || !request.grant) throw new Error(`route ${request.routeOptions.url} reached its handler without authentication`);
  return { principal: request.principal, grant: request.grant };
}

export const API_KEY_HEADER = 'x-n8n-api-key';

function needsAuth(request: FastifyRequest): boolean {
  // Unknown routes answer 404 before authentication, as n8n's router does.
  return !request.is404 && request.routeOptions.config?.public !== true;
}

/**
 * Identify (X-N8N-API-KEY → principal, 401 when missing or bad) then admit (the route's scopes, 403), both
 * in onRequest so a rejected request never has its body read.
 *
 * Registered after: route-contract (every route declares its scopes, so none is admitted by default), error-handler
 * (401/403 bodies), services (the API keys) and rate-limit (its per-address onRequest hook runs first, so guessing
 * keys is limited too).
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    const { apiKeys } = app.services;
    app.decorateRequest('principal', undefined);
    app.decorateRequest('grant', undefined);

    app.addHook('onRequest', async (request) => {
      if (!needsAuth(request)) return;
      const header = request.headers[API_KEY_HEADER];
      const rawKey = Array.isArray(header) ? undefined : header?.trim();
      const principal = rawKey ? await apiKeys.authenticate(rawKey) : null;
      if (!principal) throw new UnauthorizedError();
      request.principal = principal;
      const required = request.routeOptions.config.scopes ?? [];
      const missing = required.filter((scope) => !hasScope(principal.scopes, scope));
      if (missing.length) throw new ForbiddenError({ missingScopes: missing });
      // The key may, but may its user? Somewhere, by their global role or a project role (a demotion narrows their keys
      // at once); the services then check the project of what is touched (the grant), and lists keep to those projects.
      const beyondRole = required.filter((scope) => !mayAnywhere(principal.access, scope));
      if (beyondRole.length) {
        throw new ForbiddenError({ reason: `The role of user ${principal.access.email} does not allow this`, missingScopes: beyondRole });
      }
      request.grant = { access: principal.access, scopes: required };
    });
  },
  { name: 'auth', dependencies: ['route-contract', 'error-handler', 'services', 'rate-limit'] },
);
