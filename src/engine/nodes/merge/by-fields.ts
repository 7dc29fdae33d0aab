import { isDeepStrictEqual } from 'node:util';
import { readField } from '../../field-paths.ts';
import { type NodeContext, NodeOperationError } from '../../node-types.ts';
import type { Item } from '../../types.ts';
import { type ClashOptions, clashOptions, combined, type FieldPair, mergerFor, type NoOutput, param, withSuffix } from './merging.ts';

/** Merge v2 "Merge By Fields" and v3 "Combine by Matching Fields": field paths are read as lodash `get` reads them. */

interface Matches {
  /** Input 1 items with the input 2 items they matched (one pair per entry when merging both sides). */
  matched: { entry: Item; matches: Item[] }[];
  /** Input 2 items that matched something, in input 2 order. */
  matched2: Item[];
  unmatched1: Item[];
  unmatched2: Item[];
}

export function combineByFields(ctx: NodeContext, input1: Item[], input2: Item[], configuredPairs: FieldPair[]): Item[] | NoOutput {
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
