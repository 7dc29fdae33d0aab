import { assignOwn, ownValue } from '../../field-paths.ts';
import type { NodeContext } from '../../node-types.ts';
import type { Item, JsonObject, PairedItem } from '../../types.ts';

/** What every Merge mode shares: its inputs and clash options, and how several items become one. */

export type Inputs = Item[][];

/** A combine by matching fields that stops without output: one side to keep or enrich is empty. */
export type NoOutput = undefined;

export interface ClashOptions {
  resolveClash?: string;
  mergeMode?: string;
  overrideEmpty?: boolean;
}

export interface FieldPair {
  field1: string;
  field2: string;
}

export type Merger = (...objects: JsonObject[]) => JsonObject;

/** One item from several: json and binary merged in order (later wins), pairings concatenated. */
export function combined(entries: Item[], merge: Merger): Item {
  const item: Item = { json: merge(...entries.map((entry) => entry.json)), pairedItem: entries.flatMap(pairsOf) };
  const binary = merge(...entries.map((entry) => (entry.binary ?? {}) as JsonObject));
  if (Object.keys(binary).length) item.binary = binary as Item['binary'];
  return item;
}

/**
 * lodash `merge` (deep: nested objects merged, arrays merged index by index, undefined never overwrites) or
 * `assign` (shallow); with `overrideEmpty`, null, '' and undefined do not replace a value already there.
 */
export function mergerFor(clash: ClashOptions): Merger {
  const keepFilled = clash.overrideEmpty === true;
  const shallow = clash.mergeMode === 'shallowMerge';
  return (...objects) => {
    const target: JsonObject = {};
    for (const source of objects) {
      for (const [key, value] of Object.entries(source)) {
        if (keepFilled && isEmptyValue(value) && ownValue(target, key) !== undefined) continue;
        if (shallow) assignOwn(target, key, value);
        else deepAssign(target, key, value, keepFilled);
      }
    }
    return target;
  };
}

/** Keys come from item data (a JSON response may carry an own `__proto__`): read and written as own properties only. */
function deepAssign(target: Record<string, unknown>, key: string, value: unknown, keepFilled: boolean): void {
  const existing = ownValue(target, key);
  if (Array.isArray(value) || isPlainObject(value)) {
    const container = (
      Array.isArray(value) ? (Array.isArray(existing) ? existing : []) : existing !== null && typeof existing === 'object' ? existing : {}
    ) as Record<string, unknown>;
    for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) {
      if (keepFilled && isEmptyValue(child) && ownValue(container, childKey) !== undefined) continue;
      deepAssign(container, childKey, child, keepFilled);
    }
    assignOwn(target, key, container);
    return;
  }
  if (value !== undefined || !Object.hasOwn(target, key)) assignOwn(target, key, value);
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function withSuffix(items: Item[], suffix: string): Item[] {
  return items.map((item) => ({
    ...item,
    json: Object.fromEntries(Object.entries(item.json).map(([key, value]) => [`${key}_${suffix}`, value])),
  }));
}

export function pairsOf(item: Item): PairedItem[] {
  const paired = item.pairedItem;
  if (paired === undefined) return [];
  if (typeof paired === 'number') return [{ item: paired }];
  return Array.isArray(paired) ? paired : [paired];
}

export function clashOptions(ctx: NodeContext): ClashOptions {
  const values = ctx.getParam<unknown>('options.clashHandling.values', 0, {});
  return values !== null && typeof values === 'object' ? (values as ClashOptions) : {};
}

export function param(ctx: NodeContext, path: string, fallback: string): string {
  return String(ctx.getParam<unknown>(path, 0, fallback));
}
