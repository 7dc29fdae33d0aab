import { gunzipSync, gzipSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { binaryProperty } from '../../binary-data.ts';
import { fieldList } from '../../field-paths.ts';
import { NodeOperationError, type NodeType } from '../../node-types.ts';
import type { BinaryData, Item } from '../../types.ts';

/** No archive may unpack to more than this (a small zip can claim, or inflate to, gigabytes). */
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

/**
 * n8n's Compression node: zip several binary properties into one archive (or gzip each), and unpack zip or gzip
 * files into binary properties `<outputPrefix><n>`, refusing archives that unpack past 256 MiB.
 */
export const compressionNode: NodeType = {
  type: 'n8n-nodes-base.compression',
  typeVersions: [1, 1.1],
  operations: ['compress', 'decompress'],
  async execute(ctx) {
    const operation = ctx.getParam<string>('operation', 0, 'decompress');
    const output: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const properties = fieldList(ctx.getParam<string>('binaryPropertyName', itemIndex, 'data'), 'Input Binary Field(s)');
      const binary: Record<string, BinaryData> = {};
      if (operation === 'compress') {
        const format = ctx.getParam<string>('outputFormat', itemIndex, 'zip');
        if (format === 'zip') {
          const entries: Record<string, Uint8Array> = {};
          for (const name of properties) {
            const file = binaryProperty(item, name, itemIndex);
            entries[file.fileName ?? name] = await ctx.binary.buffer(file);
          }
          const fileName = ctx.getParam<string>('fileName', itemIndex, '') || 'file.zip';
          const property = ctx.getParam<string>('binaryPropertyOutput', itemIndex, 'data');
          binary[property] = await ctx.binary.prepare(Buffer.from(zipSync(entries)), { fileName, mimeType: 'application/zip' });
        } else {
          const prefix = ctx.getParam<string>('outputPrefix', itemIndex, 'data');
          for (const [index, name] of properties.entries()) {
            const file = binaryProperty(item, name, itemIndex);
            binary[`${prefix}${index}`] = await ctx.binary.prepare(gzipSync(await ctx.binary.buffer(file)), {
              fileName: `${file.fileName ?? name}.gz`,
              mimeType: 'application/gzip',
            });
          }
        }
      } else {
        const prefix = ctx.getParam<string>('outputPrefix', itemIndex, 'file_');
        let count = 0;
        for (const name of properties) {
          const file = binaryProperty(item, name, itemIndex);
          const bytes = await ctx.binary.buffer(file);
          for (const [fileName, content] of unpack(bytes, file, itemIndex)) {
            binary[`${prefix}${count++}`] = await ctx.binary.prepare(content, { fileName });
          }
        }
      }
      output.push({ json: item.json, binary, pairedItem: { item: itemIndex } });
    }
    return [output];
  },
};

function unpack(bytes: Buffer, file: BinaryData, itemIndex: number): [string, Buffer][] {
  const isZip = bytes.subarray(0, 2).toString('latin1') === 'PK' || file.fileExtension === 'zip';
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  try {
    if (isZip) {
      let claimed = 0;
      const entries = unzipSync(new Uint8Array(bytes), {
        filter: (entry) => {
          claimed += entry.originalSize;
          if (claimed > MAX_UNPACKED_BYTES) throw new Error('the archive unpacks to more than 256 MiB');
          return !entry.name.endsWith('/');
        },
      });
      const files = Object.entries(entries).map(([name, content]): [string, Buffer] => [
        name.split('/').pop() ?? name,
        Buffer.from(content),
      ]);
      if (files.reduce((sum, [, content]) => sum + content.length, 0) > MAX_UNPACKED_BYTES)
        throw new Error('the archive unpacks to more than 256 MiB');
      return files;
    }
    if (isGzip) {
      const name = (file.fileName ?? 'file.gz').replace(/\.gz$/i, '');
      return [[name, gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES })]];
    }
  } catch (error) {
    throw new NodeOperationError(`The archive could not be unpacked: ${(error as Error).message}`, { itemIndex });
  }
  throw new NodeOperationError('The file is neither a zip nor a gzip archive', { itemIndex });
}
