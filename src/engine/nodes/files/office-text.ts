import * as cheerio from 'cheerio';
import { unzipSync } from 'fflate';
import { NodeOperationError } from '../../node-types.ts';

/** Cells an ODS row may repeat (trailing empty cells are often "repeated" thousands of times). */
const MAX_REPEAT = 1024;
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

/** The rows of an OpenDocument spreadsheet's sheet (the first unless named), values typed as ODS types them. */
export function odsRecords(bytes: Buffer, sheetName?: string): unknown[][] {
  let content: Uint8Array | undefined;
  try {
    let claimed = 0;
    content = unzipSync(new Uint8Array(bytes), {
      filter: (entry) => {
        claimed += entry.originalSize;
        return entry.name === 'content.xml' && claimed < MAX_UNPACKED_BYTES;
      },
    })['content.xml'];
  } catch (error) {
    throw new NodeOperationError(`The spreadsheet could not be read: ${(error as Error).message}`);
  }
  if (!content) throw new NodeOperationError('The file is not an OpenDocument spreadsheet (it has no content.xml)');
  const $ = cheerio.load(Buffer.from(content).toString('utf8'), { xml: true });
  const tables = $('table\\:table').toArray();
  const table = sheetName ? tables.find((t) => $(t).attr('table:name') === sheetName) : tables[0];
  if (!table) throw new NodeOperationError(`Sheet '${sheetName}' not found`);
  const records: unknown[][] = [];
  for (const row of $(table).find('table\\:table-row').toArray()) {
    const values: unknown[] = [];
    for (const cell of $(row).children('table\\:table-cell, table\\:covered-table-cell').toArray()) {
      const node = $(cell);
      const type = node.attr('office:value-type');
      const text = node
        .children('text\\:p')
        .toArray()
        .map((p) => $(p).text())
        .join('\n');
      const value =
        type === 'float' || type === 'percentage' || type === 'currency'
          ? Number(node.attr('office:value'))
          : type === 'boolean'
            ? node.attr('office:boolean-value') === 'true'
            : type === 'date'
              ? node.attr('office:date-value')
              : text === ''
                ? undefined
                : text;
      const repeat = Math.min(Number(node.attr('table:number-columns-repeated') ?? 1) || 1, MAX_REPEAT);
      for (let i = 0; i < repeat; i++) values.push(value);
    }
    while (values.length && values[values.length - 1] === undefined) values.pop();
    if (values.length) records.push(values);
  }
  return records;
}

/** Groups whose text is not the document's (fonts, colours, styles, metadata, pictures, `\*` destinations). */
const SKIPPED_GROUPS = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'header',
  'footer',
  'listtable',
  'listoverridetable',
  'generator',
]);

/** The plain text of an RTF document: paragraphs and tabs kept, formatting and embedded objects dropped. */
export function rtfText(rtf: string): string {
  if (!rtf.trimStart().startsWith('{\\rtf')) throw new NodeOperationError('The file is not an RTF document');
  let out = '';
  const skipDepth: number[] = [];
  let depth = 0;
  let skipNext = 0;
  for (let i = 0; i < rtf.length; i++) {
    const char = rtf[i]!;
    const skipping = skipDepth.length > 0;
    if (char === '{') {
      depth++;
      continue;
    }
    if (char === '}') {
      if (skipDepth.at(-1) === depth) skipDepth.pop();
      depth--;
      continue;
    }
    if (char === '\\') {
      const next = rtf[i + 1] ?? '';
      if (next === '\\' || next === '{' || next === '}') {
        if (!skipping) out += next;
        i++;
        continue;
      }
      if (next === "'") {
        if (!skipping && skipNext === 0) out += Buffer.from([Number.parseInt(rtf.slice(i + 2, i + 4), 16)]).toString('latin1');
        else if (skipNext > 0) skipNext--;
        i += 3;
        continue;
      }
      if (next === '*') {
        skipDepth.push(depth);
        i++;
        continue;
      }
      const match = /^([a-zA-Z]+)(-?\d+)? ?/.exec(rtf.slice(i + 1, i + 40));
      if (!match) {
        i++;
        continue;
      }
      const [whole, word, param] = match;
      i += whole.length;
      if (SKIPPED_GROUPS.has(word!)) skipDepth.push(depth);
      if (skipping) continue;
      if (word === 'par' || word === 'line') out += '\n';
      else if (word === 'tab') out += '\t';
      else if (word === 'u' && param) {
        out += String.fromCharCode(Number(param) < 0 ? Number(param) + 65536 : Number(param));
        skipNext = 1;
      }
      continue;
    }
    if (skipping || char === '\r' || char === '\n') continue;
    if (skipNext > 0) {
      skipNext--;
      continue;
    }
    out += char;
  }
  return out.replace(/[ \t]+\n/g, '\n').trim();
}
