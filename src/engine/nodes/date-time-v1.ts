import { DateTime, type DurationLikeObject } from 'luxon';
import { writePath } from '../field-paths.ts';
import { type NodeContext, NodeOperationError } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

/** Moment.js format tokens (what v1 of the node takes) and Luxon's for them, longest first. */
const MOMENT_TOKENS: [string, string][] = [
  ['YYYY', 'yyyy'],
  ['YY', 'yy'],
  ['MMMM', 'LLLL'],
  ['MMM', 'LLL'],
  ['MM', 'LL'],
  ['M', 'L'],
  ['DDDD', 'ooo'],
  ['DD', 'dd'],
  ['Do', 'd'],
  ['D', 'd'],
  ['dddd', 'cccc'],
  ['ddd', 'ccc'],
  ['HH', 'HH'],
  ['H', 'H'],
  ['hh', 'hh'],
  ['h', 'h'],
  ['mm', 'mm'],
  ['m', 'm'],
  ['ss', 'ss'],
  ['s', 's'],
  ['SSS', 'SSS'],
  ['A', 'a'],
  ['a', 'a'],
  ['ZZ', 'ZZZ'],
  ['Z', 'ZZ'],
  ['X', 'X'],
  ['x', 'x'],
];

/** A moment format as Luxon's: tokens translated, `[text]` kept as literal text. */
export function momentToLuxon(format: string): string {
  let out = '';
  for (let i = 0; i < format.length; ) {
    if (format[i] === '[') {
      const end = format.indexOf(']', i);
      const literal = end === -1 ? format.slice(i + 1) : format.slice(i + 1, end);
      out += `'${literal.replace(/'/g, "''")}'`;
      i = end === -1 ? format.length : end + 1;
      continue;
    }
    const token = MOMENT_TOKENS.find(([moment]) => format.startsWith(moment, i));
    if (token) {
      out += token[1];
      i += token[0].length;
    } else {
      const char = format[i]!;
      out += /[a-zA-Z]/.test(char) ? `'${char}'` : char;
      i++;
    }
  }
  return out;
}

function parse(value: unknown, fromFormat: string, zone: string, itemIndex: number): DateTime {
  const text = String(value ?? '');
  const date = fromFormat
    ? DateTime.fromFormat(text, momentToLuxon(fromFormat), { zone })
    : value instanceof Date
      ? DateTime.fromJSDate(value, { zone })
      : ([DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromHTTP, DateTime.fromSQL]
          .map((read) => read(text, { zone }))
          .find((d) => d.isValid) ?? DateTime.fromJSDate(new Date(text), { zone }));
  if (!date.isValid)
    throw new NodeOperationError('The date input format could not be recognized. Please set the "From Format" field', { itemIndex });
  return date;
}

const UNITS: Record<string, keyof DurationLikeObject> = {
  quarters: 'quarters',
  years: 'years',
  months: 'months',
  weeks: 'weeks',
  days: 'days',
  hours: 'hours',
  minutes: 'minutes',
  seconds: 'seconds',
  milliseconds: 'milliseconds',
};

/**
 * "Date & Time" v1: `format` rewrites a date field in a moment-style format (and timezone), `calculate` adds or
 * subtracts a duration and writes the ISO date; both into `dataPropertyName` (a dot path) of the item's copy.
 */
export function runDateTimeV1(ctx: NodeContext): Item[][] {
  return [
    ctx.items.map((input, itemIndex) => {
      const action = ctx.getParam<string>('action', itemIndex, 'format');
      const options = ctx.getParam<JsonObject>('options', itemIndex, {});
      const zone = String(options.fromTimezone || ctx.timezone);
      const date = parse(ctx.getParam('value', itemIndex, ''), String(options.fromFormat ?? ''), zone, itemIndex);
      let value: string;
      if (action === 'calculate') {
        const unit = UNITS[ctx.getParam<string>('timeUnit', itemIndex, 'days')];
        if (!unit) throw new NodeOperationError(`Unknown time unit "${ctx.getParam('timeUnit', itemIndex, '')}"`, { itemIndex });
        const amount = Number(ctx.getParam('duration', itemIndex, 0));
        const shift = { [unit]: ctx.getParam<string>('operation', itemIndex, 'add') === 'subtract' ? -amount : amount };
        value = date.plus(shift).toUTC().toISO()!;
      } else if (action === 'format') {
        const format = ctx.getParam<string>('toFormat', itemIndex, 'MM/DD/YYYY');
        value = date.setZone(String(options.toTimezone || ctx.timezone)).toFormat(momentToLuxon(format));
      } else {
        throw new NodeOperationError(`The Date & Time v1 action "${action}" is not supported`, { itemIndex });
      }
      const json = structuredClone(input.json);
      writePath(json, ctx.getParam<string>('dataPropertyName', itemIndex, 'data'), value);
      return { json, ...(input.binary ? { binary: input.binary } : {}), pairedItem: { item: itemIndex } };
    }),
  ];
}
