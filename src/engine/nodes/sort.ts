import { isDeepStrictEqual } from 'node:util';
import { readField } from '../field-paths.ts';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

interface SortField {
  fieldName: string;
  order?: 'ascending' | 'descending';
}

/** Reorders items: by fields (`simple`), or shuffled (`random`). */
export const sortNode: NodeType = {
  type: 'n8n-nodes-base.sort',
  async execute(ctx) {
    const items: Item[] = ctx.items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
    const type = ctx.getParam<string>('type', 0, 'simple');
    if (type === 'random') return [shuffle(items)];
    if (type === 'code') {
      throw new NodeOperationError("Sorting by code is not supported: use 'Simple' sort or a Code node");
    }
    const disableDotNotation = ctx.getParam<unknown>('options.disableDotNotation', 0, false) === true;
    const sortFields = ctx.getParam<SortField[]>('sortFieldsUi.sortField', 0, []);
    if (!Array.isArray(sortFields) || sortFields.length === 0) {
      throw new NodeOperationError('No sorting specified. Please add a field to sort by');
    }
    const read = (json: JsonObject, field: string) => readField(json, field, disableDotNotation);
    for (const { fieldName } of sortFields) {
      if (items.some((item) => read(item.json, fieldName) !== undefined)) continue;
      throw new NodeOperationError(`Couldn't find the field '${fieldName}' in the input data`, {
        description:
          disableDotNotation && fieldName.includes('.')
            ? "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options"
            : undefined,
      });
    }
    return [items.sort((a, b) => compareBy(sortFields, a.json, b.json, read))];
  },
};

/** n8n compares case-insensitively and, for mixed types, numerically (lodash `lt`); missing values sort last. */
function compareBy(fields: SortField[], a: JsonObject, b: JsonObject, read: (json: JsonObject, field: string) => unknown): number {
  for (const field of fields) {
    const left = lowered(read(a, field.fieldName));
    const right = lowered(read(b, field.fieldName));
    if (isDeepStrictEqual(left, right)) continue;
    const direction = field.order === 'descending' ? -1 : 1;
    return lessThan(left, right) ? -direction : direction;
  }
  return 0;
}

function lowered(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function lessThan(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  return toNumber(a) < toNumber(b);
}

function toNumber(value: unknown): number {
  if (value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value.trim());
  if (Array.isArray(value)) return toNumber(String(value));
  return Number.NaN;
}

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}
