import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SqlClient } from '../../db/client.ts';
import type { BinaryStorage } from '../../engine/binary-data.ts';
import { NodeOperationError } from '../../engine/node-types.ts';
import {
  adoptBinaryRows,
  deleteUnownedBinaryRows,
  existingBinaryIds,
  insertBinaryRow,
  readBinaryBytes,
  setBinarySize,
} from './binary-data.repository.ts';

export type BinaryDataMode = 'filesystem' | 'database';

export interface BinaryDataService extends BinaryStorage {
  /** Stores a file before there is an execution to own it (a webhook upload); `adopt` hands it over. */
  write(executionId: string | null, data: Buffer | Readable): Promise<{ id: string; size: number }>;
  adopt(ids: string[], executionId: string): Promise<void>;
  /** Removes files whose execution is gone (deleted, pruned) and uploads no execution took. */
  sweep(now?: number): Promise<number>;
}

/** Ids are ours (uuids); anything else, e.g. a path a Code node made up, names no file. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A file being written has its row already; one the sweep finds without a row and this old has lost its owner. */
const SWEEP_MIN_AGE_MS = 60_000;
const UNOWNED_MAX_AGE_MS = 3_600_000;
const SWEEP_BATCH = 1000;

/**
 * Binary data storage (n8n's `N8N_DEFAULT_BINARY_DATA_MODE`): "filesystem" keeps each file under
 * `<DATA_DIR>/binary-data`, written and read as streams (several instances need that folder shared); "database" keeps
 * the bytes in PostgreSQL, which every instance reaches (a file is then held whole while written or read). Every
 * file has a row in `binary_data` tied to its execution, so it goes when the execution goes.
 */
export function createBinaryDataService(deps: { sql: SqlClient; mode: BinaryDataMode; dir: string; maxBytes: number }): BinaryDataService {
  const { sql, mode, maxBytes } = deps;
  const dir = path.join(deps.dir, 'binary-data');
  let ready: Promise<unknown> | undefined;
  const fileOf = (id: string) => path.join(dir, id);

  function checkedId(id: string): string {
    if (!ID.test(id)) throw notFound(id);
    return id;
  }

  async function writeFile(id: string, data: Buffer | Readable): Promise<number> {
    ready ??= mkdir(dir, { recursive: true });
    await ready;
    const partial = `${fileOf(id)}.partial`;
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(size > maxBytes ? tooLarge(maxBytes) : null, chunk);
      },
    });
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, limit, createWriteStream(partial));
      await rename(partial, fileOf(id));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return size;
  }

  return {
    mode,
    async write(executionId, data) {
      const id = randomUUID();
      if (mode === 'database') {
        const bytes = Buffer.isBuffer(data) ? data : await collect(data, maxBytes);
        if (bytes.length > maxBytes) throw tooLarge(maxBytes);
        await insertBinaryRow(sql, { id, executionId, size: bytes.length, data: bytes });
        return { id, size: bytes.length };
      }
      await insertBinaryRow(sql, { id, executionId, size: 0, data: null });
      const size = await writeFile(id, data);
      await setBinarySize(sql, id, size);
      return { id, size };
    },
    async read(id) {
      checkedId(id);
      if (mode === 'database') {
        const bytes = await readBinaryBytes(sql, id);
        if (!bytes) throw notFound(id);
        return bytes;
      }
      return readFile(fileOf(id)).catch(() => Promise.reject(notFound(id)));
    },
    async stream(id) {
      checkedId(id);
      if (mode === 'database') return Readable.from([await this.read(id)]);
      await stat(fileOf(id)).catch(() => Promise.reject(notFound(id)));
      return createReadStream(fileOf(id));
    },
    adopt: (ids, executionId) => adoptBinaryRows(sql, ids, executionId),
    async sweep(now = Date.now()) {
      let removed = await deleteUnownedBinaryRows(sql, new Date(now - UNOWNED_MAX_AGE_MS));
      if (mode !== 'filesystem') return removed;
      const names = await readdir(dir).catch(() => [] as string[]);
      const old: string[] = [];
      for (const name of names) {
        const id = name.replace(/\.partial$/, '');
        if (!ID.test(id)) continue;
        const info = await stat(fileOf(name)).catch(() => undefined);
        if (info && now - info.mtimeMs > SWEEP_MIN_AGE_MS) old.push(name);
      }
      for (let i = 0; i < old.length; i += SWEEP_BATCH) {
        const batch = old.slice(i, i + SWEEP_BATCH);
        const kept = await existingBinaryIds(
          sql,
          batch.map((name) => name.replace(/\.partial$/, '')),
        );
        for (const name of batch) {
          if (kept.has(name.replace(/\.partial$/, '')) && !name.endsWith('.partial')) continue;
          await rm(fileOf(name), { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}

async function collect(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A node that makes one fails; a caller uploading one gets a 413 (webhook-body.ts). */
export class FileTooLargeError extends NodeOperationError {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB this server stores`, {
      description: 'Raise N8N_BINARY_DATA_MAX_MB, or use a smaller file.',
    });
  }
}

const tooLarge = (maxBytes: number) => new FileTooLargeError(maxBytes);

function notFound(id: string): NodeOperationError {
  return new NodeOperationError(`The binary file "${id}" was not found`, {
    description: 'Its execution may have been deleted or pruned.',
  });
}
