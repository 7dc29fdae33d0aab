import { type CheerioAPI, load } from 'cheerio';
import { escapeHtml } from '../../lib/html-escape.ts';
import { readField } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

type Extraction = {
  key?: string;
  cssSelector?: string;
  returnValue?: string;
  attribute?: string;
  returnArray?: boolean;
  skipSelectors?: string;
};

/** Text as n8n's cleanUpText leaves it: runs of whitespace and blank lines collapsed, trimmed. */
const cleanUp = (text: string) =>
  text
    .replace(/^\s+|\s+$/g, '')
    .replace(/(\r\n|\n|\r)/gm, '\n')
    .replace(/\s+\n/g, '\n')
    .replace(/\n\s+/g, '\n')
    .replace(/[ \t]+/g, ' ');

function extractedValue(
  $: CheerioAPI,
  element: Parameters<CheerioAPI>[0],
  extraction: Extraction,
  options: JsonObject,
): string | undefined {
  const node = $(element as never);
  if (extraction.skipSelectors) node.find(extraction.skipSelectors).remove();
  let value: string | undefined;
  switch (extraction.returnValue ?? 'text') {
    case 'html':
      value = node.html() ?? undefined;
      break;
    case 'attribute':
      value = node.attr(String(extraction.attribute ?? ''));
      break;
    case 'value':
      value = node.val() as string | undefined;
      break;
    default:
      value = node.text();
      if (options.cleanUpText !== false && value !== undefined) value = cleanUp(value);
  }
  if (value !== undefined && options.trimValues !== false) value = value.trim();
  return value;
}

function extract(ctx: NodeContext, item: Item, itemIndex: number): JsonObject {
  const source = ctx.getParam<string>('sourceData', itemIndex, 'json');
  const property = ctx.getParam<string>('dataPropertyName', itemIndex, 'data');
  let html: unknown;
  if (source === 'binary') {
    const data = item.binary?.[property]?.data;
    if (typeof data !== 'string') throw new NodeOperationError(`No binary data property "${property}" on item ${itemIndex}`, { itemIndex });
    html = Buffer.from(data, 'base64').toString('utf8');
  } else {
    html = readField(item.json, property, false);
  }
  if (typeof html !== 'string') {
    throw new NodeOperationError(`Item has no JSON property called "${property}" holding HTML`, { itemIndex });
  }
  const $ = load(html);
  const options = ctx.getParam<JsonObject>('options', itemIndex, {}) ?? {};
  const out: JsonObject = {};
  for (const extraction of ctx.getParam<Extraction[]>('extractionValues.values', itemIndex, []) ?? []) {
    if (!extraction.key || !extraction.cssSelector) continue;
    const elements = $(extraction.cssSelector).toArray();
    if (extraction.returnArray) out[extraction.key] = elements.map((el) => extractedValue($, el, extraction, options) ?? null);
    else out[extraction.key] = elements[0] ? (extractedValue($, elements[0], extraction, options) ?? null) : null;
  }
  return out;
}

const cellHtml = (value: unknown) =>
  escapeHtml(String(typeof value === 'object' && value !== null ? JSON.stringify(value) : (value ?? '')));

function table(ctx: NodeContext): string {
  const options = ctx.getParam<JsonObject>('options', 0, {}) ?? {};
  const columns = [...new Set(ctx.items.flatMap((item) => Object.keys(item.json)))];
  const attrs = (key: string) => (typeof options[key] === 'string' && options[key] ? ` ${options[key]}` : '');
  const header = (name: string) => (options.capitalize ? name.charAt(0).toUpperCase() + name.slice(1) : name);
  const caption = typeof options.caption === 'string' && options.caption ? `<caption>${cellHtml(options.caption)}</caption>` : '';
  const head = `<thead><tr${attrs('headerAttributes')}>${columns.map((c) => `<th>${cellHtml(header(c))}</th>`).join('')}</tr></thead>`;
  const rows = ctx.items
    .map(
      (item) =>
        `<tr${attrs('rowAttributes')}>${columns.map((c) => `<td${attrs('cellAttributes')}>${cellHtml(item.json[c])}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table${attrs('tableAttributes')}>${caption}${head}<tbody>${rows}</tbody></table>`;
}

const DEFAULT_TEMPLATE = '<!DOCTYPE html>\n<html>\n<head><meta charset="UTF-8" /></head>\n<body></body>\n</html>';

/**
 * n8n's HTML node (typeVersions 1 to 1.2): generate HTML from a template (the default operation; its
 * expressions are resolved per item), extract content by CSS selector (text, HTML, an attribute or a form value;
 * one match or all), and convert the items into one HTML table.
 */
export const htmlNode: NodeType = {
  type: 'n8n-nodes-base.html',
  typeVersions: [1, 1.1, 1.2],
  operations: ['generateHtmlTemplate', 'extractHtmlContent', 'convertToHtmlTable'],
  async execute(ctx) {
    const operation = ctx.getParam<string>('operation', 0, 'generateHtmlTemplate');
    if (operation === 'convertToHtmlTable') return [[{ json: { table: table(ctx) }, pairedItem: { item: 0 } }]];
    if (operation === 'extractHtmlContent') return [ctx.items.map((item, i) => paired(extract(ctx, item, i), i))];
    if (operation === 'generateHtmlTemplate') {
      return [ctx.items.map((_item, i) => paired({ html: String(ctx.getParam('html', i, DEFAULT_TEMPLATE)) }, i))];
    }
    throw new NodeOperationError(`The HTML operation "${operation}" is not supported`);
  },
};
