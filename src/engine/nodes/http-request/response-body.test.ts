import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeOperationError } from '../../node-types.ts';
import { createHttpRequestNode } from '../http-request.ts';
import { jsonOf, runNode } from '../test-support.ts';
import { readResponseBody } from './response-body.ts';
import { DEFAULT_HTTP_REQUEST_SETTINGS } from './settings.ts';
import { GZIP_BOMB_INFLATED_BYTES, gzipBomb, startTestServer, type TestServer } from './test-server.ts';

const MIB = 1024 * 1024;
const ORIGIN = 'http://api.example.test';
const GET = { origin: ORIGIN, method: 'GET', statusCode: 200 };
const limit = (maxBytes: number) => ({ ...GET, maxBytes });

/** A body that hands out its chunks and records how many were pulled, and whether it was destroyed. */
function trackedBody(chunks: Buffer[]) {
  const state = { pulled: 0, destroyed: false };
  const body = new Readable({
    highWaterMark: 1,
    read() {
      const next = chunks[state.pulled];
      if (next) state.pulled++;
      this.push(next ?? null);
    },
    destroy(error, callback) {
      state.destroyed = true;
      callback(error);
    },
  });
  return { body, state };
}

describe('readResponseBody', () => {
  it('undoes gzip, deflate and brotli, and several encodings in order', async () => {
    const text = Buffer.from('{"ok":true}');
    expect(await readResponseBody(Readable.from([gzipSync(text)]), { 'content-encoding': 'gzip' }, limit(MIB))).toEqual(text);
    expect(await readResponseBody(Readable.from([deflateSync(text)]), { 'content-encoding': 'deflate' }, limit(MIB))).toEqual(text);
    expect(await readResponseBody(Readable.from([brotliCompressSync(text)]), { 'content-encoding': 'br' }, limit(MIB))).toEqual(text);
    const twice = brotliCompressSync(gzipSync(text));
    expect(await readResponseBody(Readable.from([twice]), { 'content-encoding': 'gzip, br' }, limit(MIB))).toEqual(text);
  });

  it('keeps an empty body empty whatever its encoding, and leaves an unknown encoding as sent', async () => {
    expect(await readResponseBody(Readable.from([]), { 'content-encoding': 'gzip' }, limit(MIB))).toEqual(Buffer.alloc(0));
    expect(await readResponseBody(Readable.from([Buffer.from('zz')]), { 'content-encoding': 'zstd' }, limit(MIB))).toEqual(
      Buffer.from('zz'),
    );
  });

  it('reads a body of exactly the limit', async () => {
    const body = Buffer.alloc(1000, 1);
    expect((await readResponseBody(Readable.from([gzipSync(body)]), { 'content-encoding': 'gzip' }, limit(1000))).length).toBe(1000);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { body, state } = trackedBody([Buffer.alloc(10)]);
    const error = await readResponseBody(body, { 'content-length': String(2 * MIB) }, limit(MIB)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as Error).message).toBe(
      'The response from http://api.example.test is larger than 1 MiB, the limit set by N8N_HTTP_REQUEST_MAX_RESPONSE_MB',
    );
    expect(state).toEqual({ pulled: 0, destroyed: true });
  });

  it('stops a gzip bomb once the inflated bytes pass the limit, long before the end, and drops the body', async () => {
    // 20 MiB of zeros as 64 gzip pieces of about 300 bytes each; Content-Length (the compressed size) looks harmless.
    const bomb = gzipBomb();
    const pieces = Array.from({ length: 64 }, (_, i) => bomb.subarray((i * bomb.length) / 64, ((i + 1) * bomb.length) / 64));
    const { body, state } = trackedBody(pieces);
    const error = await readResponseBody(body, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }, limit(MIB)).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/is larger than 1 MiB/);
    expect(GZIP_BOMB_INFLATED_BYTES).toBe(20 * MIB);
    // The body was dropped before its end (the decoder buffers up to 16 KiB of compressed input ahead, so more than
    // the 1 MiB's worth of pieces were pulled; the endless-stream test below shows what that bounds).
    expect(state.pulled).toBeLessThan(pieces.length);
    expect(state.destroyed).toBe(true);
  });

  it('ignores the Content-Length of a HEAD, 204 or 304 answer, which carries no body', async () => {
    const declared = { 'content-length': String(2 * MIB) };
    expect(await readResponseBody(Readable.from([]), declared, { ...limit(MIB), method: 'HEAD' })).toEqual(Buffer.alloc(0));
    expect(await readResponseBody(Readable.from([]), declared, { ...limit(MIB), statusCode: 304 })).toEqual(Buffer.alloc(0));
  });

  it('counts the bytes as sent too, when there is no Content-Length', async () => {
    const { body, state } = trackedBody(Array.from({ length: 100 }, () => Buffer.alloc(64 * 1024)));
    await expect(readResponseBody(body, {}, limit(MIB))).rejects.toThrow('is larger than 1 MiB');
    expect(state.pulled).toBeLessThan(32);
    expect(state.destroyed).toBe(true);
  });
});

describe('HTTP Request: response size limit', () => {
  let server: TestServer;
  /** Sends gzipped zeros for as long as the client reads, and records when the client hangs up. */
  let endless: Server;
  let endlessUrl: string;
  const endlessState = { inflatedBytesWritten: 0, clientClosed: false };
  beforeAll(async () => {
    server = await startTestServer();
    endless = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      const zeros = Buffer.alloc(256 * 1024);
      const write = () => {
        while (!res.destroyed && endlessState.inflatedBytesWritten < 1024 * MIB) {
          endlessState.inflatedBytesWritten += zeros.length;
          if (!gzip.write(zeros)) return void gzip.once('drain', write);
        }
      };
      res.on('close', () => {
        endlessState.clientClosed = true;
        gzip.destroy();
      });
      write();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    endlessUrl = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/stream`;
  });
  afterAll(async () => {
    await server.close();
    endless.closeAllConnections();
    await new Promise<void>((resolve) => endless.close(() => resolve()));
  });

  const limited = createHttpRequestNode({ ...DEFAULT_HTTP_REQUEST_SETTINGS, maxResponseBytes: MIB });

  it('fails the node on a gzip bomb whose Content-Length is its small compressed size', async () => {
    const error = await runNode(limited, { parameters: { url: `${server.baseUrl}/gzip-bomb` } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as Error).message).toBe(
      `The response from ${server.baseUrl} is larger than 1 MiB, the limit set by N8N_HTTP_REQUEST_MAX_RESPONSE_MB`,
    );
  });

  it('aborts an endless compressed stream as soon as the limit is passed', async () => {
    const error = await runNode(limited, { parameters: { url: endlessUrl } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/is larger than 1 MiB, the limit set by N8N_HTTP_REQUEST_MAX_RESPONSE_MB$/);
    await expect.poll(() => endlessState.clientClosed).toBe(true);
    // The server stopped well before the gigabyte it was ready to send: the client hung up near the limit.
    expect(endlessState.inflatedBytesWritten).toBeLessThan(64 * MIB);
  });

  it('still reads answers under the limit, compressed or not', async () => {
    expect(jsonOf((await runNode(limited, { parameters: { url: `${server.baseUrl}/gzip` } })).result)).toEqual([{ compressed: true }]);
    expect(jsonOf((await runNode(limited, { parameters: { url: `${server.baseUrl}/json` } })).result)).toEqual([{ hello: 'world' }]);
  });
});
