import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { compareLegacy, legacyDateTime } from './conditions/legacy.ts';
import { evaluateNodeFilter } from './conditions.ts';

/**
 * n8n-nodes-base.if: output 0 gets the items that pass, output 1 the rest. v2+ uses the filter format
 * (conditions.ts); v1 has typed condition lists combined with `combineOperation: 'all' | 'any'`.
 */

/** The filter format version n8n's editor stores for an IF (and Filter) node version. */
export function ifFilterVersion(nodeVersion: number): number {
  if (nodeVersion >= 2.3) return 3;
  return nodeVersion >= 2.2 ? 2 : 1;
}

const LEGACY_TYPES = ['boolean', 'dateTime', 'number', 'string'] as const;

/** Values n8n fills into a v1 condition that leaves them out. */
const LEGACY_DEFAULTS: Record<(typeof LEGACY_TYPES)[number], JsonObject> = {
  boolean: { value1: false, operation: 'equal', value2: false },
  dateTime: { value1: '', operation: 'after', value2: '' },
  number: { value1: 0, operation: 'smaller', value2: 0 },
  string: { value1: '', operation: 'equal', value2: '' },
};

function legacyConditionPasses(type: (typeof LEGACY_TYPES)[number], condition: JsonObject): boolean {
  const { value1, operation, value2 } = { ...LEGACY_DEFAULTS[type], ...condition };
  if (type === 'dateTime') return compareLegacy(String(operation), legacyDateTime(value1), legacyDateTime(value2));
  return compareLegacy(String(operation), value1, value2);
}

/**
 * IF v1 (and Filter v1): `conditions.{boolean,dateTime,number,string}`, checked in that order. IF v1 combines them
 * with `combineOperation: 'all' | 'any'`, Filter v1 with `combineConditions: 'AND' | 'OR'`.
 */
export function passesLegacyConditions(ctx: NodeContext, itemIndex: number, combine: 'if' | 'filter' = 'if'): boolean {
  const [all, any] = combine === 'filter' ? ['AND', 'OR'] : ['all', 'any'];
  const operation = ctx.getParam<string>(combine === 'filter' ? 'combineConditions' : 'combineOperation', itemIndex, all);
  try {
    for (const type of LEGACY_TYPES) {
      for (const condition of ctx.getParam<JsonObject[]>(`conditions.${type}`, itemIndex, []) ?? []) {
        const passes = legacyConditionPasses(type, condition);
        if (passes && operation === any) return true;
        if (!passes && operation === all) return false;
      }
    }
  } catch (error) {
    if (error instanceof NodeOperationError) error.itemIndex = itemIndex;
    throw error;
  }
  return operation === all;
}

export const ifNode: NodeType = {
  type: 'n8n-nodes-base.if',
  outputs: () => 2,
  async execute(ctx) {
    const trueItems: Item[] = [];
    const falseItems: Item[] = [];
    for (const [itemIndex, item] of ctx.items.entries()) {
      const passes =
        ctx.node.typeVersion < 2
          ? passesLegacyConditions(ctx, itemIndex)
          : evaluateNodeFilter(ctx, 'conditions', itemIndex, ifFilterVersion);
      (passes ? trueItems : falseItems).push({ ...item, pairedItem: { item: itemIndex } });
    }
    return [trueItems, falseItems];
  },
};
