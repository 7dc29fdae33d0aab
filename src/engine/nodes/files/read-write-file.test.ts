import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../types.ts';
import { itemsOut, runNode } from '../test-support.ts';
import { compressionNode } from './compression.ts';
import { createLegacyFileNodes, createReadWriteFileNode } from './read-write-file.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'flowgate-files-'));
const allowed = path.join(dataDir, 'files');
mkdirSync(path.join(allowed, 'in'), { recursive: true });
writeFileSync(path.join(allowed, 'in', 'a.txt'), 'alpha');
writeFileSync(path.join(allowed, 'in', 'b.csv'), 'x,y\n1,2\n');
writeFileSync(path.join(dataDir, 'encryption-key'), 'do not read me');
symlinkSync(path.join(dataDir, 'encryption-key'), path.join(allowed, 'key-link'));

const node = createReadWriteFileNode({ allowed: [allowed], ownDir: dataDir });
const run = async (parameters: Record<string, unknown>, items: Item[] = [{ json: {} }]) =>
  itemsOut((await runNode(node, { parameters, items })).result);
const text = (item: Item | undefined, name = 'data') => Buffer.from(item?.binary?.[name]?.data ?? '', 'base64').toString();

describe('Read/Write Files from Disk', () => {
  it('reads the files a glob selects, one item each, with their metadata', async () => {
    const items = await run({ fileSelector: 'in/*' });
    expect(items.map((item) => item.json.fileName)).toEqual(['a.txt', 'b.csv']);
    expect(items[0]?.json).toMatchObject({ mimeType: 'text/plain', fileExtension: 'txt', directory: path.join(allowed, 'in'), bytes: 5 });
    expect(text(items[0])).toBe('alpha');
  });

  it('writes a binary property to a file, appending when asked, creating folders', async () => {
    const file = { data: Buffer.from('one\n').toString('base64'), mimeType: 'text/plain' };
    const target = path.join(allowed, 'out', 'log.txt');
    await run({ operation: 'write', fileName: target }, [{ json: { n: 1 }, binary: { data: file } }]);
    const [written] = await run({ operation: 'write', fileName: 'out/log.txt', options: { append: true } }, [
      { json: {}, binary: { data: file } },
    ]);
    expect(readFileSync(target, 'utf8')).toBe('one\none\n');
    expect(written?.json.fileName).toBe(target);
  });

  it('refuses paths outside the allowed folders, this server’s own files, and links out of them', async () => {
    await expect(run({ fileSelector: '/etc/passwd' })).rejects.toThrow('Access to the file is not allowed: /etc/passwd');
    await expect(run({ fileSelector: '../encryption-key' })).rejects.toThrow('Access to the file is not allowed');
    await expect(run({ fileSelector: 'key-link' })).rejects.toThrow('Access to the file is not allowed');
    const file = { data: Buffer.from('x').toString('base64'), mimeType: 'text/plain' };
    await expect(run({ operation: 'write', fileName: '../../escape.txt' }, [{ json: {}, binary: { data: file } }])).rejects.toThrow(
      'Access to the file is not allowed',
    );
    const everything = createReadWriteFileNode({ allowed: [dataDir], ownDir: dataDir });
    await expect(runNode(everything, { parameters: { fileSelector: 'encryption-key' } })).rejects.toThrow(
      'Access to the file is not allowed',
    );
  });

  it('runs the legacy Read Binary File and Write Binary File nodes the same way', async () => {
    const [readBinaryFile, , writeBinaryFile] = createLegacyFileNodes({ allowed: [allowed], ownDir: dataDir });
    const [read] = itemsOut(
      (await runNode(readBinaryFile!, { parameters: { filePath: 'in/a.txt' }, items: [{ json: { keep: true } }] })).result,
    );
    expect(read?.json).toEqual({ keep: true });
    expect(text(read)).toBe('alpha');
    await runNode(writeBinaryFile!, { parameters: { fileName: 'copy.txt' }, items: [read!] });
    expect(readFileSync(path.join(allowed, 'copy.txt'), 'utf8')).toBe('alpha');
  });
});

describe('Compression', () => {
  const file = (content: string, fileName: string) => ({ data: Buffer.from(content).toString('base64'), mimeType: 'text/plain', fileName });
  it('zips several properties into one archive and unpacks it again', async () => {
    const input: Item = { json: { id: 1 }, binary: { a: file('first', 'a.txt'), b: file('second', 'b.txt') } };
    const [zipped] = itemsOut(
      (
        await runNode(compressionNode, {
          parameters: { operation: 'compress', binaryPropertyName: 'a, b', fileName: 'both.zip' },
          items: [input],
        })
      ).result,
    );
    expect(zipped?.binary?.data).toMatchObject({ fileName: 'both.zip', mimeType: 'application/zip' });
    const [unzipped] = itemsOut((await runNode(compressionNode, { parameters: { operation: 'decompress' }, items: [zipped!] })).result);
    expect(Object.keys(unzipped?.binary ?? {})).toEqual(['file_0', 'file_1']);
    expect([text(unzipped, 'file_0'), text(unzipped, 'file_1')]).toEqual(['first', 'second']);
    expect(unzipped?.binary?.file_1?.fileName).toBe('b.txt');
  });

  it('gzips each property and gunzips it, and says so when a file is no archive', async () => {
    const [gz] = itemsOut(
      (
        await runNode(compressionNode, {
          parameters: { operation: 'compress', outputFormat: 'gzip' },
          items: [{ json: {}, binary: { data: file('zzz', 'z.txt') } }],
        })
      ).result,
    );
    expect(gz?.binary?.data0?.fileName).toBe('z.txt.gz');
    const [back] = itemsOut(
      (await runNode(compressionNode, { parameters: { operation: 'decompress', binaryPropertyName: 'data0' }, items: [gz!] })).result,
    );
    expect(text(back, 'file_0')).toBe('zzz');
    expect(back?.binary?.file_0?.fileName).toBe('z.txt');
    await expect(
      runNode(compressionNode, {
        parameters: { operation: 'decompress' },
        items: [{ json: {}, binary: { data: file('plain', 'p.txt') } }],
      }),
    ).rejects.toThrow('The file is neither a zip nor a gzip archive');
  });
});
