import type { OAuthTokenData } from '../../lib/oauth2-tokens.ts';
import { withBytesInline } from '../binary-data.ts';
import type { NodeContext, NodeType } from '../node-types.ts';
import type { Item } from '../types.ts';
import { applyAuthentication, credentialReader, tokenPostVia } from './http-request/authentication.ts';
import { buildRequestSpec } from './http-request/request-spec.ts';
import { responseItems } from './http-request/response-items.ts';
import { DEFAULT_HTTP_REQUEST_SETTINGS, type HttpRequestSettings } from './http-request/settings.ts';
import { createTransport } from './http-request/transport.ts';

/**
 * n8n's HTTP Request node (v4 parameters): one request per input item, each with its own resolved parameters.
 * Requests go one after another; `options.batching` adds n8n's pause between batches. The server makes its own
 * from its configuration (address policy, response size limit); `httpRequestNode` has the defaults.
 */
export function createHttpRequestNode(settings: HttpRequestSettings = DEFAULT_HTTP_REQUEST_SETTINGS): NodeType {
  const sendRequest = createTransport(settings);
  return {
    type: 'n8n-nodes-base.httpRequest',
    async execute(ctx) {
      const readCredential = credentialReader(ctx);
      const output: Item[] = [];
      for (let itemIndex = 0; itemIndex < ctx.items.length; itemIndex++) {
        await pauseBetweenBatches(ctx, itemIndex);
        const input = ctx.items[itemIndex];
        // A body made of files needs their bytes; other requests leave stored files where they are.
        const sendsFiles =
          ctx.getParam('sendBody', itemIndex, false) && FILE_BODIES.has(String(ctx.getParam('contentType', itemIndex, '')));
        const build = () => buildRequestSpec(ctx, itemIndex, input && sendsFiles ? withBytes : input);
        const withBytes = input && sendsFiles ? await withBytesInline(ctx.binary, input) : input;
        const oauth2 = {
          post: tokenPostVia(sendRequest, ctx.signal),
          save: (token: OAuthTokenData) => ctx.updateCredential('oAuth2Api', { oauthTokenData: token }),
        };
        let spec = build();
        await applyAuthentication(spec, ctx, itemIndex, readCredential, oauth2);
        let response = await sendRequest(spec, ctx.signal);
        // An OAuth2 token the API refuses (expired early, revoked) is refreshed once and the request sent again.
        if (
          usesOAuth2(ctx, itemIndex) &&
          response.statusCode === Number((await readCredential('oAuth2Api')).tokenExpiredStatusCode ?? 401)
        ) {
          spec = build();
          await applyAuthentication(spec, ctx, itemIndex, readCredential, { ...oauth2, force: true });
          response = await sendRequest(spec, ctx.signal);
        }
        output.push(...(await responseItems(response, spec, input, itemIndex, ctx.binary)));
      }
      return [output];
    },
  };
}

const FILE_BODIES = new Set(['binaryData', 'multipart-form-data']);

const usesOAuth2 = (ctx: NodeContext, itemIndex: number) =>
  ctx.getParam<string>('authentication', itemIndex, 'none') === 'genericCredentialType' &&
  ctx.getParam<string>('genericAuthType', itemIndex, '') === 'oAuth2Api';

export const httpRequestNode: NodeType = createHttpRequestNode();

async function pauseBetweenBatches(ctx: NodeContext, itemIndex: number): Promise<void> {
  if (itemIndex === 0) return;
  const batch = ctx.getParam<{ batchSize?: unknown; batchInterval?: unknown } | undefined>('options.batching.batch', itemIndex, undefined);
  if (!batch) return;
  // n8n: a batch size of 0 means 1; -1 means no batching.
  const size = Number(batch.batchSize ?? 50);
  const interval = Number(batch.batchInterval ?? 1000);
  if (size < 0 || !(interval > 0)) return;
  if (itemIndex % Math.max(1, size) === 0) await ctx.sleep(interval);
}
