import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorSchema } from '../lib/schemas.ts';
import type { Scope } from '../modules/api-keys/scopes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scopes the API key must hold. Every route declares these, `anyKey: true` or `public: true`. */
    scopes?: readonly Scope[];
    /** Needs a valid API key but no scope (n8n's `x-required-scope: none`, e.g. GET /credentials/schema/:type). */
    anyKey?: boolean;
    /** Reachable without an API key (health, docs, OpenAPI). */
    public?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered, for the boot-time guard and the coverage tests. */
    routeContracts: RouteContract[];
  }
}

export interface RouteContract {
  method: string;
  url: string;
  scopes: readonly Scope[];
  /** A valid key is enough: no scope is checked. */
  anyKey: boolean;
  public: boolean;
  hidden: boolean;
  operationId?: string;
  summary?: string;
  /** The OpenAPI tags (n8n's resource names: GET /discover groups by them). */
  tags: readonly string[];
}

type RouteSchema = {
  response?: Record<string | number, unknown>;
  hide?: boolean;
  operationId?: string;
  summary?: string;
  tags?: readonly string[];
  security?: { [label: string]: readonly string[] }[];
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
};

/** Statuses every route can answer, documented on every route so clients see them in the OpenAPI document. */
function addStandardErrorResponses(route: RouteOptions, isPublic: boolean, anyKey: boolean) {
  const schema = (route.schema ?? {}) as RouteSchema;
  const response = { ...(schema.response ?? {}) };
  const statuses = [
    ...(schema.body || schema.querystring || schema.params ? [400] : []),
    ...(isPublic ? [] : anyKey ? [401] : [401, 403]),
    ...(route.url.includes(':') ? [404] : []),
    429,
    500,
  ];
  for (const status of statuses) response[status] ??= ErrorSchema;
  route.schema = { ...schema, response, ...(isPublic ? { security: [] } : {}) };
}

/**
 * Records every route and refuses to boot when one declares neither scopes, `anyKey: true` nor `public: true`: a
 * route that forgot its scopes must fail loudly at start-up, not serve unauthenticated traffic.
 */
export const routeContractPlugin = fp(
  async (app: FastifyInstance) => {
    const contracts: RouteContract[] = [];
    const routes: RouteOptions[] = [];
    app.decorate('routeContracts', contracts);

    app.addHook('onRoute', (route) => {
      routes.push(route);
      addStandardErrorResponses(route, route.config?.public === true, route.config?.anyKey === true);
    });

    app.addHook('onReady', async () => {
      const missing: string[] = [];
      for (const route of routes) {
        const config = route.config ?? {};
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        const schema = (route.schema ?? {}) as RouteSchema;
        const declaresScopes = Array.isArray(config.scopes) && config.scopes.length > 0;
        // `anyKey` is an explicit choice, so it cannot come with scopes it would not check.
        const anyKey = config.anyKey === true && !declaresScopes;
        if (!declaresScopes && !anyKey && config.public !== true) missing.push(`${methods.join(',')} ${route.url}`);
        for (const method of methods) {
          contracts.push({
            method,
            url: route.url,
            scopes: config.scopes ?? [],
            anyKey,
            public: config.public === true,
            hidden: schema.hide === true,
            operationId: schema.operationId,
            summary: schema.summary,
            tags: schema.tags ?? [],
          });
        }
      }
      if (missing.length) {
        throw new Error(`Routes without scopes (declare config.scopes, config.anyKey: true or config.public: true): ${missing.join('; ')}`);
      }
    });
  },
  { name: 'route-contract' },
);
