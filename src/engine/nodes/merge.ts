import { isDeepStrictEqual } from 'node:util';
import { boundedPortCount } from '../connections.ts';
import { assignOwn, ownValue, readPath } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject, PairedItem, WorkflowNode } from '../types.ts';

/**
 * n8n's Merge node, all three generations of parameters:
 * - v3: `mode` append | combine (`combineBy`: combineByFields | combineByPosition | combineAll) | chooseBranch,
 *   with `numberInputs` inputs;
 * - v2: `mode` append | combine (`combinationMode`: mergeByFields | mergeByPosition | multiplex) | chooseBranch;
 * - v1: `mode` append | mergeByIndex | mergeByKey | keepKeyMatches | removeKeyMatches | multiplex | passThrough | wait.
 *
 * Every input item is first paired with its position (`{ item, input }`, input omitted for the first input), which
 * is what n8n's engine does to a node's input before running it; items passed through keep that pairing.
 */
export const mergeNode: NodeType = {
  type: 'n8n-nodes-base.merge',
  inputs: inputCount,
  // n8n's Merge v2+: chooseBranch runs only once both inputs have data; the other modes run with any input.
  requiredInputs: (node) => (node.typeVersion >= 2 && node.parameters.mode === 'chooseBranch' ? [0, 1] : 1),
  async execute(ctx) {
    const inputs = Array.from({ length: inputCount(ctx.node) }, (_, input) =>
      (ctx.inputs[input] ?? []).map((item, index): Item => ({ ...item, pairedItem: input ? { item: index, input } : { item: index } })),
    );
    const version = ctx.node.typeVersion;
    if (version < 2) return [mergeV1(ctx, inputs)];
    if (version < 3) return [mergeV2(ctx, inputs) ?? []];
    // v3 ends a match-or-enrich with nothing to match against without any output (run data `main: []`).
    const output = mergeV3(ctx, inputs);
    return output ? [output] : [];
  },
};

function inputCount(node: WorkflowNode): number {
  if (node.typeVersion < 3) return 2;
  const configured = Number(node.parameters.numberInputs ?? 2);
  return Number.isInteger(configured) && configured >= 2 ? boundedPortCount(configured) : 2;
}

type Inputs = Item[][];

/** A combine by matching fields that stops without output: one side to keep or enrich is empty. */
type NoOutput = undefined;

interface ClashOptions {
  resolveClash?: string;
  mergeMode?: string;
  overrideEmpty?: boolean;
}

interface FieldPair {
  field1: string;
  field2: string;
}

// ---------------------------------------------------------------------------------------------------- v3 and v2

function mergeV3(ctx: NodeContext, inputs: Inputs): Item[] | NoOutput {
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

function mergeV2(ctx: NodeContext, inputs: Inputs): Item[] | NoOutput {
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

// ---------------------------------------------------------------------------------------------------- by fields

interface Matches {
  /** Input 1 items with the input 2 items they matched (one pair per entry when merging both sides). */
  matched: { entry: Item; matches: Item[] }[];
  /** Input 2 items that matched something, in input 2 order. */
  matched2: Item[];
  unmatched1: Item[];
  unmatched2: Item[];
}

function combineByFields(ctx: NodeContext, input1: Item[], input2: Item[], configuredPairs: FieldPair[]): Item[] | NoOutput {
  const pairs = checkedFieldPairs(configuredPairs);
  const joinMode = param(ctx, 'joinMode', 'keepMatches');
  const outputDataFrom = param(ctx, 'outputDataFrom', 'both');
  const disableDotNotation = ctx.getParam<unknown>('options.disableDotNotation', 0, false) === true;
  if (ctx.node.typeVersion < 2.1) {
    checkFieldsPresent(
      input1,
      pairs.map((pair) => pair.field1),
      disableDotNotation,
      'Input 1',
    );
    checkFieldsPresent(
      input2,
      pairs.map((pair) => pair.field2),
      disableDotNotation,
      'Input 2',
    );
  }

  if (input1.length === 0 || input2.length === 0) {
    if (joinMode === 'keepNonMatches' && outputDataFrom === 'input1' && input1.length === 0) return [];
    if (joinMode === 'keepNonMatches' && outputDataFrom === 'input2' && input2.length === 0) return [];
    if (joinMode === 'keepMatches') return undefined;
    if (joinMode === 'enrichInput1' && input1.length === 0) return undefined;
    if (joinMode === 'enrichInput2' && input2.length === 0) return undefined;
    return [...input1, ...input2];
  }
  if (pairs.length === 0) return ['keepMatches', 'keepEverything', 'enrichInput2'].includes(joinMode) ? [] : input1;

  const oneMatchPerEntry = outputDataFrom === 'both' || joinMode === 'enrichInput1' || joinMode === 'enrichInput2';
  const matches = findMatches(input1, input2, pairs, {
    disableDotNotation,
    fuzzy: ctx.getParam<unknown>('options.fuzzyCompare', 0, false) === true,
    firstMatchOnly: ctx.getParam<unknown>('options.multipleMatches', 0, 'all') === 'first',
    oneMatchPerEntry,
  });
  const clash = clashOptions(ctx);
  const suffixed = (items: Item[], suffix: string) => (clash.resolveClash === 'addSuffix' ? withSuffix(items, suffix) : items);

  switch (joinMode) {
    case 'keepMatches':
    case 'keepEverything': {
      let output: Item[] = [];
      if (outputDataFrom === 'input1') output = matches.matched.map((match) => match.entry);
      else if (outputDataFrom === 'input2') output = matches.matched2;
      else if (outputDataFrom === 'both') output = mergeMatched(matches.matched, clash, joinMode);
      if (joinMode === 'keepMatches') return output;
      return [...output, ...suffixed(matches.unmatched1, '1'), ...suffixed(matches.unmatched2, '2')];
    }
    case 'keepNonMatches':
      if (outputDataFrom === 'input1') return matches.unmatched1;
      if (outputDataFrom === 'input2') return matches.unmatched2;
      return [...withSource(matches.unmatched1, 'input1'), ...withSource(matches.unmatched2, 'input2')];
    case 'enrichInput1':
      return [...mergeMatched(matches.matched, clash, joinMode), ...suffixed(matches.unmatched1, '1')];
    case 'enrichInput2':
      return [...mergeMatched(matches.matched, clash, joinMode), ...suffixed(matches.unmatched2, '2')];
    default:
      throw new NodeOperationError(`The output type "${joinMode}" is not supported`);
  }
}

function checkedFieldPairs(configured: FieldPair[]): FieldPair[] {
  const pairs = Array.isArray(configured) ? configured : [];
  const only = pairs[0];
  if (pairs.length === 1 && only && !only.field1 && !only.field2) {
    throw new NodeOperationError('You need to define at least one pair of fields in "Fields to Match" to match on');
  }
  pairs.forEach((pair, index) => {
    if (!pair.field1 || !pair.field2) {
      throw new NodeOperationError(
        `You need to define both fields in "Fields to Match" for pair ${index + 1}, field 1 = '${pair.field1 ?? ''}' field 2 = '${pair.field2 ?? ''}'`,
      );
    }
  });
  return pairs;
}

/** Merge v2.0 insisted every field to match exists in at least one item of its input. */
function checkFieldsPresent(items: Item[], fields: string[], disableDotNotation: boolean, label: string): void {
  for (const field of fields) {
    if (items.some((item) => readField(item.json, field, disableDotNotation) !== undefined)) continue;
    throw new NodeOperationError(`Field '${field}' is not present in any of items in '${label}'`);
  }
}

function findMatches(
  input1: Item[],
  input2: Item[],
  pairs: FieldPair[],
  options: { disableDotNotation: boolean; fuzzy: boolean; firstMatchOnly: boolean; oneMatchPerEntry: boolean },
): Matches {
  const equal = options.fuzzy ? fuzzyEqual : isDeepStrictEqual;
  const result: Matches = { matched: [], matched2: [], unmatched1: [], unmatched2: [] };
  const matchedInInput2 = new Set<number>();
  for (const entry of input1) {
    const wanted = pairs.map((pair) => ({ field: pair.field2, value: readField(entry.json, pair.field1, options.disableDotNotation) }));
    if (wanted.some(({ value }) => value === undefined)) {
      result.unmatched1.push(entry);
      continue;
    }
    const isMatch = (candidate: Item) =>
      wanted.every(({ field, value }) => equal(value, readField(candidate.json, field, options.disableDotNotation)));
    const found: number[] = [];
    for (const [index, candidate] of input2.entries()) {
      if (!isMatch(candidate)) continue;
      found.push(index);
      if (options.firstMatchOnly) break;
    }
    if (found.length === 0) {
      result.unmatched1.push(entry);
      continue;
    }
    for (const index of found) matchedInInput2.add(index);
    const matches = found.map((index) => input2[index] as Item);
    if (options.oneMatchPerEntry) result.matched.push(...matches.map((match) => ({ entry, matches: [match] })));
    else result.matched.push({ entry, matches });
  }
  input2.forEach((entry, index) => {
    (matchedInInput2.has(index) ? result.matched2 : result.unmatched2).push(entry);
  });
  return result;
}

/**
 * One item per match. Without a clash setting input 2 wins, except when enriching input 2 (input 1 wins there).
 */
function mergeMatched(matched: Matches['matched'], clash: ClashOptions, joinMode: string): Item[] {
  const merge = mergerFor(clash);
  const resolveClash = clash.resolveClash ?? (joinMode === 'enrichInput2' ? 'preferInput1' : 'preferLast');
  return matched.map(({ entry, matches }) => {
    if (resolveClash === 'addSuffix') return combined([...withSuffix([entry], '1'), ...withSuffix(matches, '2')], merge);
    if (resolveClash === 'preferInput1') return combined([...matches, entry], merge);
    return combined([entry, ...matches], merge);
  });
}

function withSource(items: Item[], source: string): Item[] {
  return items.map((item) => ({ ...item, json: { ...item.json, _source: source } }));
}

/** n8n's "fuzzy compare": loose about types (3 and '3', true and 'true' or 1, null and '' and []). */
function fuzzyEqual(a: unknown, b: unknown): boolean {
  if (a !== null && b !== null && typeof a === typeof b) return isDeepStrictEqual(a, b);
  const falsy = (value: unknown) => value === null || value === '' || (Array.isArray(value) && value.length === 0);
  if (falsy(a) && (falsy(b) || b === undefined)) return true;
  if (a === undefined && falsy(b)) return true;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ]) {
    if (typeof x === 'number' && typeof y === 'string') return String(x) === y;
    if (typeof x === 'object' && x !== null && typeof y === 'string') return parsesTo(y, x);
    if (typeof x === 'boolean' && typeof y === 'string') {
      const text = y.toLowerCase();
      if (text === String(x) || y === (x ? '1' : '0')) return true;
    }
    if (typeof x === 'boolean' && typeof y === 'number' && y === (x ? 1 : 0)) return true;
  }
  return isDeepStrictEqual(a, b);
}

function parsesTo(text: string, value: unknown): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(text), value);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------- v1

function mergeV1(ctx: NodeContext, inputs: Inputs): Item[] {
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

// ---------------------------------------------------------------------------------------------------- merging

type Merger = (...objects: JsonObject[]) => JsonObject;

/** One item from several: json and binary merged in order (later wins), pairings concatenated. */
function combined(entries: Item[], merge: Merger): Item {
  const item: Item = { json: merge(...entries.map((entry) => entry.json)), pairedItem: entries.flatMap(pairsOf) };
  const binary = merge(...entries.map((entry) => (entry.binary ?? {}) as JsonObject));
  if (Object.keys(binary).length) item.binary = binary as Item['binary'];
  return item;
}

/**
 * lodash `merge` (deep: nested objects merged, arrays merged index by index, undefined never overwrites) or
 * `assign` (shallow); with `overrideEmpty`, null, '' and undefined do not replace a value already there.
 */
function mergerFor(clash: ClashOptions): Merger {
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

function withSuffix(items: Item[], suffix: string): Item[] {
  return items.map((item) => ({
    ...item,
    json: Object.fromEntries(Object.entries(item.json).map(([key, value]) => [`${key}_${suffix}`, value])),
  }));
}

// ---------------------------------------------------------------------------------------------------- helpers

function pairsOf(item: Item): PairedItem[] {
  const paired = item.pairedItem;
  if (paired === undefined) return [];
  if (typeof paired === 'number') return [{ item: paired }];
  return Array.isArray(paired) ? paired : [paired];
}

function clashOptions(ctx: NodeContext): ClashOptions {
  const values = ctx.getParam<unknown>('options.clashHandling.values', 0, {});
  return values !== null && typeof values === 'object' ? (values as ClashOptions) : {};
}

function param(ctx: NodeContext, path: string, fallback: string): string {
  return String(ctx.getParam<unknown>(path, 0, fallback));
}

/** A field by name; with dot notation, lodash `get` semantics (a key that exists as written wins over the path). */
function readField(json: JsonObject, field: string, disableDotNotation: boolean): unknown {
  return disableDotNotation ? ownValue(json, field) : readPath(json, field);
}
