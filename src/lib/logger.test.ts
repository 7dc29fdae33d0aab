import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger.ts';
import { REDACTED } from './redact-url.ts';

const KEY = 'n8n_api_Xk3abcdefghijklmnopqrstuvwxyz0123456789';
const R = REDACTED;

describe('loggerOptions', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const log = pino(loggerOptions({ logLevel: 'trace' }) as pino.LoggerOptions, stream);
    return { log, lines };
  }

  it('serializes a request with its URL redacted and nothing else added', () => {
    const { log, lines } = capture();
    log.info(
      {
        req: {
          method: 'GET',
          url: `/x?api_key=${KEY}`,
          headers: { 'x-n8n-api-key': KEY },
          host: 'h',
          ip: '1.2.3.4',
          socket: { remotePort: 5 },
        },
      },
      'incoming request',
    );
    expect(lines[0]?.req).toEqual({ method: 'GET', url: `/x?api_key=${R}`, host: 'h', remoteAddress: '1.2.3.4', remotePort: 5 });
  });

  it('redacts a url field wherever a call site logs one', () => {
    const { log, lines } = capture();
    log.info({ url: 'https://api.example.com/v1?api_key=abc&page=2' }, 'outbound request');
    expect(lines[0]?.url).toBe(`https://api.example.com/v1?api_key=${R}&page=2`);
  });

  it('redacts URLs in messages, also with format arguments', () => {
    const { log, lines } = capture();
    log.info('Route GET:/x?token=abc not found');
    log.info({ a: 1 }, 'calling %s', '/x?token=abc');
    expect(lines.map((l) => l.msg)).toEqual([`Route GET:/x?token=${R} not found`, `calling /x?token=${R}`]);
  });

  it('serializes errors without rawPacket, with URLs redacted in message and stack', () => {
    const { log, lines } = capture();
    const err = Object.assign(new Error(`Parse Error for /x?token=abc with ${KEY}`), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from(`GET / HTTP/1.1\r\nX-N8N-API-KEY: ${KEY}\r\n`),
    });
    log.trace({ err }, 'client error');
    const logged = lines[0]?.err as Record<string, unknown>;
    expect(logged).not.toHaveProperty('rawPacket');
    expect(logged.code).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(logged.message).toBe(`Parse Error for /x?token=${R} with ${R}`);
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(JSON.stringify(lines)).not.toContain('abc');
  });

  it('passes an err that is only a message through, redacted', () => {
    const { log, lines } = capture();
    log.warn({ err: `connect to /x?password=hunter2 failed` }, 'redis connection error');
    expect(lines[0]?.err).toBe(`connect to /x?password=${R} failed`);
  });

  it('still censors secret fields by path', () => {
    const { log, lines } = capture();
    log.info({ req: { headers: { authorization: 'Bearer x' } }, apiKey: KEY, nested: { token: 't' } }, 'x');
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(lines[0]?.apiKey).toBe(R);
  });
});
