import { NodeApiError, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { applyCredential, credentialReader } from './http-request/authentication.ts';
import { plainRequest } from './http-request/request-spec.ts';
import type { HttpRequestSettings } from './http-request/settings.ts';
import { createTransport } from './http-request/transport.ts';

/** The GraphQL node's authentication choices and the generic credential each uses. */
const AUTH: Record<string, string> = { basicAuth: 'httpBasicAuth', headerAuth: 'httpHeaderAuth', queryAuth: 'httpQueryAuth' };
const TIMEOUT_MS = 300_000;

/**
 * n8n's GraphQL node (v1, v1.1): a query (and variables, operation name) sent as JSON or as `application/graphql`,
 * by POST or GET, through the HTTP Request node's transport (its address policy and size limit). The answer's JSON
 * is the item; GraphQL `errors` fail the node with their messages, as n8n does.
 */
export function createGraphqlNode(settings: HttpRequestSettings): NodeType {
  const send = createTransport(settings);
  return {
    type: 'n8n-nodes-base.graphql',
    typeVersions: [1, 1.1],
    async execute(ctx) {
      const readCredential = credentialReader(ctx);
      const output: Item[] = [];
      for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
        const endpoint = ctx.getParam<string>('endpoint', itemIndex, '');
        let url: URL;
        try {
          url = new URL(endpoint);
        } catch {
          throw new NodeOperationError(`Invalid endpoint URL: "${endpoint}"`, { itemIndex });
        }
        const method = ctx.getParam<string>('requestMethod', itemIndex, 'POST').toUpperCase();
        const format = ctx.getParam<string>('requestFormat', itemIndex, ctx.node.typeVersion >= 1.1 ? 'json' : 'graphql');
        const query = ctx.getParam<string>('query', itemIndex, '');
        const rawVariables = ctx.getParam<unknown>('variables', itemIndex, {});
        let variables: unknown = rawVariables;
        if (typeof rawVariables === 'string') {
          try {
            variables = rawVariables.trim() ? JSON.parse(rawVariables) : {};
          } catch {
            throw new NodeOperationError('Using variables failed: the variables are not valid JSON', { itemIndex });
          }
        }
        const operationName = ctx.getParam<string>('operationName', itemIndex, '');
        const spec = plainRequest({
          method,
          url,
          requestedUrl: endpoint,
          headers: { accept: 'application/json', 'user-agent': 'n8n' },
          timeoutMs: TIMEOUT_MS,
          allowUnauthorizedCerts: ctx.getParam<boolean>('allowUnauthorizedCerts', itemIndex, false) === true,
          neverError: false,
        });
        for (const header of ctx.getParam<{ name?: string; value?: string }[]>('headerParametersUi.parameter', itemIndex, [])) {
          if (header?.name) spec.headers[header.name.toLowerCase()] = String(header.value ?? '');
        }
        if (method === 'GET') {
          url.searchParams.set('query', query);
          if (variables && Object.keys(variables as object).length) url.searchParams.set('variables', JSON.stringify(variables));
          if (operationName) url.searchParams.set('operationName', operationName);
        } else if (format === 'json') {
          spec.body = JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) });
          spec.headers['content-type'] = 'application/json';
        } else {
          spec.body = query;
          spec.headers['content-type'] = 'application/graphql';
        }
        const authentication = ctx.getParam<string>('authentication', itemIndex, 'none');
        if (authentication !== 'none') {
          const type = AUTH[authentication];
          if (!type) throw new NodeOperationError(`Authentication "${authentication}" is not supported by this server`, { itemIndex });
          await applyCredential(spec, type, itemIndex, readCredential);
        }
        const response = await send(spec, ctx.signal);
        const text = response.body.toString('utf8');
        if (response.statusCode < 200 || response.statusCode >= 300) {
          throw new NodeApiError(`The GraphQL endpoint answered ${response.statusCode}`, {
            httpCode: String(response.statusCode),
            description: text.slice(0, 2000),
          });
        }
        if (ctx.getParam<string>('responseFormat', itemIndex, 'json') === 'string') {
          output.push({ json: { [ctx.getParam<string>('dataPropertyName', itemIndex, 'data')]: text }, pairedItem: { item: itemIndex } });
          continue;
        }
        let body: JsonObject;
        try {
          body = JSON.parse(text) as JsonObject;
        } catch {
          throw new NodeOperationError('The GraphQL endpoint did not answer with JSON; set "Response Format" to "String"', { itemIndex });
        }
        const errors = body.errors as { message?: string }[] | undefined;
        if (Array.isArray(errors) && errors.length) {
          throw new NodeApiError(errors.map((error) => error?.message ?? '').join('\n') || 'Unexpected error', {
            description: JSON.stringify(errors).slice(0, 2000),
          });
        }
        output.push({ json: body, pairedItem: { item: itemIndex } });
      }
      return [output];
    },
  };
}
