import { assignOwn, ownValue, readField } from '../../field-paths.ts';
import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { Item } from '../../types.ts';
import { type Inputs, pairsOf, param } from './merging.ts';

/** Merge v1: `mode` append | mergeByIndex | mergeByKey | keepKeyMatches | removeKeyMatches | multiplex | passThrough | wait. */
export function mergeV1(ctx: NodeContext, inputs: Inputs): Item[] {
  const mode = param(ctx, 'mode', 'append');
  const [input1 = [], input2 = []] = inputs;
  switch (mode) {
    case 'append':
      return [...input1, ...input2];
    case 'mergeByIndex':
      return mergeByIndexV1(param(ctx, 'join', 'left'), input1, input2);
    case 'multiplex':
      return input1.flatMap((a) => input2.map((b) => ({ json: { ...a.json, ...b.json }, pairedItem: [...pairsOf(a), ...pairsOf(b)] })));
    case 'keepKeyMatches':
    case 'mergeByKey':
    case 'removeKeyMatches':
      return mergeByKeyV1(ctx, mode, input1, input2);
    case 'passThrough':
      return param(ctx, 'output', 'input1') === 'input1' ? input1 : input2;
    case 'wait':
      return [{ json: {}, pairedItem: input1.map((_, item) => ({ item })) }];
    default:
      throw new NodeOperationError(`The mode "${mode}" is not supported`);
  }
}

function mergeByIndexV1(join: string, input1: Item[], input2: Item[]): Item[] {
  if (input1.length === 0) return join === 'outer' ? input2 : [];
  if (input2.length === 0) return join === 'inner' ? [] : input1;
  let count = input1.length;
  if (join === 'inner') count = Math.min(input1.length, input2.length);
  if (join === 'outer') count = Math.max(input1.length, input2.length);
  return Array.from({ length: count }, (_, index) => {
    const a = input1[index];
    const b = input2[index];
    if (!a || !b) return (a ?? b) as Item;
    const item: Item = { json: { ...a.json, ...b.json }, pairedItem: [...pairsOf(a), ...pairsOf(b)] };
    if (a.binary || b.binary) item.binary = { ...a.binary, ...b.binary };
    return item;
  });
}

/**
 * v1 key modes. Keys compare as strings (numbers, null converted); input 1 items whose key is missing, an object or
 * a boolean never match (mergeByKey and keepKeyMatches drop them, removeKeyMatches keeps them).
 */
function mergeByKeyV1(ctx: NodeContext, mode: string, input1: Item[], input2: Item[]): Item[] {
  const property1 = param(ctx, 'propertyName1', '');
  const property2 = param(ctx, 'propertyName2', '');
  const overwrite = param(ctx, 'overwrite', 'always');
  if (!property1 || !property2) return mode === 'keepKeyMatches' ? [] : input1;

  const byKey = new Map<string, Item>();
  for (const entry of input2) {
    const key = readField(entry.json, property2, false);
    if (key) byKey.set(String(key), entry);
  }
  const output: Item[] = [];
  for (const entry of input1) {
    const reference = readField(entry.json, property1, false);
    const comparable = typeof reference === 'string' || typeof reference === 'number' || reference === null;
    const match = comparable ? byKey.get(String(reference)) : undefined;
    if (!match) {
      if (mode === 'removeKeyMatches' || (mode === 'mergeByKey' && comparable)) output.push(entry);
      continue;
    }
    if (mode === 'keepKeyMatches') output.push(entry);
    if (mode !== 'mergeByKey') continue;
    const json = structuredClone(entry.json);
    for (const [key, value] of Object.entries(match.json)) {
      if (key === property2) continue;
      const current = ownValue(json, key);
      const blank = current === null || current === undefined || current === '';
      if (overwrite === 'always' || (overwrite === 'undefined' && !Object.hasOwn(json, key)) || (overwrite === 'blank' && blank))
        assignOwn(json, key, value);
    }
    output.push({ ...entry, json });
  }
  return output;
}
