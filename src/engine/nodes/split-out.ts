import { assignOwn, fieldList, isSafeKey, readField, removePath } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

/** Turns a list inside each item into one item per element (n8n's "Split Out"). */
export const splitOutNode: NodeType = {
  type: 'n8n-nodes-base.splitOut',
  async execute(ctx) {
    return [ctx.items.flatMap((item, itemIndex) => splitItem(ctx, item, itemIndex))];
  },
};

function splitItem(ctx: NodeContext, input: Item, itemIndex: number): Item[] {
  const fields = String(ctx.getParam('fieldToSplitOut', itemIndex, ''))
    .split(',')
    .map((field) => field.trim().replace(/^\$json\./, ''));
  const options = ctx.getParam<JsonObject>('options', itemIndex, {});
  const disableDotNotation = options.disableDotNotation === true;
  const destinations = String(options.destinationFieldName ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (destinations.length && destinations.length !== fields.length) {
    throw new NodeOperationError('If multiple fields to split out are given, the same number of destination fields must be given', {
      itemIndex,
    });
  }
  const include = ctx.getParam<string>('include', itemIndex, 'noOtherFields');
  const read = (json: JsonObject, field: string) => readField(json, field, disableDotNotation);
  const json = { ...input.json };

  const rows: Item[] = [];
  fields.forEach((field, fieldIndex) => {
    const destination = destinations[fieldIndex] ?? '';
    const elements: unknown[] =
      field === '$binary' ? Object.entries(input.binary ?? {}).map(([key, data]) => ({ [key]: data })) : elementsOf(read(json, field));
    elements.forEach((element, elementIndex) => {
      rows[elementIndex] ??= { json: {}, pairedItem: { item: itemIndex } };
      const row = rows[elementIndex];
      if (field === '$binary') {
        row.binary = { ...row.binary, ...(element as Item['binary']) };
        return;
      }
      // A lone object element (arrays included, as in n8n) becomes the item itself rather than a field of it.
      if (typeof element === 'object' && element !== null && include === 'noOtherFields' && destination === '' && fields.length === 1) {
        row.json = { ...row.json, ...(element as JsonObject) };
      } else {
        assignOwn(row.json, destination || field, element);
      }
    });
  });

  const fieldsToInclude =
    include === 'selectedOtherFields' ? fieldList(ctx.getParam('fieldsToInclude', itemIndex, ''), 'Fields To Include') : [];
  if (include === 'selectedOtherFields' && fieldsToInclude.length === 0 && rows.length > 0) {
    throw new NodeOperationError('No fields specified', { description: 'Please add a field to include', itemIndex });
  }
  return rows.map((row) => {
    if (include === 'allOtherFields') {
      const others = structuredClone(json);
      for (const field of fields) {
        if (disableDotNotation) {
          if (isSafeKey(field)) delete others[field];
        } else removePath(others, field);
      }
      row.json = { ...others, ...row.json };
    }
    for (const field of fieldsToInclude) assignOwn(row.json, field, read(json, field));
    if (options.includeBinary === true && input.binary && !row.binary) row.binary = input.binary;
    return row;
  });
}

/** What to split: a list as is, an object's values, a single value as a list of one; a missing field gives nothing. */
function elementsOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null) return [value];
  return Array.isArray(value) ? value : Object.values(value);
}
