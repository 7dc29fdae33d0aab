import * as cheerio from 'cheerio';
import { binaryProperty } from '../../binary-data.ts';
import { type NodeContext, NodeOperationError, type NodeType, supportedOperation } from '../../node-types.ts';
import type { Item, JsonObject } from '../../types.ts';
import { icsEvents } from './ics-events.ts';
import { odsRecords, rtfText } from './office-text.ts';
import { pdfContent } from './pdf-text.ts';
import { csvRows, type ReadOptions, toObjects, xlsxRows } from './spreadsheets.ts';

const ROW_OPERATIONS = new Set(['csv', 'xlsx', 'ods', 'html']);
const OPERATIONS = ['csv', 'html', 'fromJson', 'fromIcs', 'ods', 'pdf', 'rtf', 'text', 'xml', 'xlsx', 'binaryToPropery'];

/**
 * n8n's Extract from File: the file in the input's binary property becomes data. Spreadsheets (CSV, XLSX, an HTML
 * table) give one item per row; JSON, text, XML and base64 go to `destinationKey`; a PDF gives its text and info.
 */
export const extractFromFileNode: NodeType = {
  type: 'n8n-nodes-base.extractFromFile',
  typeVersions: [1, 1.1],
  operations: OPERATIONS,
  async execute(ctx) {
    const operation = supportedOperation(ctx.getParam<string>('operation', 0, 'csv'), OPERATIONS, (op) => `Extracting from "${op}" files`);
    const output: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const file = binaryProperty(item, ctx.getParam<string>('binaryPropertyName', itemIndex, 'data'), itemIndex);
      const bytes = await ctx.binary.buffer(file);
      if (ROW_OPERATIONS.has(operation)) {
        for (const row of await rowsOf(ctx, operation, bytes, itemIndex)) output.push({ json: row, pairedItem: { item: itemIndex } });
        continue;
      }
      const extracted = await extractedValue(ctx, operation, bytes, itemIndex);
      output.push(withSource(ctx, item, extracted, itemIndex));
    }
    return [output];
  },
};

async function rowsOf(ctx: NodeContext, operation: string, bytes: Buffer, itemIndex: number): Promise<JsonObject[]> {
  const options = ctx.getParam<JsonObject>('options', itemIndex, {});
  const read: ReadOptions = {
    headerRow: options.headerRow !== false,
    ...(options.delimiter ? { delimiter: String(options.delimiter) } : {}),
    ...(options.fromLine !== undefined ? { fromLine: Number(options.fromLine) } : {}),
    ...(options.maxRowCount !== undefined ? { maxRowCount: Number(options.maxRowCount) } : {}),
    ...(options.sheetName ? { sheetName: String(options.sheetName) } : {}),
    includeEmptyCells: options.includeEmptyCells === true,
    relaxQuotes: options.relaxQuotes === true,
  };
  if (operation === 'xlsx') return xlsxRows(bytes, read);
  if (operation === 'ods') {
    const rows = toObjects(odsRecords(bytes, read.sheetName).slice(read.fromLine ?? 0), read);
    return read.maxRowCount !== undefined && read.maxRowCount >= 0 ? rows.slice(0, read.maxRowCount) : rows;
  }
  if (operation === 'html') return htmlTableRows(bytes.toString('utf8'), read);
  return csvRows(bytes.toString(encodingOf(options)), read);
}

async function extractedValue(ctx: NodeContext, operation: string, bytes: Buffer, itemIndex: number): Promise<JsonObject> {
  const options = ctx.getParam<JsonObject>('options', itemIndex, {});
  const key = ctx.getParam<string>('destinationKey', itemIndex, 'data');
  if (operation === 'pdf') {
    const content = await pdfContent(bytes, {
      ...(options.password ? { password: String(options.password) } : {}),
      ...(options.maxPages ? { maxPages: Number(options.maxPages) } : {}),
      joinPages: options.joinPages !== false,
    }).catch((error: Error) => {
      throw new NodeOperationError(`The PDF could not be read: ${error.message}`, { itemIndex });
    });
    return { ...content };
  }
  if (operation === 'binaryToPropery') return { [key]: bytes.toString('base64') };
  const text = bytes.toString(encodingOf(options)).replace(/^\uFEFF/, '');
  if (operation === 'rtf') return { [key]: rtfText(text) };
  if (operation === 'fromIcs') {
    try {
      return { [key]: icsEvents(text) };
    } catch (error) {
      throw new NodeOperationError(`The calendar file could not be read: ${(error as Error).message}`, { itemIndex });
    }
  }
  if (operation === 'fromJson') {
    try {
      return { [key]: JSON.parse(text) };
    } catch (error) {
      throw new NodeOperationError(`The file is not valid JSON: ${(error as Error).message}`, { itemIndex });
    }
  }
  return { [key]: text };
}

/** n8n's "keep source": the input's json (default), its binary, both, or neither beside what was extracted. */
function withSource(ctx: NodeContext, item: Item, extracted: JsonObject, itemIndex: number): Item {
  const keep = ctx.getParam<string>('options.keepSource', itemIndex, 'json');
  const json = keep === 'json' || keep === 'both' ? { ...item.json, ...extracted } : extracted;
  const out: Item = { json, pairedItem: { item: itemIndex } };
  if ((keep === 'binary' || keep === 'both') && item.binary) out.binary = item.binary;
  return out;
}

function encodingOf(options: JsonObject): BufferEncoding {
  const name = String(options.encoding ?? 'utf-8')
    .toLowerCase()
    .replace('-', '');
  if (name === 'utf8' || name === 'utf16le' || name === 'latin1' || name === 'ascii' || name === 'base64') return name as BufferEncoding;
  if (name === 'iso88591' || name === 'windows1252') return 'latin1';
  return 'utf8';
}

/** The first table of an HTML file, as rows. */
function htmlTableRows(html: string, options: ReadOptions): JsonObject[] {
  const $ = cheerio.load(html);
  const table = $('table').first();
  const records = table
    .find('tr')
    .toArray()
    .map((row) =>
      $(row)
        .find('th,td')
        .toArray()
        .map((cell) => $(cell).text().trim()),
    );
  if (!options.headerRow) return records.map((row) => ({ row }));
  const [header = [], ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name || `field${index}`, row[index] ?? ''])));
}
