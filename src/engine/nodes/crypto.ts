import { createHash, createHmac, createSign, getHashes, randomBytes, randomUUID } from 'node:crypto';
import { writePath } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { JsonObject } from '../types.ts';

/** n8n's algorithm names and Node's. */
const HASHES: Record<string, string> = {
  MD5: 'md5',
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
};

const ENCODINGS = new Set(['hex', 'base64']);
/** Longest random string `generate` makes: every size a workflow controls is bounded. */
const MAX_RANDOM_LENGTH = 10_000;

function algorithmOf(name: string, itemIndex: number): string {
  const algorithm = HASHES[name] ?? (getHashes().includes(name.toLowerCase()) ? name.toLowerCase() : undefined);
  if (!algorithm) throw new NodeOperationError(`The hash type "${name}" is not supported`, { itemIndex });
  return algorithm;
}

function encodingOf(ctx: NodeContext, itemIndex: number): 'hex' | 'base64' {
  const encoding = ctx.getParam<string>('encoding', itemIndex, 'hex');
  if (!ENCODINGS.has(encoding)) throw new NodeOperationError(`The encoding "${encoding}" is not supported (hex or base64)`, { itemIndex });
  return encoding as 'hex' | 'base64';
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));

function generate(ctx: NodeContext, itemIndex: number): string {
  const type = ctx.getParam<string>('encodingType', itemIndex, 'uuid');
  if (type === 'uuid') return randomUUID();
  const length = Number(ctx.getParam('stringLength', itemIndex, 32));
  if (!Number.isInteger(length) || length < 1 || length > MAX_RANDOM_LENGTH) {
    throw new NodeOperationError(`stringLength must be a whole number from 1 to ${MAX_RANDOM_LENGTH}`, { itemIndex });
  }
  if (type === 'hex')
    return randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length);
  if (type === 'base64') return randomBytes(length).toString('base64').replace(/[+/=]/g, '').slice(0, length).padEnd(length, 'A');
  if (type === 'ascii') {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
  }
  throw new NodeOperationError(`The encoding type "${type}" is not supported (uuid, hex, base64 or ascii)`, { itemIndex });
}

/**
 * n8n's Crypto node (typeVersion 1): hash (the default), hmac, sign and generate, writing the result to
 * `dataPropertyName` (a dot path, default `data`) of a copy of each item.
 */
export const cryptoNode: NodeType = {
  type: 'n8n-nodes-base.crypto',
  typeVersions: [1],
  operations: ['hash', 'hmac', 'sign', 'generate'],
  async execute(ctx) {
    return [
      ctx.items.map((item, itemIndex) => {
        const action = ctx.getParam<string>('action', itemIndex, 'hash');
        const property = ctx.getParam<string>('dataPropertyName', itemIndex, 'data') || 'data';
        const value = textOf(ctx.getParam('value', itemIndex, ''));
        let result: string;
        if (action === 'hash') {
          result = createHash(algorithmOf(ctx.getParam<string>('type', itemIndex, 'MD5'), itemIndex))
            .update(value)
            .digest(encodingOf(ctx, itemIndex));
        } else if (action === 'hmac') {
          result = createHmac(
            algorithmOf(ctx.getParam<string>('type', itemIndex, 'MD5'), itemIndex),
            String(ctx.getParam('secret', itemIndex, '')),
          )
            .update(value)
            .digest(encodingOf(ctx, itemIndex));
        } else if (action === 'sign') {
          const algorithm = algorithmOf(ctx.getParam<string>('algorithm', itemIndex, 'SHA256'), itemIndex);
          try {
            result = createSign(algorithm)
              .update(value)
              .sign(String(ctx.getParam('privateKey', itemIndex, '')), encodingOf(ctx, itemIndex));
          } catch (err) {
            throw new NodeOperationError(`Signing failed: ${(err as Error).message}`, { itemIndex });
          }
        } else if (action === 'generate') {
          result = generate(ctx, itemIndex);
        } else {
          throw new NodeOperationError(`The action "${action}" is not supported (hash, hmac, sign or generate)`, { itemIndex });
        }
        const json = structuredClone(item.json) as JsonObject;
        writePath(json, property, result);
        return paired(json, itemIndex, item.binary);
      }),
    ];
  },
};
