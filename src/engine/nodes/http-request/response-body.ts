import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { NodeOperationError } from '../../node-types.ts';

const MIB = 1024 * 1024;

/**
 * Reads a response body, undoing its content encodings, and stops at `maxBytes`. Bytes are counted as they arrive
 * and again after decompression (a 95 KiB gzip answer can inflate to 96 MiB), so neither a Content-Length that lies
 * nor a missing one matters: past the limit the body is dropped, which aborts the connection, and nothing more is
 * read or inflated.
 */
export async function readResponseBody(
  body: Readable,
  headers: Record<string, string | string[] | undefined>,
  limit: { maxBytes: number; origin: string; method: string; statusCode: number },
): Promise<Buffer> {
  const { maxBytes, origin } = limit;
  // pipeline reports the first failure it sees, which may be a stage it aborted because of this one: keep ours.
  let refusal: NodeOperationError | undefined;
  const tooLarge = () => {
    refusal ??= responseTooLarge(maxBytes, origin);
    return refusal;
  };
  // A HEAD, 204 or 304 answer declares the size of a body it does not carry.
  const declared = limit.method === 'HEAD' || limit.statusCode === 204 || limit.statusCode === 304 ? 0 : Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge();
  }
  const raw = counted(body, maxBytes, tooLarge);
  // An empty body stays empty whatever its Content-Encoding says (a gzip decoder fails on no input at all).
  const first = await raw.next();
  if (first.done) return Buffer.alloc(0);

  const chunks: Buffer[] = [];
  let size = 0;
  const collect = async (decoded: AsyncIterable<Buffer>) => {
    for await (const chunk of decoded) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  };
  // pipeline destroys every stage when one fails: the decoders stop, and the undici body aborts its connection.
  // One chunk read ahead at a time: what is buffered is not what was asked for.
  const source = Readable.from(prepended(first.value, raw), { highWaterMark: 1 });
  await spreadPipeline(source, ...decodersFor(headers['content-encoding']), collect).catch((error: unknown) => {
    throw refusal ?? error;
  });
  return Buffer.concat(chunks, size);
}

/** Node's typings have no overload for a spread list of stages; the runtime takes any number. */
const spreadPipeline = pipeline as (...stages: unknown[]) => Promise<void>;

async function* counted(body: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

async function* prepended(first: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}

/** Decoders for the content encodings, last applied first; an unknown encoding leaves the rest as sent. */
function decodersFor(contentEncoding: string | string[] | undefined): Transform[] {
  const encodings = String(contentEncoding ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding && encoding !== 'identity')
    .reverse();
  const decoders: Transform[] = [];
  for (const encoding of encodings) {
    if (encoding === 'gzip' || encoding === 'x-gzip') decoders.push(zlib.createGunzip());
    else if (encoding === 'deflate') decoders.push(zlib.createInflate());
    else if (encoding === 'br') decoders.push(zlib.createBrotliDecompress());
    else break;
  }
  return decoders;
}

function responseTooLarge(maxBytes: number, origin: string): NodeOperationError {
  const limit = maxBytes % MIB === 0 ? `${maxBytes / MIB} MiB` : `${maxBytes} bytes`;
  return new NodeOperationError(`The response from ${origin} is larger than ${limit}, the limit set by N8N_HTTP_REQUEST_MAX_RESPONSE_MB`, {
    description:
      'The server stops reading an HTTP response (counted after decompression) at this size and drops the connection. ' +
      'Raise N8N_HTTP_REQUEST_MAX_RESPONSE_MB if the service really answers with this much.',
  });
}
