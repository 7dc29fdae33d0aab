import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** What the test server received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  baseUrl: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** 20 MiB of zeros, gzipped to about 20 KiB. */
export const GZIP_BOMB_INFLATED_BYTES = 20 * 1024 * 1024;
let bombCache: Buffer | undefined;
export function gzipBomb(): Buffer {
  bombCache ??= gzipSync(Buffer.alloc(GZIP_BOMB_INFLATED_BYTES), { level: 9 });
  return bombCache;
}

export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** A local HTTP server for the HTTP Request node's tests; every route answers something the tests check. */
export async function startTestServer(): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(request);
      const path = new URL(request.url, 'http://test').pathname;
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(value));
      };
      if (path === '/json') return json(200, { hello: 'world' }, { 'x-custom': 'yes' });
      if (path === '/echo') return json(200, request);
      if (path === '/array') return json(200, [{ id: 1 }, { id: 2 }, { id: 3 }]);
      if (path === '/primitives') return json(200, [1, 'two', null]);
      if (path === '/not-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('this is not json');
      }
      if (path === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('plain text');
      }
      if (path === '/files/logo.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(PNG_BYTES);
      }
      if (path === '/download') {
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="report.pdf"' });
        return res.end('%PDF-1.4');
      }
      if (path === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(gzipSync(JSON.stringify({ compressed: true })));
      }
      if (path === '/redirect') {
        res.writeHead(302, { location: '/json' });
        return res.end();
      }
      if (path === '/redirect-to') {
        res.writeHead(302, { location: new URL(request.url, 'http://test').searchParams.get('url') ?? '/json' });
        return res.end();
      }
      if (path === '/gzip-bomb') {
        // Content-Length is the compressed size, far below any limit: only counting after decompression catches it.
        const bomb = gzipBomb();
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
        return res.end(bomb);
      }
      if (path === '/empty') {
        res.writeHead(204);
        return res.end();
      }
      const status = /^\/status\/(\d{3})$/.exec(path);
      if (status) return json(Number(status[1]), { error: 'nope' });
      // /slow and anything else: never answer.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
