import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import mime from 'mime-types';
import prettyBytes from 'pretty-bytes';
import { NodeOperationError } from './node-types.ts';
import type { BinaryData } from './types.ts';

/**
 * Where the bytes of items' binary properties live, outside the execution's JSON (n8n's binary data modes): the
 * binary-data module implements it with files under DATA_DIR or rows in PostgreSQL. Without one ("default", n8n's
 * in-memory mode), bytes travel inside the item as base64.
 */
export interface BinaryStorage {
  /** n8n's name for the mode, written into each item's `data` (`filesystem`, `database`). */
  readonly mode: string;
  /** Stores bytes for `executionId` (streamed: a stream is never held whole) and returns the reference. */
  write(executionId: string, data: Buffer | Readable): Promise<{ id: string; size: number }>;
  read(id: string): Promise<Buffer>;
  stream(id: string): Promise<Readable>;
}

/** What nodes use to make and read files (NodeContext.binary). */
export interface BinaryHelpers {
  /** Stores `data` and returns the item's binary property for it, with n8n's metadata fields. */
  prepare(data: Buffer | Readable, meta?: { fileName?: string; mimeType?: string; directory?: string }): Promise<BinaryData>;
  /** The whole file (parsers need it whole). */
  buffer(binary: BinaryData): Promise<Buffer>;
  /** The file as a stream (answers, uploads, archives). */
  stream(binary: BinaryData): Promise<Readable>;
}

export function createBinaryHelpers(storage: BinaryStorage | undefined, executionId: string): BinaryHelpers {
  return {
    async prepare(data, meta = {}) {
      const fileName = meta.fileName || undefined;
      const mimeType = meta.mimeType || (fileName && mime.lookup(fileName)) || 'application/octet-stream';
      let stored: { data: string; id?: string; size: number };
      if (storage) {
        const { id, size } = await storage.write(executionId, data);
        stored = { data: storage.mode, id, size };
      } else {
        const bytes = Buffer.isBuffer(data) ? data : await readAll(data);
        stored = { data: bytes.toString('base64'), size: bytes.length };
      }
      return binaryMetadata({ ...stored, mimeType, fileName, directory: meta.directory });
    },
    async buffer(binary) {
      if (binary.id && storage) return storage.read(binary.id);
      if (binary.id) throw missingStorage();
      return Buffer.from(binary.data ?? '', 'base64');
    },
    async stream(binary) {
      if (binary.id && storage) return storage.stream(binary.id);
      if (binary.id) throw missingStorage();
      return Readable.from([Buffer.from(binary.data ?? '', 'base64')]);
    },
  };
}

/** n8n's fields for a file: type, extension and size in words, beside the data or its reference. */
export function binaryMetadata(input: {
  data: string;
  id?: string;
  size: number;
  mimeType: string;
  fileName?: string;
  directory?: string;
}): BinaryData {
  const extension = input.fileName?.includes('.') ? input.fileName.split('.').pop() : mime.extension(input.mimeType) || undefined;
  const fileType = fileTypeOf(input.mimeType);
  return {
    data: input.data,
    mimeType: input.mimeType,
    ...(fileType ? { fileType } : {}),
    ...(input.fileName ? { fileName: input.fileName } : {}),
    ...(input.directory ? { directory: input.directory } : {}),
    ...(extension ? { fileExtension: extension.toLowerCase() } : {}),
    fileSize: prettyBytes(input.size),
    bytes: input.size,
    ...(input.id ? { id: input.id } : {}),
  };
}

/** n8n's coarse `fileType` (the UI picks a preview by it). */
function fileTypeOf(mimeType: string): string | undefined {
  const [kind, sub = ''] = mimeType.split(';')[0]!.trim().split('/');
  if (sub === 'json') return 'json';
  if (sub === 'html') return 'html';
  if (sub === 'pdf') return 'pdf';
  if (kind === 'text' || kind === 'image' || kind === 'audio' || kind === 'video') return kind;
  return undefined;
}

function missingStorage(): NodeOperationError {
  return new NodeOperationError('This file is kept in binary data storage, which this process was not given');
}

/** A node's binary property, or n8n's error naming it. */
export function binaryProperty(item: { binary?: Record<string, BinaryData> }, name: string, itemIndex: number): BinaryData {
  const binary = item.binary?.[name];
  if (!binary) {
    throw new NodeOperationError(
      `This operation expects the node's input data to contain a binary file '${name}', but none was found [item ${itemIndex}]`,
      {
        description: 'Make sure that the previous node outputs a binary file',
        itemIndex,
      },
    );
  }
  return binary;
}

/**
 * The item with the bytes of its stored files inline as base64, for code that needs every file's bytes at hand
 * (a request body, a file written out); an item without stored files comes back as it is.
 */
export async function withBytesInline<T extends { binary?: Record<string, BinaryData> }>(helpers: BinaryHelpers, item: T): Promise<T> {
  if (!item.binary || !Object.values(item.binary).some((file) => file.id)) return item;
  const binary: Record<string, BinaryData> = {};
  for (const [name, file] of Object.entries(item.binary)) {
    binary[name] = file.id ? { ...file, data: (await helpers.buffer(file)).toString('base64') } : file;
  }
  return { ...item, binary };
}
