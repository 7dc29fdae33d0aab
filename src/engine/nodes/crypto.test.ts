import { createHash, createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { cryptoNode } from './crypto.ts';
import { runNode } from './test-support.ts';

const items = [{ json: { text: 'hello' } }, { json: { text: 'world', nested: { keep: 1 } } }];
const run = async (parameters: Record<string, unknown>, input = items) => {
  const { result } = await runNode(cryptoNode, {
    parameters: parameters as never,
    items: input,
    evaluate: (expression, i) => (expression === '={{ $json.text }}' ? input[i]!.json.text : expression),
  });
  return { result: result as Item[][] };
};

describe('crypto', () => {
  it('hashes each item’s value into dataPropertyName (MD5 hex by default), keeping the item', async () => {
    const { result } = await run({ value: '={{ $json.text }}' });
    expect(result[0]).toEqual([
      { json: { text: 'hello', data: createHash('md5').update('hello').digest('hex') }, pairedItem: { item: 0 } },
      { json: { text: 'world', nested: { keep: 1 }, data: createHash('md5').update('world').digest('hex') }, pairedItem: { item: 1 } },
    ]);
    const sha = await run({ value: 'abc', type: 'SHA256', encoding: 'base64', dataPropertyName: 'out.sum' });
    expect((sha.result[0]![0]!.json.out as { sum: string }).sum).toBe(createHash('sha256').update('abc').digest('base64'));
  });

  it('signs with HMAC as the templates do (Binance-style query strings)', async () => {
    const { result } = await run({
      action: 'hmac',
      type: 'SHA256',
      value: 'recvWindow=20000&timestamp=1',
      secret: 'k',
      dataPropertyName: 'secretKey',
    });
    expect(result[0]![0]!.json.secretKey).toBe(createHmac('sha256', 'k').update('recvWindow=20000&timestamp=1').digest('hex'));
  });

  it('signs with a private key, and refuses a bad one with a clear error', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { result } = await run({ action: 'sign', value: 'payload', algorithm: 'SHA256', privateKey: pem, encoding: 'base64' });
    const signature = Buffer.from(String(result[0]![0]!.json.data), 'base64');
    expect(verify('sha256', Buffer.from('payload'), publicKey, signature)).toBe(true);
    await expect(run({ action: 'sign', value: 'x', privateKey: 'not a key' })).rejects.toThrow(/Signing failed/);
  });

  it('generates UUIDs and random strings of the asked length', async () => {
    const { result } = await run({ action: 'generate', dataPropertyName: 'id' });
    const [a, b] = result[0]!.map((i) => i.json.id as string);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    for (const encodingType of ['hex', 'base64', 'ascii']) {
      const out = await run({ action: 'generate', encodingType, stringLength: 17 });
      expect(String(out.result[0]![0]!.json.data)).toHaveLength(17);
    }
    await expect(run({ action: 'generate', encodingType: 'hex', stringLength: 10_000_000 })).rejects.toThrow(/stringLength/);
    await expect(run({ type: 'CRC99', value: 'x' })).rejects.toThrow(/not supported/);
  });
});
