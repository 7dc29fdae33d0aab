import { NodeOperationError } from '../node-types.ts';
import type { BinaryData, Item, JsonObject, PairedItem } from '../types.ts';

/**
 * Turns what Code-node JavaScript returned into items, with n8n's rules and wording (n8n's result-validation
 * and normalizeItems): all-items mode takes an array of items or of plain objects (or one object), each-item
 * mode one object; a plain object becomes `{ json: object }`.
 */

/**
 * A check of what the code returned failed, worded as n8n's Code node words it: the item's index, when the check is
 * about one item, is appended as ` [item N]` (n8n's ValidationError; the code's own errors carry ` [line N]`
 * instead, see CodeExecutionError).
 */
function invalidResult(message: string, description: string, itemIndex?: number): NodeOperationError {
  return new NodeOperationError(itemIndex === undefined ? message : `${message} [item ${itemIndex}]`, { description, itemIndex });
}

/** Keys n8n treats as item keys: once one appears at the top level, every top-level key must be one. */
const ITEM_KEYS = new Set(['json', 'binary', 'pairedItem', 'error', 'metadata', 'index']);

type Entry = Record<string, unknown>;

function isRecord(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function itemsFromAllItemsResult(result: unknown, inputCount: number): Item[] {
  if (result === null) return [];
  const notItems = () =>
    invalidResult("Code doesn't return items properly", 'Please return an array of objects, one for each item you would like to output.');
  if (typeof result !== 'object') throw notItems();

  let entries: Entry[];
  if (Array.isArray(result)) {
    if (!result.every(isRecord)) throw notItems();
    entries = result;
    if (entries.some((entry) => Object.keys(entry).some((key) => ITEM_KEYS.has(key)))) entries.forEach(checkTopLevelKeys);
  } else {
    const single = result as Entry;
    entries = [single.json ? single : { json: single }];
  }

  const wrapped = entries.filter((entry) => 'json' in entry).length;
  if (wrapped > 0 && wrapped < entries.length) throw new NodeOperationError('Inconsistent item format');
  const items = entries.map((entry, index) => toItem(wrapped > 0 ? entry : { json: entry }, index));
  return withPairedItems(items, inputCount);
}

export function itemFromEachItemResult(result: unknown, itemIndex: number): Item | undefined {
  // n8n drops the item when the code returns nothing for it.
  if (result === null || result === undefined) return undefined;
  if (typeof result !== 'object') {
    throw invalidResult(
      "Code doesn't return an object",
      `Please return an object representing the output item. ('${String(result)}' was returned instead.)`,
      itemIndex,
    );
  }
  if (Array.isArray(result)) {
    const firstSentence = result.length > 0 ? `An array of ${typeof result[0]}s was returned.` : 'An empty array was returned.';
    throw invalidResult(
      "Code doesn't return a single object",
      `${firstSentence} If you need to output multiple items, please use the 'Run Once for All Items' mode instead.`,
      itemIndex,
    );
  }
  const entry = result as Entry;
  const item = toItem('json' in entry ? { json: entry.json, binary: entry.binary } : { json: entry }, itemIndex);
  return { ...item, pairedItem: { item: itemIndex } };
}

function checkTopLevelKeys(entry: Entry, index: number): void {
  const keys = Object.keys(entry);
  const unknownKey = keys.find((key) => !ITEM_KEYS.has(key));
  if (unknownKey === undefined) return;
  const reservedKey = keys.find((key) => ITEM_KEYS.has(key));
  if (reservedKey !== undefined) {
    throw invalidResult(
      'Invalid output format',
      `An output item contains the reserved key <code>${reservedKey}</code>. To get around this, please wrap each item in an object, under a key called <code>json</code>. <a href="https://docs.n8n.io/data/data-structure/#data-structure" target="_blank">Example</a>`,
      index,
    );
  }
  throw invalidResult(
    `Unknown top-level item key: ${unknownKey}`,
    'Access the properties of an item under `.json`, e.g. `item.json`',
    index,
  );
}

function toItem(entry: Entry, index: number): Item {
  if (!isRecord(entry.json)) {
    throw invalidResult(
      "A 'json' property isn't an object",
      "In the returned data, every key named 'json' must point to an object.",
      index,
    );
  }
  if (entry.binary !== undefined && !isRecord(entry.binary)) {
    throw invalidResult(
      "A 'binary' property isn't an object",
      "In the returned data, every key named 'binary' must point to an object.",
      index,
    );
  }
  const item: Item = { json: entry.json as JsonObject };
  if (entry.binary !== undefined) item.binary = entry.binary as Record<string, BinaryData>;
  if (isPairedItem(entry.pairedItem)) item.pairedItem = entry.pairedItem;
  return item;
}

function isPairedItem(value: unknown): value is Item['pairedItem'] {
  const isLink = (link: unknown) => isRecord(link) && typeof (link as Partial<PairedItem>).item === 'number';
  return typeof value === 'number' || isLink(value) || (Array.isArray(value) && value.every(isLink));
}

/** Items the code did not pair keep n8n's defaults: all to the only input item, or one to one when counts match. */
function withPairedItems(items: Item[], inputCount: number): Item[] {
  return items.map((item, index) => {
    if (item.pairedItem !== undefined) return item;
    if (inputCount === 1) return { ...item, pairedItem: { item: 0 } };
    if (inputCount === items.length) return { ...item, pairedItem: { item: index } };
    return item;
  });
}
