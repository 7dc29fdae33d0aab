import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.ts';
import { dateTimeNode } from './date-time.ts';
import { runNode, type TestContextOptions } from './test-support.ts';

const now = new Date('2024-03-10T15:45:30.123Z');

async function run(parameters: JsonObject, options: TestContextOptions = {}) {
  const { result } = await runNode(dateTimeNode, { node: { typeVersion: 2 }, now, items: [{ json: { id: 1 } }], parameters, ...options });
  return result;
}

/** The value of `field` on the single output item. */
async function fieldValue(field: string, parameters: JsonObject, options: TestContextOptions = {}) {
  const result = await run(parameters, options);
  return (result as { json: JsonObject }[][])[0]?.[0]?.json[field];
}

describe('dateTime v2: getCurrentDate', () => {
  it('outputs only the current date by default, as an ISO string in the workflow timezone', async () => {
    expect(await run({ operation: 'getCurrentDate' })).toEqual([
      [{ json: { currentDate: '2024-03-10T15:45:30.123Z' }, pairedItem: { item: 0 } }],
    ]);
    expect(await fieldValue('currentDate', {}, { timezone: 'America/New_York' })).toBe('2024-03-10T11:45:30.123-04:00');
  });

  it('keeps the input fields with includeInputFields', async () => {
    expect(await run({ operation: 'getCurrentDate', outputFieldName: 'now', options: { includeInputFields: true } })).toEqual([
      [{ json: { id: 1, now: '2024-03-10T15:45:30.123Z' }, pairedItem: { item: 0 } }],
    ]);
  });

  it('truncates to midnight without includeTime and honours options.timezone', async () => {
    expect(await fieldValue('currentDate', { operation: 'getCurrentDate', includeTime: false })).toBe('2024-03-10T00:00:00.000Z');
    expect(await fieldValue('currentDate', { operation: 'getCurrentDate', options: { timezone: 'Europe/Berlin' } })).toBe(
      '2024-03-10T16:45:30.123+01:00',
    );
    await expect(run({ operation: 'getCurrentDate', options: { timezone: 'Mars/Olympus' } })).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: 'The timezone Mars/Olympus is not valid. Please check the timezone.',
      itemIndex: 0,
    });
  });
});

describe('dateTime v2: add and subtract', () => {
  it('adds and subtracts time units', async () => {
    const base = { magnitude: '2024-01-31T10:00:00Z', timeUnit: 'months', duration: 1 };
    expect(await fieldValue('newDate', { operation: 'addToDate', ...base })).toBe('2024-02-29T10:00:00.000Z');
    expect(await fieldValue('newDate', { operation: 'subtractFromDate', ...base, timeUnit: 'days', duration: 2 })).toBe(
      '2024-01-29T10:00:00.000Z',
    );
    expect(await fieldValue('later', { operation: 'addToDate', magnitude: '2024-01-31T10:00:00Z', outputFieldName: 'later' })).toBe(
      '2024-01-31T10:00:00.000Z',
    );
  });

  it('reads Unix timestamps in seconds or milliseconds, and plain dates in the workflow timezone', async () => {
    for (const magnitude of [1700000000, '1700000000', 1700000000000]) {
      expect(await fieldValue('newDate', { operation: 'addToDate', magnitude, timeUnit: 'hours', duration: 1 })).toBe(
        '2023-11-14T23:13:20.000Z',
      );
    }
    expect(
      await fieldValue(
        'newDate',
        { operation: 'addToDate', magnitude: '2024-01-15', timeUnit: 'days', duration: 1 },
        { timezone: 'Europe/Berlin' },
      ),
    ).toBe('2024-01-16T00:00:00.000+01:00');
  });

  it('rejects dates it cannot read, naming the item', async () => {
    await expect(run({ operation: 'addToDate', magnitude: 'not a date' })).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: 'Invalid date format',
      itemIndex: 0,
    });
    await expect(run({ operation: 'addToDate', magnitude: ' ' })).rejects.toThrow('Empty date string');
    await expect(run({ operation: 'addToDate', magnitude: { a: 1 } })).rejects.toThrow('Invalid date type');
  });
});

describe('dateTime v2: formatDate', () => {
  const date = '2024-04-09T23:30:00-05:00';

  it('formats in UTC unless told to use the workflow timezone', async () => {
    expect(await run({ operation: 'formatDate', date })).toEqual([[{ json: { formattedDate: '04/10/2024' }, pairedItem: { item: 0 } }]]);
    expect(
      await fieldValue('formattedDate', { operation: 'formatDate', date, options: { timezone: true } }, { timezone: 'America/Chicago' }),
    ).toBe('04/09/2024');
  });

  it('supports custom Luxon formats, Unix timestamps and a source format', async () => {
    expect(await fieldValue('formattedDate', { operation: 'formatDate', date, format: 'custom', customFormat: 'yyyy-MM-dd HH:mm' })).toBe(
      '2024-04-10 04:30',
    );
    expect(await fieldValue('formattedDate', { operation: 'formatDate', date, format: 'X' })).toBe('1712723400');
    expect(
      await fieldValue('formattedDate', {
        operation: 'formatDate',
        date: '20240409',
        format: 'yyyy-MM-dd',
        options: { fromFormat: 'yyyyMMdd' },
      }),
    ).toBe('2024-04-09');
    await expect(run({ operation: 'formatDate', date: '2024-13-45', options: { fromFormat: 'yyyy-MM-dd' } })).rejects.toThrow(
      'you specified 13 (of type number) as a month, which is invalid',
    );
  });

  it('passes a null date through', async () => {
    expect(await fieldValue('formattedDate', { operation: 'formatDate', date: null })).toBeNull();
  });
});

describe('dateTime v2: extract, difference, round', () => {
  const date = '2024-03-10T15:45:30Z';

  it('extracts a part of the date in the workflow timezone', async () => {
    expect(await run({ operation: 'extractDate', date })).toEqual([[{ json: { datePart: 3 }, pairedItem: { item: 0 } }]]);
    const parts: [string, number][] = [
      ['year', 2024],
      ['week', 10],
      ['day', 10],
      ['hour', 15],
      ['minute', 45],
      ['second', 30],
    ];
    for (const [part, expected] of parts) expect(await fieldValue('datePart', { operation: 'extractDate', date, part })).toBe(expected);
    expect(await fieldValue('datePart', { operation: 'extractDate', date, part: 'hour' }, { timezone: 'America/New_York' })).toBe(11);
  });

  it('measures the time between two dates in the chosen units', async () => {
    const dates = { operation: 'getTimeBetweenDates', startDate: '2024-01-01T00:00:00Z', endDate: '2024-03-15T12:00:00Z' };
    expect(await fieldValue('timeDifference', dates)).toEqual({ days: 74.5 });
    expect(await fieldValue('timeDifference', { ...dates, units: ['month', 'day', 'hour'] })).toEqual({ months: 2, days: 14, hours: 12 });
    expect(await fieldValue('timeDifference', { ...dates, units: ['month', 'day'], options: { isoString: true } })).toBe('P2M14.5D');
  });

  it('rounds down to a unit or up to the end of the month', async () => {
    expect(await fieldValue('roundedDate', { operation: 'roundDate', date })).toBe('2024-03-01T00:00:00.000Z');
    expect(await fieldValue('roundedDate', { operation: 'roundDate', date, toNearest: 'hour' })).toBe('2024-03-10T15:00:00.000Z');
    expect(await fieldValue('roundedDate', { operation: 'roundDate', date, toNearest: 'week' })).toBe('2024-03-04T00:00:00.000Z');
    expect(await fieldValue('roundedDate', { operation: 'roundDate', date, mode: 'roundUp', to: 'month' })).toBe(
      '2024-04-01T00:00:00.000Z',
    );
  });
});

describe('dateTime: items and versions', () => {
  it('makes one output item per input item', async () => {
    const result = await run(
      { operation: 'extractDate', date: '2024-03-10T15:45:30Z', part: 'day', options: { includeInputFields: true } },
      { items: [{ json: { id: 1 } }, { json: { id: 2 } }] },
    );
    expect(result).toEqual([
      [
        { json: { id: 1, datePart: 10 }, pairedItem: { item: 0 } },
        { json: { id: 2, datePart: 10 }, pairedItem: { item: 1 } },
      ],
    ]);
  });

  it('rejects version 1 and unknown operations', async () => {
    await expect(run({}, { node: { typeVersion: 1 } })).rejects.toThrow(
      'Date & Time version 1 is not supported; use version 2 of the node',
    );
    await expect(run({ operation: 'travel' })).rejects.toThrow('The operation "travel" is not supported');
  });
});
