import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { escapeHtml } from '../../../lib/html-escape.ts';
import { NodeOperationError } from '../../node-types.ts';
import type { JsonObject } from '../../types.ts';

export interface ReadOptions {
  headerRow: boolean;
  delimiter?: string;
  fromLine?: number;
  maxRowCount?: number;
  sheetName?: string;
  includeEmptyCells?: boolean;
  relaxQuotes?: boolean;
}

/** Rows of a CSV text as n8n's Extract from File gives them: objects by header (or `row` lists), values as text. */
export function csvRows(text: string, options: ReadOptions): JsonObject[] {
  let records: unknown[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: options.delimiter || ',',
      from_line: Math.max(1, (options.fromLine ?? 0) + 1),
      relax_column_count: true,
      relax_quotes: options.relaxQuotes === true,
      skip_empty_lines: true,
      ...(options.maxRowCount !== undefined && options.maxRowCount >= 0 ? { to: options.maxRowCount + (options.headerRow ? 1 : 0) } : {}),
    }) as unknown[];
  } catch (error) {
    throw new NodeOperationError(`The CSV could not be read: ${(error as Error).message}`);
  }
  return toObjects(records as unknown[][], options);
}

/** Rows of an XLSX workbook's sheet (the first unless named): numbers stay numbers, dates become ISO text. */
export async function xlsxRows(bytes: Buffer, options: ReadOptions): Promise<JsonObject[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new NodeOperationError(`The spreadsheet could not be read: ${(error as Error).message}`);
  }
  const sheet = options.sheetName ? workbook.getWorksheet(options.sheetName) : workbook.worksheets[0];
  if (!sheet) throw new NodeOperationError(`Sheet '${options.sheetName}' not found`);
  const records: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1).map(cellValue);
    records.push(values);
  });
  const from = options.fromLine ?? 0;
  const rows = toObjects(records.slice(from), options);
  return options.maxRowCount !== undefined && options.maxRowCount >= 0 ? rows.slice(0, options.maxRowCount) : rows;
}

function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const cell = value as { result?: unknown; text?: unknown; richText?: { text: string }[]; hyperlink?: string; error?: string };
    if ('result' in cell) return cellValue(cell.result);
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if (cell.text !== undefined) return cell.text;
    if (cell.error) return cell.error;
  }
  return value;
}

/** Records (lists of cells) as n8n's rows: objects by the header row, or `{ row }` lists without one. */
export function toObjects(records: unknown[][], options: ReadOptions): JsonObject[] {
  if (!options.headerRow) return records.map((row) => ({ row }));
  const [header = [], ...rows] = records;
  const names = header.map((name, index) => (name === undefined || name === null || name === '' ? `field${index}` : String(name)));
  return rows.map((row) => {
    const object: JsonObject = {};
    names.forEach((name, index) => {
      const value = row[index];
      if (value === undefined || value === '') {
        if (options.includeEmptyCells) object[name] = '';
        return;
      }
      object[name] = value;
    });
    return object;
  });
}

/** Columns of a set of rows: every key any row has, in the order they first appear. */
function columnsOf(rows: JsonObject[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

const cellText = (value: unknown) =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

export function csvFile(rows: JsonObject[], options: { headerRow: boolean; delimiter?: string }): Buffer {
  const columns = columnsOf(rows);
  const text = stringify(
    rows.map((row) => columns.map((column) => cellText(row[column]))),
    { delimiter: options.delimiter || ',', ...(options.headerRow ? { header: true, columns } : {}) },
  );
  return Buffer.from(text, 'utf8');
}

export async function xlsxFile(rows: JsonObject[], options: { headerRow: boolean; sheetName?: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheetName || 'Sheet');
  const columns = columnsOf(rows);
  if (options.headerRow) sheet.addRow(columns);
  for (const row of rows) {
    sheet.addRow(columns.map((column) => (typeof row[column] === 'object' && row[column] !== null ? cellText(row[column]) : row[column])));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function htmlTableFile(rows: JsonObject[], options: { headerRow: boolean }): Buffer {
  const columns = columnsOf(rows);
  const head = options.headerRow ? `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const body = rows.map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(cellText(row[c]))}</td>`).join('')}</tr>`).join('');
  return Buffer.from(
    `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><table>${head}<tbody>${body}</tbody></table></body></html>`,
    'utf8',
  );
}
