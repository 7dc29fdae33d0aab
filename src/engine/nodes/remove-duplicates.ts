import { isSafeKey, readField } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

/** A value's identity for comparison: JSON with object keys in order, so {a,b} and {b,a} are the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const fieldList = (text: unknown) =>
  String(text ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);

function keyOf(ctx: NodeContext, item: Item, itemIndex: number): string {
  const compare = ctx.getParam<string>('compare', itemIndex, 'allFields');
  const options = ctx.getParam<JsonObject>('options', itemIndex, {}) ?? {};
  const disableDotNotation = options.disableDotNotation === true;
  if (compare === 'allFields') return canonical(item.json);
  if (compare === 'allFieldsExcept') {
    const excluded = new Set(fieldList(ctx.getParam('fieldsToExclude', itemIndex, '')));
    return canonical(Object.fromEntries(Object.entries(item.json).filter(([k]) => !excluded.has(k) && isSafeKey(k))));
  }
  if (compare === 'selectedFields') {
    const fields = fieldList(ctx.getParam('fieldsToCompare', itemIndex, ''));
    if (!fields.length) throw new NodeOperationError('No fields specified. Please add a field to compare on', { itemIndex });
    return canonical(fields.map((field) => readField(item.json, field, disableDotNotation)));
  }
  // An expression in `compare` (some templates put one there): its value is the key.
  return canonical(compare);
}

/** With removeOtherFields (selected fields only), the item keeps just the fields compared. */
function keptFields(ctx: NodeContext, item: Item, itemIndex: number): JsonObject {
  const options = ctx.getParam<JsonObject>('options', itemIndex, {}) ?? {};
  if (options.removeOtherFields !== true || ctx.getParam<string>('compare', itemIndex, 'allFields') !== 'selectedFields') return item.json;
  const json: JsonObject = {};
  for (const field of fieldList(ctx.getParam('fieldsToCompare', itemIndex, ''))) {
    if (isSafeKey(field) && Object.hasOwn(item.json, field)) json[field] = item.json[field] as JsonObject[string];
  }
  return json;
}

/**
 * n8n's Remove Duplicates node (typeVersions 1 to 2), "remove items repeated within the current input": keeps the
 * first item of each key, comparing all fields, all but some, or the selected ones. The operations that remember
 * items across executions are refused with a message until they have shared storage.
 */
export const removeDuplicatesNode: NodeType = {
  type: 'n8n-nodes-base.removeDuplicates',
  typeVersions: [1, 1.1, 2],
  operations: ['removeDuplicateInputItems'],
  async execute(ctx) {
    const operation = ctx.getParam<string>('operation', 0, 'removeDuplicateInputItems');
    if (operation !== 'removeDuplicateInputItems') {
      throw new NodeOperationError(`The Remove Duplicates operation "${operation}" is not supported by this server yet`, {
        description: 'Only "Remove Items Repeated Within Current Input" is: items seen in earlier executions are not remembered here.',
      });
    }
    const seen = new Set<string>();
    const kept: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const key = keyOf(ctx, item, itemIndex);
      if (seen.has(key)) continue;
      seen.add(key);
      kept.push(paired(keptFields(ctx, item, itemIndex), itemIndex, item.binary));
    }
    return [kept];
  },
};
