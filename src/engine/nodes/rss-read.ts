import Parser from 'rss-parser';
import { fieldList } from '../field-paths.ts';
import { NodeApiError, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { plainRequest } from './http-request/request-spec.ts';
import type { HttpRequestSettings } from './http-request/settings.ts';
import { createTransport, type SendRequest } from './http-request/transport.ts';
import { startItems } from './start-items.ts';

const TIMEOUT_MS = 60_000;

/**
 * n8n's RSS Read node: reads an RSS or Atom feed (per input item from v1.1) and outputs one item per entry, as
 * rss-parser (n8n's library) gives it: title, link, pubDate, isoDate, content, contentSnippet, guid, and any
 * `customFields`. The feed is fetched through the HTTP Request node's transport (address policy, size limit).
 */
export function createRssReadNode(settings: HttpRequestSettings): NodeType {
  const send = createTransport(settings);
  return {
    type: 'n8n-nodes-base.rssFeedRead',
    typeVersions: [1, 1.1, 1.2],
    async execute(ctx) {
      const output: Item[] = [];
      const perItem = ctx.node.typeVersion >= 1.1;
      const count = perItem ? ctx.items.length : Math.min(1, ctx.items.length || 1);
      for (let itemIndex = 0; itemIndex < count; itemIndex++) {
        const url = feedUrl(ctx.getParam<string>('url', itemIndex, ''), itemIndex);
        const feed = await readFeed(send, url, ctx.getParam<JsonObject>('options', itemIndex, {}), ctx.signal).catch((error: Error) => {
          throw error instanceof NodeApiError ? error : new NodeOperationError(error.message, { itemIndex });
        });
        for (const entry of feed.items ?? []) output.push({ json: entry as JsonObject, pairedItem: { item: itemIndex } });
      }
      return [output];
    },
  };
}

/** Fetches a feed through the transport and parses it as rss-parser does (RSS 0.9x/1/2 and Atom). */
export async function readFeed(send: SendRequest, url: URL, options: JsonObject, signal: AbortSignal): Promise<Parser.Output<JsonObject>> {
  const customFields = fieldList(String(options.customFields ?? ''), 'Custom Fields');
  const response = await send(
    plainRequest({
      method: 'GET',
      url,
      headers: {
        accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml, */*',
        'user-agent': 'n8n',
        'accept-encoding': 'gzip, deflate, br',
      },
      timeoutMs: TIMEOUT_MS,
      allowUnauthorizedCerts: options.ignoreSSL === true,
    }),
    signal,
  );
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw new NodeApiError(`The feed answered ${response.statusCode}`, { httpCode: String(response.statusCode) });
  }
  try {
    return await new Parser<JsonObject, JsonObject>({ customFields: { item: customFields } }).parseString(response.body.toString('utf8'));
  } catch (error) {
    throw new Error(`The feed could not be read: ${(error as Error).message}`);
  }
}

/** A feed URL parameter, or n8n's error. */
export function feedUrl(address: string, itemIndex?: number): URL {
  try {
    return new URL(address);
  } catch {
    throw new NodeOperationError('The provided "URL" is not valid!', itemIndex === undefined ? {} : { itemIndex });
  }
}

/** When an entry was published: its isoDate, else its pubDate; entries without a date count as old. */
const entryTime = (entry: JsonObject) => Date.parse(String(entry.isoDate ?? entry.pubDate ?? '')) || 0;

/**
 * n8n's RSS Feed Trigger: polls `feedUrl` on its poll times (the triggers module calls `poll`) and starts a run with
 * the entries published since the newest one it saw (at first, since it was activated): n8n's `lastItemDate` and
 * `lastTimeChecked` static data, kept per node in PostgreSQL.
 */
export function createRssFeedTriggerNode(settings: HttpRequestSettings): NodeType {
  const send = createTransport(settings);
  return {
    type: 'n8n-nodes-base.rssFeedReadTrigger',
    typeVersions: [1],
    trigger: true,
    inputs: () => 0,
    async poll(ctx) {
      const url = feedUrl(String(ctx.node.parameters.feedUrl ?? ''));
      const feed = await readFeed(send, url, {}, ctx.signal);
      const since = Number(ctx.state.lastItemDate ?? ctx.state.lastTimeChecked ?? ctx.now().getTime());
      ctx.state.lastTimeChecked = ctx.now().getTime();
      const fresh = (feed.items ?? []).filter((entry) => entryTime(entry as JsonObject) > since) as JsonObject[];
      if (!fresh.length) return null;
      ctx.state.lastItemDate = Math.max(...fresh.map(entryTime));
      return fresh.map((entry) => ({ json: entry }));
    },
    // A run starts with the entries the poll found (a manual run: with the items it is given).
    execute: async (ctx) => [startItems(ctx)],
  };
}
