import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createStartupLogger, loggerOptions } from './logger.ts';
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
    const log = pino(loggerOptions({ logLevel: 'trace' }), stream);
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

describe('createStartupLogger', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const log = createStartupLogger({ logLevel: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    return { log, lines };
  }

  it('redacts start-up lines as the app redacts its own', () => {
    const { log, lines } = capture();
    log.error({ err: new Error(`GET http://db.local/x?X-N8N-API-KEY=${KEY} failed`) }, `start-up failed: /x?api_key=${KEY}`);
    log.info({ apiKey: KEY, url: `/hook?token=${KEY}`, nested: { password: 'hunter2' } }, 'seeded');
    expect(lines[0]?.msg).toBe(`start-up failed: /x?api_key=${R}`);
    expect(lines[0]?.err).toMatchObject({ message: `GET http://db.local/x?X-N8N-API-KEY=${R} failed` });
    expect(lines[1]).toMatchObject({ apiKey: R, url: `/hook?token=${R}`, nested: { password: R } });
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('writes the same fields as the app logger, with the process name as its base, at the configured level', () => {
    const { log, lines } = capture();
    const appLines: Record<string, unknown>[] = [];
    const appLog = pino(loggerOptions({ logLevel: 'info' }), { write: (line: string) => appLines.push(JSON.parse(line)) });
    for (const logger of [log, appLog]) {
      logger.debug('not at info');
      logger.warn({ secret: 's', err: 'connect /x?password=p failed' }, 'retrying /x?token=t');
    }
    const { time: _time, name, ...startup } = lines[0] ?? {};
    // The start-up logger's base is its name, where the app's (pino's default) is pid and hostname.
    const { time: _appTime, pid: _pid, hostname: _hostname, ...fromApp } = appLines[0] ?? {};
    expect(lines).toHaveLength(1);
    expect(name).toBe('flowgate');
    expect(startup).toEqual(fromApp);
    expect(startup).toMatchObject({ secret: R, err: `connect /x?password=${R} failed`, msg: `retrying /x?token=${R}` });
  });
});
