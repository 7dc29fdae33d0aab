import { isDeepStrictEqual } from 'node:util';
import { fieldList, readField } from '../field-paths.ts';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

interface KeyPair {
  field1?: string;
  field2?: string;
}

/** Loose comparison (fuzzyCompare): 1 and "1", true and "true", null and "" are the same. */
function sameValue(a: unknown, b: unknown, fuzzy: boolean): boolean {
  if (isDeepStrictEqual(a, b)) return true;
  if (!fuzzy) return false;
  const loose = (value: unknown) =>
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return loose(a) === loose(b);
}

/**
 * n8n's Compare Datasets: input A and input B matched by key fields; outputs "In A only", "Same", "Different" and
 * "In B only". A difference is resolved by `resolve`: prefer input 1 or 2, mix (one input with some fields from the
 * other), or include both (`keys`, `same`, `different` with each side's value).
 */
export const compareDatasetsNode: NodeType = {
  type: 'n8n-nodes-base.compareDatasets',
  typeVersions: [1, 2, 2.1, 2.2, 2.3],
  inputs: () => 2,
  outputs: () => 4,
  async execute(ctx) {
    const pairs = ctx.getParam<KeyPair[]>('mergeByFields.values', 0, []).filter((pair) => pair.field1 && pair.field2);
    if (!pairs.length) throw new NodeOperationError('You need to define at least one pair of fields in "Fields to Match"');
    const resolve = ctx.getParam<string>('resolve', 0, 'preferInput2');
    const fuzzy =
      ctx.getParam<boolean>('fuzzyCompare', 0, false) === true || ctx.getParam<boolean>('options.fuzzyCompare', 0, false) === true;
    const options = ctx.getParam<JsonObject>('options', 0, {});
    const dotless = options.disableDotNotation === true;
    const skip = new Set(fieldList(options.skipFields ?? '', 'Fields to Skip Comparing'));
    const all = options.multipleMatches === 'all';
    const [inputA = [], inputB = []] = ctx.inputs;
    const matchedB = new Set<number>();
    const onlyA: Item[] = [];
    const same: Item[] = [];
    const different: Item[] = [];
    const onlyB: Item[] = [];
    const mix = {
      prefer: ctx.getParam<string>('preferWhenMix', 0, 'input1'),
      except: fieldList(ctx.getParam('exceptWhenMix', 0, ''), 'For Everything Except'),
    };

    inputA.forEach((a, indexA) => {
      const keyOf = (item: Item, side: 'field1' | 'field2') => pairs.map((pair) => readField(item.json, pair[side]!, dotless));
      const keyA = keyOf(a, 'field1');
      const matches = inputB.flatMap((b, indexB) =>
        keyOf(b, 'field2').every((value, i) => sameValue(keyA[i], value, fuzzy)) ? [indexB] : [],
      );
      if (!matches.length) {
        onlyA.push({ json: a.json, pairedItem: { item: indexA, input: 0 } });
        return;
      }
      for (const indexB of all ? matches : matches.slice(0, 1)) {
        matchedB.add(indexB);
        const b = inputB[indexB]!;
        const fields = [...new Set([...Object.keys(a.json), ...Object.keys(b.json)])].filter((field) => !skip.has(field));
        const differing = fields.filter((field) => !sameValue(a.json[field], b.json[field], fuzzy));
        const paired = [
          { item: indexA, input: 0 },
          { item: indexB, input: 1 },
        ];
        if (!differing.length) {
          same.push({ json: a.json, pairedItem: paired });
          continue;
        }
        different.push({ json: resolved(resolve, a.json, b.json, { pairs, differing, fields, mix }), pairedItem: paired });
      }
    });
    inputB.forEach((b, indexB) => {
      if (!matchedB.has(indexB)) onlyB.push({ json: b.json, pairedItem: { item: indexB, input: 1 } });
    });
    return [onlyA, same, different, onlyB];
  },
};

function resolved(
  resolve: string,
  a: JsonObject,
  b: JsonObject,
  detail: { pairs: KeyPair[]; differing: string[]; fields: string[]; mix: { prefer: string; except: string[] } },
): JsonObject {
  if (resolve === 'preferInput1') return a;
  if (resolve === 'preferInput2') return b;
  if (resolve === 'mix') {
    const preferred = detail.mix.prefer === 'input2' ? b : a;
    const other = preferred === a ? b : a;
    const result = { ...preferred };
    for (const field of detail.mix.except) if (field in other) result[field] = other[field];
    return result;
  }
  const keys = Object.fromEntries(detail.pairs.map((pair) => [pair.field1!, a[pair.field1!]]));
  const same = Object.fromEntries(
    detail.fields.filter((field) => !detail.differing.includes(field) && !(field in keys)).map((field) => [field, a[field]]),
  );
  const different = Object.fromEntries(detail.differing.map((field) => [field, { inputA: a[field] ?? null, inputB: b[field] ?? null }]));
  return { keys, same, different };
}
