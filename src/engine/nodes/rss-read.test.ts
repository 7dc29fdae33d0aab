import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_REQUEST_SETTINGS } from './http-request/settings.ts';
import { createRssReadNode } from './rss-read.ts';
import { jsonOf, runNode } from './test-support.ts';

const RSS = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Releases</title>
<item><title>v2.0</title><link>https://example.com/v2</link><pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate><guid>r-2</guid><description>&lt;p&gt;Big &lt;b&gt;release&lt;/b&gt;&lt;/p&gt;</description><dc:creator>Ada</dc:creator><rating>5</rating></item>
<item><title>v1.9</title><link>https://example.com/v1-9</link><pubDate>Sun, 06 Dec 2026 09:00:00 GMT</pubDate><guid>r-1</guid></item>
</channel></rss>`;
const ATOM = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><entry><title>Hello</title><link href="https://example.com/hello"/><id>a-1</id><updated>2026-12-01T08:00:00Z</updated><summary>First post</summary></entry></feed>`;

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(req.url === '/atom' ? ATOM : RSS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const node = createRssReadNode(DEFAULT_HTTP_REQUEST_SETTINGS);

describe('RSS Read', () => {
  it('outputs one item per entry with rss-parser’s fields, custom fields included', async () => {
    const { result } = await runNode(node, {
      node: { typeVersion: 1.2 },
      parameters: { url: `${base}/rss`, options: { customFields: 'rating' } },
    });
    const [first, second] = jsonOf(result);
    expect(first).toMatchObject({
      title: 'v2.0',
      link: 'https://example.com/v2',
      guid: 'r-2',
      creator: 'Ada',
      rating: '5',
      content: '<p>Big <b>release</b></p>',
      contentSnippet: 'Big release',
      isoDate: '2026-12-07T10:00:00.000Z',
    });
    expect(second?.title).toBe('v1.9');
  });

  it('reads Atom, a URL per input item from v1.1, and says what is wrong with a URL or a feed', async () => {
    const { result } = await runNode(node, {
      node: { typeVersion: 1.1 },
      parameters: { url: `${base}/atom` },
      items: [{ json: {} }, { json: {} }],
    });
    expect(jsonOf(result).map((entry) => entry.title)).toEqual(['Hello', 'Hello']);
    await expect(runNode(node, { parameters: { url: 'not a url' } })).rejects.toThrow('The provided "URL" is not valid!');
    await expect(runNode(node, { parameters: { url: `${base}/missing` } })).rejects.toThrow('The feed answered 404');
  });
});
