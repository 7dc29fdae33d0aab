import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { Item } from '../../types.ts';
import { combineByFields } from './by-fields.ts';
import {
  type ClashOptions,
  clashOptions,
  combined,
  type FieldPair,
  type Inputs,
  mergerFor,
  type NoOutput,
  pairsOf,
  param,
  withSuffix,
} from './merging.ts';

/**
 * Merge v3 (`mode` append | combine by fields, position or all | chooseBranch, with `numberInputs` inputs) and
 * v2 (`mode` append | combine by `combinationMode` mergeByFields | mergeByPosition | multiplex | chooseBranch).
 */

export function mergeV3(ctx: NodeContext, inputs: Inputs): Item[] | NoOutput {
  const mode = param(ctx, 'mode', 'append');
  if (mode === 'append') return inputs.flat();
  if (mode === 'chooseBranch') return chooseBranch(ctx, inputs);
  if (mode === 'combineBySql') throw new NodeOperationError('Merge mode "SQL Query" is not supported');
  if (mode !== 'combine') throw new NodeOperationError(`The mode "${mode}" is not supported`);
  const combineBy = param(ctx, 'combineBy', 'combineByFields');
  const [input1 = [], input2 = []] = inputs;
  if (combineBy === 'combineByPosition') return combineByPosition(ctx, inputs);
  if (combineBy === 'combineAll') return combineAll(clashOptions(ctx), input1, input2);
  if (combineBy !== 'combineByFields') throw new NodeOperationError(`The combine mode "${combineBy}" is not supported`);
  const pairs =
    ctx.getParam<unknown>('advanced', 0, false) === true
      ? ctx.getParam<FieldPair[]>('mergeByFields.values', 0, [])
      : param(ctx, 'fieldsToMatchString', '')
          .split(',')
          .map((field) => ({ field1: field.trim(), field2: field.trim() }));
  return combineByFields(ctx, input1, input2, pairs);
}

export function mergeV2(ctx: NodeContext, inputs: Inputs): Item[] | NoOutput {
  const mode = param(ctx, 'mode', 'append');
  const [input1 = [], input2 = []] = inputs;
  if (mode === 'append') return [...input1, ...input2];
  if (mode === 'chooseBranch') return chooseBranch(ctx, inputs);
  if (mode !== 'combine') throw new NodeOperationError(`The mode "${mode}" is not supported`);
  const combinationMode = param(ctx, 'combinationMode', 'mergeByFields');
  if (combinationMode === 'multiplex') return combineAll(clashOptions(ctx), input1, input2);
  if (combinationMode === 'mergeByPosition') return mergeByPositionV2(ctx, input1, input2);
  if (combinationMode !== 'mergeByFields') throw new NodeOperationError(`The combination mode "${combinationMode}" is not supported`);
  return combineByFields(ctx, input1, input2, ctx.getParam<FieldPair[]>('mergeByFields.values', 0, []));
}

/** Waits for all inputs, then outputs one of them (v3 `useDataOfInput`, v2 `input1`/`input2`) or one empty item. */
function chooseBranch(ctx: NodeContext, inputs: Inputs): Item[] {
  const output = param(ctx, 'output', ctx.node.typeVersion < 3 ? 'input1' : 'specifiedInput');
  if (output === 'empty') return [{ json: {}, pairedItem: inputs.flat().flatMap(pairsOf) }];
  if (output === 'input1' || output === 'input2') return inputs[output === 'input1' ? 0 : 1] ?? [];
  const chosen = Number(ctx.getParam('useDataOfInput', 0, 1));
  if (!(chosen >= 1 && chosen <= inputs.length)) {
    throw new NodeOperationError(`Input ${chosen} doesn't exist`, {
      description: `The node has only ${inputs.length} inputs, so selecting input ${chosen} is not possible.`,
    });
  }
  return inputs[chosen - 1] ?? [];
}

/**
 * Item i of every input merged into one. Later inputs win clashes unless `preferInputN`; the preferred input's
 * item is merged (and paired) last again, as n8n does. With `addSuffix` n8n picks that preferred input (the last)
 * before suffixing, so its fields come out twice, suffixed and as they are: `{ a_1, k_1, b_2, k_2, b, k }`.
 */
function combineByPosition(ctx: NodeContext, inputs: Inputs): Item[] {
  const clash = clashOptions(ctx);
  const includeUnpaired = ctx.getParam<unknown>('options.includeUnpaired', 0, false) === true;
  const preferredIndex = clash.resolveClash?.startsWith('preferInput') ? Number(clash.resolveClash.slice('preferInput'.length)) - 1 : -1;
  const preferred = inputs[preferredIndex] ?? inputs[inputs.length - 1] ?? [];
  const data = clash.resolveClash === 'addSuffix' ? inputs.map((input, index) => withSuffix(input, String(index + 1))) : inputs;
  const lengths = data.map((input) => input.length);
  const count = includeUnpaired ? Math.max(...lengths) : Math.min(...lengths);
  const merge = mergerFor(clash);
  return Array.from({ length: count }, (_, index) => {
    const entries = [...data.map((input) => input[index]), preferred[index]].filter((entry) => entry !== undefined);
    return combined(entries, merge);
  });
}

/** v2 "Merge By Position": an empty input passes the other one through; `preferInput1` swaps which side wins. */
function mergeByPositionV2(ctx: NodeContext, input1: Item[], input2: Item[]): Item[] {
  if (input1.length === 0 || input2.length === 0) return [...input1, ...input2];
  const clash = clashOptions(ctx);
  const [first, second] = orderedForClash(clash, input1, input2);
  const count =
    ctx.getParam<unknown>('options.includeUnpaired', 0, false) === true
      ? Math.max(first.length, second.length)
      : Math.min(first.length, second.length);
  const merge = mergerFor(clash);
  return Array.from({ length: count }, (_, index) => {
    const a = first[index];
    const b = second[index];
    return a && b ? combined([a, b], merge) : ((a ?? b) as Item);
  });
}

/** Every pairing of an input 1 item with an input 2 item (cross join). */
function combineAll(clash: ClashOptions, input1: Item[], input2: Item[]): Item[] {
  const [first, second] = orderedForClash(clash, input1, input2);
  const merge = mergerFor(clash);
  return first.flatMap((a) => second.map((b) => combined([a, b], merge)));
}

/** Puts the winning input last (`preferInput1` swaps) and applies `addSuffix`. */
function orderedForClash(clash: ClashOptions, input1: Item[], input2: Item[]): [Item[], Item[]] {
  const [first, second] = clash.resolveClash === 'preferInput1' ? [input2, input1] : [input1, input2];
  return clash.resolveClash === 'addSuffix' ? [withSuffix(first, '1'), withSuffix(second, '2')] : [first, second];
}
