import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP protobuf export carries it (the fields the tests look at). */
export interface ReceivedSpan {
  serviceName: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, string | number | boolean>;
}

type Field = { no: number; wire: number; bytes?: Buffer; int?: bigint };

/** The fields of one protobuf message (varint, 64-bit, length-delimited and 32-bit wire types). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, int: varint() });
    else if (wire === 1) {
      out.push({ no, wire, bytes: buf.subarray(at, at + 8) });
      at += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(at, at + length) });
      at += length;
    } else if (wire === 5) {
      out.push({ no, wire, bytes: buf.subarray(at, at + 4) });
      at += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const all = (buf: Buffer, no: number) => fields(buf).filter((f) => f.no === no);
const one = (buf: Buffer, no: number) => fields(buf).find((f) => f.no === no);

function anyValue(buf: Buffer): string | number | boolean {
  const f = fields(buf)[0];
  if (!f) return '';
  if (f.no === 1) return f.bytes!.toString('utf8');
  if (f.no === 2) return f.int === 1n;
  if (f.no === 3) return Number(f.int);
  if (f.no === 4) return f.bytes!.readDoubleLE(0);
  return '';
}

function attributesOf(buf: Buffer, no: number): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const kv of all(buf, no)) {
    const key = one(kv.bytes!, 1)?.bytes?.toString('utf8') ?? '';
    const value = one(kv.bytes!, 2)?.bytes;
    attributes[key] = value ? anyValue(value) : '';
  }
  return attributes;
}

/** The spans of an ExportTraceServiceRequest. */
export function decodeTraceRequest(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of all(body, 1)) {
    const resource = one(resourceSpans.bytes!, 1)?.bytes;
    const serviceName = String((resource ? attributesOf(resource, 1) : {})['service.name'] ?? '');
    for (const scopeSpans of all(resourceSpans.bytes!, 2)) {
      for (const span of all(scopeSpans.bytes!, 2)) {
        const b = span.bytes!;
        spans.push({
          serviceName,
          traceId: one(b, 1)?.bytes?.toString('hex') ?? '',
          spanId: one(b, 2)?.bytes?.toString('hex') ?? '',
          parentSpanId: one(b, 4)?.bytes?.toString('hex') ?? '',
          name: one(b, 5)?.bytes?.toString('utf8') ?? '',
          kind: Number(one(b, 6)?.int ?? 0n),
          startNanos: one(b, 7)?.bytes?.readBigUInt64LE(0) ?? 0n,
          endNanos: one(b, 8)?.bytes?.readBigUInt64LE(0) ?? 0n,
          attributes: attributesOf(b, 9),
        });
      }
    }
  }
  return spans;
}

/** A local OTLP/HTTP endpoint: it decodes what it receives and answers as a collector does. */
export async function startOtlpReceiver(): Promise<{
  url: string;
  spans: ReceivedSpan[];
  headers: Record<string, string>[];
  close(): Promise<void>;
}> {
  const spans: ReceivedSpan[] = [];
  const headers: Record<string, string>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      headers.push(req.headers as Record<string, string>);
      spans.push(...decodeTraceRequest(Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    headers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
