import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type Logger, type SerializedError } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config/env.ts';
import { REDACTED, redactUrl, redactUrlsInText } from './redact-url.ts';

/** Anything that could hold a secret is censored wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers["x-n8n-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.password',
  '*.token',
  '*.data',
  'apiKey',
  'password',
  'secret',
];

/** Fastify's own request serializer, with the URL redacted. */
function serializeRequest(request: FastifyRequest) {
  const version = request.headers?.['accept-version'];
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
    version: typeof version === 'string' ? version : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * pino's error serializer, with URLs in the message and stack redacted (Fastify puts request URLs into some of its
 * errors) and without `rawPacket`: Node attaches the bytes it read of a malformed request, headers and API key
 * included, to the client error Fastify logs at trace level.
 */
function serializeError(err: FastifyError): SerializedError {
  const serialized: unknown = pino.stdSerializers.err(err);
  // Not every `err` is an Error (some call sites log a message string): pino passes those through.
  if (typeof serialized === 'string') return redactUrlsInText(serialized) as unknown as SerializedError;
  if (!serialized || typeof serialized !== 'object') return serialized as SerializedError;
  const fields = serialized as SerializedError;
  delete fields.rawPacket;
  if (typeof fields.message === 'string') fields.message = redactUrlsInText(fields.message);
  if (typeof fields.stack === 'string') fields.stack = redactUrlsInText(fields.stack);
  return fields;
}

/**
 * The pino options of every logger in the process: Fastify's (src/app.ts) and the start-up logger that runs before
 * the app exists (createStartupLogger, src/server.ts), so both redact and serialize alike.
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>): pino.LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    // `url` too, so that a call site logging `{ url }` (an outbound request, a redirect) is covered without thought.
    serializers: { req: serializeRequest, err: serializeError, url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url) },
    hooks: {
      // Message strings too: Fastify writes some URLs straight into them (`Route GET:/x?token=... not found`).
      logMethod(args, method) {
        const parts = args as unknown[];
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i];
          if (typeof part === 'string') parts[i] = redactUrlsInText(part);
        }
        return method.apply(this, args);
      },
    },
  };
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Honour a caller's (or proxy's) x-request-id when it is harmless to log and echo; otherwise make one. */
export function genReqId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  if (typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming)) return incoming;
  return `req-${randomUUID()}`;
}

/**
 * Where the server's log lines go: one JSON object per line (for log collectors) unless stdout is a terminal,
 * where a person reads them, as `12:00:00.123 INFO: message` with colours. Both the start-up logger and Fastify's
 * use it, so one process never mixes the two formats. Redaction happens before the stream, in either case.
 */
export function logDestination(stdout: { isTTY?: boolean } = process.stdout): { write(line: string): void } | undefined {
  if (!stdout.isTTY) return undefined;
  return pinoPretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    // Synchronous, as pino's own stdout destination: the last lines before process.exit are not lost.
    sync: true,
  });
}

/**
 * The logger of the start-up steps before and around the app (config, database, migrations, listen, shutdown):
 * the app's options (loggerOptions) with the process name, writing to `stream` (logDestination's, when stdout is a
 * terminal) or synchronously to stdout.
 */
export function createStartupLogger(config: Pick<Config, 'logLevel'>, stream?: DestinationStream): Logger {
  return pino({ ...loggerOptions(config), base: { name: 'flowgate' } }, stream ?? pino.destination({ dest: 1, sync: true }));
}
