import { describe, expect, it } from 'vitest';
import type { Item } from '../types.ts';
import { summarizeNode } from './summarize.ts';
import { jsonOf, runNode } from './test-support.ts';

const rows: Item[] = [
  { json: { category: 'red', text: 'foo', char: 'a', value: 1, params: { interval: '1 day' } } },
  { json: { category: 'blue', text: 'spam', char: 'b', value: 2, params: { interval: '1 hour' } } },
  { json: { category: 'green', text: 'bar', char: 'c', value: 3 } },
  { json: { category: 'red', text: 'foo', char: 'a', value: 4 } },
  { json: { category: 'red', text: 'bar', char: 'a', value: 5, params: { interval: '1 minute' } } },
  { json: { category: 'blue', text: 'foo', char: 'a', value: 6 } },
];
const summarize = async (parameters: Record<string, unknown>, items = rows) =>
  jsonOf((await runNode(summarizeNode, { parameters, items })).result);
const CHAR_RULES = [
  { aggregation: 'append', field: 'char' },
  { field: 'char' },
  { aggregation: 'countUnique', field: 'char' },
  { aggregation: 'concatenate', field: 'char', separateBy: ', ' },
];

describe('Summarize', () => {
  it('splits by several fields, groups nested in the order they first appear, with n8n’s output names', async () => {
    expect(await summarize({ fieldsToSummarize: { values: CHAR_RULES }, fieldsToSplitBy: 'category, text' })).toEqual([
      { category: 'red', text: 'foo', appended_char: ['a', 'a'], count_char: 2, unique_count_char: 1, concatenated_char: 'a, a' },
      { category: 'red', text: 'bar', appended_char: ['a'], count_char: 1, unique_count_char: 1, concatenated_char: 'a' },
      { category: 'blue', text: 'spam', appended_char: ['b'], count_char: 1, unique_count_char: 1, concatenated_char: 'b' },
      { category: 'blue', text: 'foo', appended_char: ['a'], count_char: 1, unique_count_char: 1, concatenated_char: 'a' },
      { category: 'green', text: 'bar', appended_char: ['c'], count_char: 1, unique_count_char: 1, concatenated_char: 'c' },
    ]);
  });

  it('gives one nested item with outputFormat singleItem', async () => {
    const [nested] = await summarize({
      fieldsToSummarize: { values: [{ field: 'char' }] },
      fieldsToSplitBy: 'category, text',
      options: { outputFormat: 'singleItem' },
    });
    expect(nested).toEqual({
      red: { foo: { count_char: 2 }, bar: { count_char: 1 } },
      blue: { spam: { count_char: 1 }, foo: { count_char: 1 } },
      green: { bar: { count_char: 1 } },
    });
  });

  it('computes numbers per group, and reads dotted fields as paths unless told not to', async () => {
    const numbers = ['average', 'max', 'min', 'sum', 'append'].map((aggregation) => ({ aggregation, field: 'value' }));
    expect(await summarize({ fieldsToSummarize: { values: numbers }, fieldsToSplitBy: 'category' })).toEqual([
      { category: 'red', average_value: 10 / 3, max_value: 5, min_value: 1, sum_value: 10, appended_value: [1, 4, 5] },
      { category: 'blue', average_value: 4, max_value: 6, min_value: 2, sum_value: 8, appended_value: [2, 6] },
      { category: 'green', average_value: 3, max_value: 3, min_value: 3, sum_value: 3, appended_value: [3] },
    ]);
    const dotted = { fieldsToSummarize: { values: [{ aggregation: 'append', field: 'params.interval' }] } };
    expect(await summarize(dotted)).toEqual([{ appended_params_interval: ['1 day', '1 hour', '1 minute'] }]);
    expect(await summarize({ ...dotted, options: { disableDotNotation: true, continueIfFieldNotFound: true } })).toEqual([
      { appended_params_interval: [] },
    ]);
  });

  it('says which field no item has, unless told to go on', async () => {
    await expect(summarize({ fieldsToSummarize: { values: [{ field: 'missing' }] } })).rejects.toThrow(
      "The field 'missing' does not exist in any items",
    );
    expect(
      await summarize({
        fieldsToSummarize: { values: [{ field: 'missing', includeEmpty: true }] },
        options: { continueIfFieldNotFound: true },
      }),
    ).toEqual([{ count_missing: 6 }]);
  });
});
