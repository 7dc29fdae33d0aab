import { binaryProperty } from '../binary-data.ts';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { BinaryData } from '../types.ts';

/**
 * Respond to Webhook: answers the HTTP request that started the run (webhook `responseMode: responseNode`), then
 * passes its items on. Outside a webhook run the response goes nowhere, as in n8n.
 */
export const respondToWebhookNode: NodeType = {
  type: 'n8n-nodes-base.respondToWebhook',
  async execute(ctx) {
    const items = ctx.items;
    const respondWith = ctx.getParam<string>('respondWith', 0, 'firstIncomingItem');
    const statusCode = Number(ctx.getParam('options.responseCode', 0, respondWith === 'redirect' ? 307 : 200));
    const headers: Record<string, string> = {};
    for (const entry of ctx.getParam<{ name: string; value: string }[]>('options.responseHeaders.entries', 0, [])) {
      if (entry?.name) headers[entry.name.toLowerCase()] = String(entry.value ?? '');
    }
    let body: unknown;
    let binary: BinaryData | undefined;
    switch (respondWith) {
      case 'binary': {
        const item = items[0] ?? { json: {} };
        const name =
          ctx.getParam<string>('responseDataSource', 0, 'automatically') === 'set'
            ? ctx.getParam<string>('inputFieldName', 0, 'data')
            : Object.keys(item.binary ?? {})[0];
        if (!name) throw new NodeOperationError('No binary data exists on the first item!');
        binary = binaryProperty(item, name, 0);
        break;
      }
      case 'allIncomingItems':
        body = items.map((item) => item.json);
        break;
      case 'firstIncomingItem':
        body = items[0]?.json ?? {};
        break;
      case 'json': {
        const raw = ctx.getParam<unknown>('responseBody', 0, '{}');
        body = parseJsonBody(raw);
        break;
      }
      case 'text':
        body = String(ctx.getParam('responseBody', 0, ''));
        headers['content-type'] ??= 'text/plain; charset=utf-8';
        break;
      case 'noData':
        body = undefined;
        break;
      case 'redirect':
        headers.location = String(ctx.getParam('redirectURL', 0, ''));
        body = undefined;
        break;
      default:
        throw new NodeOperationError(`Responding with "${respondWith}" is not supported by this server`);
    }
    ctx.respond({ statusCode, headers, body, ...(binary ? { binary } : {}) });
    return [items];
  },
};

function parseJsonBody(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new NodeOperationError('Invalid JSON in "Response Body" field', {
      description: 'Check the JSON you set in the Respond to Webhook node.',
    });
  }
}
