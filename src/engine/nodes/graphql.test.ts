import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlNode } from './graphql.ts';
import { DEFAULT_HTTP_REQUEST_SETTINGS } from './http-request/settings.ts';
import { jsonOf, runNode } from './test-support.ts';

/** A GraphQL endpoint that answers `products` and reports an error for anything else, recording what it got. */
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const query =
        req.method === 'GET'
          ? (new URL(req.url ?? '', 'http://x').searchParams.get('query') ?? '')
          : req.headers['content-type']?.includes('json')
            ? JSON.parse(body).query
            : body;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          query.includes('products') ? { data: { products: [{ id: 1 }] } } : { errors: [{ message: 'Cannot query field "nope"' }] },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const node = createGraphqlNode(DEFAULT_HTTP_REQUEST_SETTINGS);

describe('GraphQL node', () => {
  it('posts the query, variables and operation name as JSON with a header credential, and outputs the answer', async () => {
    const { result } = await runNode(node, {
      node: { typeVersion: 1.1 },
      parameters: {
        endpoint,
        query: 'query Products($first: Int) { products(first: $first) { id } }',
        variables: '{"first": 5}',
        operationName: 'Products',
        authentication: 'headerAuth',
      },
      credentials: { httpHeaderAuth: { name: 'X-Shop-Token', value: 'secret' } },
    });
    expect(jsonOf(result)).toEqual([{ data: { products: [{ id: 1 }] } }]);
    const request = seen.at(-1)!;
    expect(request.headers['x-shop-token']).toBe('secret');
    expect(JSON.parse(request.body)).toEqual({
      query: 'query Products($first: Int) { products(first: $first) { id } }',
      variables: { first: 5 },
      operationName: 'Products',
    });
  });

  it('sends application/graphql in v1 and the query string by GET, and fails with GraphQL’s errors', async () => {
    await runNode(node, { node: { typeVersion: 1 }, parameters: { endpoint, query: '{ products { id } }' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{ products { id } }', headers: { 'content-type': 'application/graphql' } });
    const viaGet = await runNode(node, {
      node: { typeVersion: 1.1 },
      parameters: { endpoint, requestMethod: 'GET', query: '{ products { id } }' },
    });
    expect(jsonOf(viaGet.result)).toEqual([{ data: { products: [{ id: 1 }] } }]);
    expect(seen.at(-1)?.url).toBe('/graphql?query=%7B+products+%7B+id+%7D+%7D');
    await expect(runNode(node, { node: { typeVersion: 1.1 }, parameters: { endpoint, query: '{ nope }' } })).rejects.toThrow(
      'Cannot query field "nope"',
    );
  });
});
