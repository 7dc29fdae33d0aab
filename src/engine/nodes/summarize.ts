import { fieldList, readField } from '../field-paths.ts';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

interface Aggregation {
  aggregation?: string;
  field?: string;
  includeEmpty?: boolean;
  separateBy?: string;
  customSeparator?: string;
}

/** n8n's output names: `<prefix><field>`, dots in the field becoming underscores. */
const PREFIX: Record<string, string> = {
  append: 'appended_',
  average: 'average_',
  concatenate: 'concatenated_',
  count: 'count_',
  countUnique: 'unique_count_',
  max: 'max_',
  min: 'min_',
  sum: 'sum_',
};
const NUMERIC = new Set(['average', 'sum', 'max', 'min']);
const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

function aggregate(rule: Aggregation, values: unknown[]): unknown {
  const kind = rule.aggregation ?? 'count';
  const kept = rule.includeEmpty && !NUMERIC.has(kind) ? values : values.filter((value) => !isEmpty(value));
  switch (kind) {
    case 'append':
      return kept;
    case 'concatenate': {
      const separator = rule.separateBy === 'other' ? (rule.customSeparator ?? '') : (rule.separateBy ?? ',');
      return kept
        .map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '')))
        .join(separator);
    }
    case 'count':
      return kept.length;
    case 'countUnique':
      return new Set(kept.map((value) => (typeof value === 'object' ? JSON.stringify(value) : value))).size;
    default: {
      const numbers = kept.map(Number).filter((n) => !Number.isNaN(n));
      if (kind === 'sum') return numbers.reduce((a, b) => a + b, 0);
      if (!numbers.length) return null;
      if (kind === 'average') return numbers.reduce((a, b) => a + b, 0) / numbers.length;
      return kind === 'max' ? Math.max(...numbers) : Math.min(...numbers);
    }
  }
}

/** Items grouped by the split fields' values, groups in the order they first appear (nested per field, as n8n). */
interface Group {
  key: unknown[];
  items: Item[];
}

function groupsOf(items: Item[], splitFields: string[], dotless: boolean, skipEmpty: boolean): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const key = splitFields.map((field) => readField(item.json, field, dotless));
    if (skipEmpty && key.some(isEmpty)) continue;
    const id = JSON.stringify(key.map((value) => (value === undefined ? null : value)));
    const group = groups.get(id) ?? { key, items: [] };
    group.items.push(item);
    groups.set(id, group);
  }
  // Nested first-seen order: by the first field, then within it by the second, and so on.
  const order = new Map<string, number>();
  const rank = (prefix: unknown[]) => {
    const id = JSON.stringify(prefix);
    if (!order.has(id)) order.set(id, order.size);
    return order.get(id)!;
  };
  const ranked = [...groups.values()].map((group) => ({ group, ranks: group.key.map((_v, i) => rank(group.key.slice(0, i + 1))) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.ranks.length; i++) if (a.ranks[i] !== b.ranks[i]) return a.ranks[i]! - b.ranks[i]!;
    return 0;
  });
  return ranked.map((entry) => entry.group);
}

/**
 * n8n's Summarize node (v1, v1.1): count, count unique, sum, average, min, max, append and concatenate fields,
 * split by other fields (Excel's pivot table), as separate items or one nested item.
 */
export const summarizeNode: NodeType = {
  type: 'n8n-nodes-base.summarize',
  typeVersions: [1, 1.1],
  async execute(ctx) {
    const rules = ctx.getParam<Aggregation[]>('fieldsToSummarize.values', 0, [{ aggregation: 'count', field: '' }]);
    const options = ctx.getParam<JsonObject>('options', 0, {});
    const dotless = options.disableDotNotation === true;
    const splitFields = fieldList(ctx.getParam('fieldsToSplitBy', 0, ''), 'Fields to Split By');
    const items = ctx.items;
    if (options.continueIfFieldNotFound !== true && items.length) {
      for (const field of [...rules.map((rule) => rule.field ?? ''), ...splitFields]) {
        if (field && !items.some((item) => readField(item.json, field, dotless) !== undefined)) {
          throw new NodeOperationError(`The field '${field}' does not exist in any items`, {
            description: 'Check the field name, or set "Continue if Field Not Found" to go on without it.',
          });
        }
      }
    }
    const summaries = groupsOf(items, splitFields, dotless, options.skipEmptySplitFields === true).map((group) => {
      const summary: JsonObject = {};
      for (const rule of rules) {
        const field = rule.field ?? '';
        const name = `${PREFIX[rule.aggregation ?? 'count'] ?? `${rule.aggregation}_`}${field.replace(/\./g, '_')}`;
        summary[name] = aggregate(
          rule,
          group.items.map((item) => readField(item.json, field, dotless)),
        );
      }
      return { group, summary };
    });
    const paired = items.map((_item, item) => ({ item }));
    if (options.outputFormat === 'singleItem' && splitFields.length) {
      const nested: JsonObject = {};
      for (const { group, summary } of summaries) {
        let level = nested;
        group.key.forEach((value, index) => {
          const key = String(value ?? 'null');
          if (index === group.key.length - 1) {
            level[key] = summary;
            return;
          }
          level[key] ??= {};
          level = level[key] as JsonObject;
        });
      }
      return [[{ json: nested, pairedItem: paired }]];
    }
    return [
      summaries.map(({ group, summary }) => ({
        json: { ...Object.fromEntries(splitFields.map((field, i) => [field, group.key[i] ?? null])), ...summary },
        pairedItem: group.items.map((item) => ({ item: items.indexOf(item) })),
      })),
    ];
  },
};
