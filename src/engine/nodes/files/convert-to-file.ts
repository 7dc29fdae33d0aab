import mime from 'mime-types';
import { type NodeContext, NodeOperationError, type NodeType, supportedOperation } from '../../node-types.ts';
import { getPath } from '../../parameters.ts';
import type { Item, JsonObject } from '../../types.ts';
import { csvFile, htmlTableFile, xlsxFile } from './spreadsheets.ts';

const SPREADSHEETS = new Set(['csv', 'html', 'xlsx']);
const OPERATIONS = ['csv', 'html', 'xlsx', 'toJson', 'toText', 'toBinary'];

/**
 * n8n's Convert to File: items become a file. A spreadsheet (CSV, XLSX, HTML table) or, in `once` mode, a JSON list
 * is one file of all items; text, base64 and JSON in `each` mode are one file per item. The file goes to
 * `binaryPropertyName` (default `data`).
 */
export const convertToFileNode: NodeType = {
  type: 'n8n-nodes-base.convertToFile',
  typeVersions: [1, 1.1],
  operations: OPERATIONS,
  async execute(ctx) {
    const operation = supportedOperation(ctx.getParam<string>('operation', 0, 'csv'), OPERATIONS, (op) => `Converting to "${op}"`);
    const property = ctx.getParam<string>('binaryPropertyName', 0, 'data');
    const options = ctx.getParam<JsonObject>('options', 0, {});
    const allPaired = ctx.items.map((_item, item) => ({ item }));
    if (SPREADSHEETS.has(operation)) {
      const rows = ctx.items.map((item) => item.json);
      const headerRow = options.headerRow !== false;
      const bytes =
        operation === 'xlsx'
          ? await xlsxFile(rows, { headerRow, ...(options.sheetName ? { sheetName: String(options.sheetName) } : {}) })
          : operation === 'html'
            ? htmlTableFile(rows, { headerRow })
            : csvFile(rows, { headerRow, ...(options.delimiter ? { delimiter: String(options.delimiter) } : {}) });
      const file = await ctx.binary.prepare(bytes, { fileName: String(options.fileName || `file.${operation}`) });
      return [[{ json: {}, binary: { [property]: file }, pairedItem: allPaired }]];
    }
    if (operation === 'toJson' && ctx.getParam('mode', 0, 'once') === 'once') {
      const file = await ctx.binary.prepare(
        jsonBytes(
          ctx.items.map((item) => item.json),
          options,
        ),
        {
          fileName: String(options.fileName || 'file.json'),
          mimeType: 'application/json',
        },
      );
      return [[{ json: {}, binary: { [property]: file }, pairedItem: allPaired }]];
    }
    const output: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) output.push(await perItem(ctx, operation, item, itemIndex));
    return [output];
  },
};

async function perItem(ctx: NodeContext, operation: string, item: Item, itemIndex: number): Promise<Item> {
  const property = ctx.getParam<string>('binaryPropertyName', itemIndex, 'data');
  const options = ctx.getParam<JsonObject>('options', itemIndex, {});
  const fileName = options.fileName ? String(options.fileName) : undefined;
  if (operation === 'toJson') {
    const file = await ctx.binary.prepare(jsonBytes(item.json, options), {
      fileName: fileName ?? 'file.json',
      mimeType: 'application/json',
    });
    return { json: {}, binary: { [property]: file }, pairedItem: { item: itemIndex } };
  }
  const source = ctx.getParam<string>('sourceProperty', itemIndex, '');
  const value = getPath(item.json, source);
  if (value === undefined) {
    throw new NodeOperationError(`The item has no field '${source}'`, {
      itemIndex,
      description: 'Set "Source Property" to a field of the input.',
    });
  }
  if (operation === 'toText') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const file = await ctx.binary.prepare(withBom(Buffer.from(text, 'utf8'), options), {
      fileName: fileName ?? 'file.txt',
      mimeType: 'text/plain',
    });
    return { json: {}, binary: { [property]: file }, pairedItem: { item: itemIndex } };
  }
  // toBinary: a base64 string (or, with dataIsBase64 off, text) becomes the file.
  const bytes = options.dataIsBase64 === false ? Buffer.from(String(value), 'utf8') : Buffer.from(String(value), 'base64');
  const mimeType = options.mimeType ? String(options.mimeType) : (fileName && mime.lookup(fileName)) || 'application/octet-stream';
  const file = await ctx.binary.prepare(bytes, { ...(fileName ? { fileName } : {}), mimeType });
  const json = { ...item.json };
  delete json[source];
  return { json, binary: { ...item.binary, [property]: file }, pairedItem: { item: itemIndex } };
}

function jsonBytes(value: unknown, options: JsonObject): Buffer {
  return withBom(Buffer.from(options.format === true ? JSON.stringify(value, null, 2) : JSON.stringify(value), 'utf8'), options);
}

function withBom(bytes: Buffer, options: JsonObject): Buffer {
  return options.addBOM === true ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
}
