import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { binaryMetadata } from '../../engine/binary-data.ts';
import type { BinaryData } from '../../engine/types.ts';
import { AppError } from '../../lib/errors.ts';
import { type BinaryDataService, FileTooLargeError } from '../binary-data/binary-data.service.ts';

/** A file a caller sent, stored before the run starts: where it is, and what the caller said it is. */
export interface ReceivedFile {
  /** The form field it came in (the raw body's file has none). */
  field?: string;
  fileName?: string;
  mimeType: string;
  /** Its reference in binary data storage, or (in the in-memory mode) its bytes as base64. */
  id?: string;
  data?: string;
  size: number;
}

/** What a webhook call carried: parsed fields, and files stored as they streamed in. */
export interface ReceivedBody {
  body: unknown;
  files: ReceivedFile[];
}

/** Content types that are text to n8n's webhooks; any other one that is not JSON or a form is a file. */
const TEXT = /^(text\/|application\/(xml|[\w.+-]+\+xml|javascript|x-ndjson)\b)/i;

/**
 * How webhook (and form) routes read request bodies: JSON as objects, urlencoded forms as objects, text as text,
 * multipart forms as fields plus files, and any other body as one file, as n8n's Webhook node does. Files stream
 * into binary data storage (bounded by N8N_BINARY_DATA_MAX_MB), never whole into memory.
 */
export async function registerWebhookBodyParsers(app: FastifyInstance, opts: { maxFileBytes: number; maxFiles?: number }) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString())));
  });
  app.addContentTypeParser(TEXT, { parseAs: 'string' }, (_request, body, done) => done(null, body.toString()));
  // Left as the request stream: readWebhookBody stores it.
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  await app.register(multipart, {
    limits: { fileSize: opts.maxFileBytes, files: opts.maxFiles ?? 100, fields: 1000, fieldSize: 1024 * 1024 },
    throwFileSizeLimit: true,
  });
}

/** A webhook request's body, with its files stored (`binaryData` undefined: kept in memory as base64). */
export async function readWebhookBody(
  request: FastifyRequest,
  binaryData: BinaryDataService | undefined,
  maxFileBytes: number,
): Promise<ReceivedBody> {
  try {
    return await readBody(request, binaryData, maxFileBytes);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (error instanceof FileTooLargeError || code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(
        413,
        'PAYLOAD_TOO_LARGE',
        `A file is larger than the ${Math.round(maxFileBytes / 1024 / 1024)} MiB this server accepts (N8N_BINARY_DATA_MAX_MB)`,
      );
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The form has more parts than this server accepts: ${(error as Error).message}`);
    }
    if (code.startsWith('FST_'))
      throw new AppError(400, 'VALIDATION_ERROR', `The multipart body could not be read: ${(error as Error).message}`);
    throw error;
  }
}

async function readBody(request: FastifyRequest, binaryData: BinaryDataService | undefined, maxFileBytes: number): Promise<ReceivedBody> {
  const store = async (stream: Readable): Promise<Pick<ReceivedFile, 'id' | 'data' | 'size'>> => {
    if (binaryData) return { ...(await binaryData.write(null, stream)), data: binaryData.mode };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxFileBytes) throw new FileTooLargeError(maxFileBytes);
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    return { data: bytes.toString('base64'), size: bytes.length };
  };
  if (request.isMultipart()) {
    const fields: Record<string, unknown> = {};
    const files: ReceivedFile[] = [];
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const stored = await store(part.file);
        files.push({ field: part.fieldname, fileName: part.filename || undefined, mimeType: part.mimetype, ...stored });
      } else {
        addField(fields, part.fieldname, part.value);
      }
    }
    return { body: fields, files };
  }
  const body = request.body;
  if (body && typeof (body as Readable).pipe === 'function') {
    const mimeType = String(request.headers['content-type'] ?? 'application/octet-stream')
      .split(';')[0]!
      .trim();
    const stored = await store(body as Readable);
    if (!stored.size) return { body: {}, files: [] };
    return { body: {}, files: [{ mimeType, fileName: fileNameOf(request.headers['content-disposition']), ...stored }] };
  }
  return { body, files: [] };
}

/** A repeated field (or one named `x[]`) becomes a list, as n8n's form parsing gives it. */
function addField(fields: Record<string, unknown>, name: string, value: unknown): void {
  const key = name.endsWith('[]') ? name.slice(0, -2) : name;
  const existing = fields[key];
  if (existing === undefined) fields[key] = name.endsWith('[]') ? [value] : value;
  else fields[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

function fileNameOf(disposition: string | undefined): string | undefined {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** A received file as an item's binary property (n8n's fields beside its reference, or its bytes in memory mode). */
export function binaryOfReceived(file: ReceivedFile): BinaryData {
  return binaryMetadata({
    data: file.data ?? '',
    ...(file.id ? { id: file.id } : {}),
    size: file.size,
    mimeType: file.mimeType,
    ...(file.fileName ? { fileName: file.fileName } : {}),
  });
}
