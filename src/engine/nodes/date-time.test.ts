import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { connect, node, outputJson, run as runWorkflow, workflow } from '../engine-test-support.ts';
import type { JsonObject, WorkflowNode } from '../types.ts';
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

  it('reads Unix timestamps in seconds or milliseconds, and a date alone as midnight UTC shown in the workflow timezone', async () => {
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
    ).toBe('2024-01-16T01:00:00.000+01:00');
  });

  it('rejects dates it cannot read, naming the item', async () => {
    await expect(run({ operation: 'addToDate', magnitude: 'not a date' })).rejects.toMatchObject({
      name: 'NodeOperationError',
      message: 'Invalid date format',
      itemIndex: 0,
    });
    await expect(run({ operation: 'addToDate', magnitude: { a: 1 } })).rejects.toThrow('Invalid date type');
  });

  it('reads an empty date as timestamp 0, as n8n does (Number("") is 0)', async () => {
    for (const magnitude of ['', ' ']) {
      expect(await fieldValue('newDate', { operation: 'addToDate', magnitude, timeUnit: 'days', duration: 1 })).toBe(
        '1970-01-02T00:00:00.000Z',
      );
    }
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
    // A value out of range is not an error in n8n: Luxon's invalid DateTime prints as such.
    expect(await fieldValue('formattedDate', { operation: 'formatDate', date: '2024-13-45', options: { fromFormat: 'yyyy-MM-dd' } })).toBe(
      'Invalid DateTime',
    );
    await expect(run({ operation: 'formatDate', date: '2024/13', options: { fromFormat: 'yyyy-MM-dd' } })).rejects.toThrow(
      'Invalid date format',
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

  it('rejects unknown operations', async () => {
    await expect(run({ operation: 'travel' })).rejects.toThrow('The operation "travel" is not supported');
  });

  it('runs version 1: moment-style formats with timezones, and calculations, into a dot path of the item', async () => {
    const v1 = { node: { typeVersion: 1 }, timezone: 'Europe/Berlin', items: [{ json: { id: 1, when: '2026-03-05T22:30:00Z' } }] };
    expect(await run({ value: '2026-03-05T22:30:00Z', dataPropertyName: 'out.day', toFormat: 'dddd, MMMM D YYYY [at] HH:mm' }, v1)).toEqual(
      [[{ json: { id: 1, when: '2026-03-05T22:30:00Z', out: { day: 'Thursday, March 5 2026 at 23:30' } }, pairedItem: { item: 0 } }]],
    );
    expect(
      await run(
        {
          value: '05/03/2026',
          dataPropertyName: 'iso',
          toFormat: 'YYYY-MM-DD',
          options: { fromFormat: 'DD/MM/YYYY', fromTimezone: 'UTC', toTimezone: 'UTC' },
        },
        v1,
      ),
    ).toEqual([[expect.objectContaining({ json: expect.objectContaining({ iso: '2026-03-05' }) })]]);
    expect(
      await run(
        { action: 'calculate', value: '2026-01-31T00:00:00Z', operation: 'add', duration: 1, timeUnit: 'months', dataPropertyName: 'next' },
        v1,
      ),
    ).toEqual([[expect.objectContaining({ json: expect.objectContaining({ next: '2026-02-28T00:00:00.000Z' }) })]]);
    await expect(run({ value: 'not a date' }, v1)).rejects.toThrow(
      'The date input format could not be recognized. Please set the "From Format" field',
    );
  });
});

/**
 * Whole workflows with Date & Time v2 nodes as n8n's editor saves them, with n8n 2.39's answers. Each node reads
 * `={{ $json.date }}` from the trigger's item, as workflows usually do.
 */
describe('dateTime v2 in a workflow: zones and date texts as n8n 2.39 reads them', () => {
  const dateNode = (name: string, parameters: JsonObject) =>
    node(name, 'dateTime', { options: {}, ...parameters }, { typeVersion: 2, id: `id-${name}` });

  async function outputs(nodes: WorkflowNode[], date: unknown, settings: JsonObject = {}, defaultTimezone = 'UTC') {
    const wf = workflow(
      [node('Start', 'manualTrigger'), ...nodes],
      connect(...nodes.map((n): [string, string] => ['Start', n.name])),
      settings,
    );
    const result = await runWorkflow(wf, { items: [{ json: { date } as JsonObject }], services: { defaultTimezone } });
    return Object.fromEntries(nodes.map((n) => [n.name, outputJson(result, n.name)[0]]));
  }

  const addDay = dateNode('Add', { operation: 'addToDate', magnitude: '={{ $json.date }}', timeUnit: 'days', duration: 1 });
  const subtractHour = dateNode('Subtract', {
    operation: 'subtractFromDate',
    magnitude: '={{ $json.date }}',
    timeUnit: 'hours',
    duration: 1,
  });
  const extractDay = dateNode('Extract', { operation: 'extractDate', date: '={{ $json.date }}', part: 'day' });
  const roundDay = dateNode('Round', { operation: 'roundDate', date: '={{ $json.date }}', mode: 'roundDown', toNearest: 'day' });
  const between = dateNode('Between', {
    operation: 'getTimeBetweenDates',
    startDate: '={{ $json.date }}',
    endDate: '2025-07-05T00:00:00Z',
    units: ['hour'],
  });
  const format = (name: string, customFormat: string, options: JsonObject = {}) =>
    dateNode(name, { operation: 'formatDate', date: '={{ $json.date }}', format: 'custom', customFormat, options });

  it('reads a date alone as midnight UTC and shows it in the workflow zone, in every operation', async () => {
    const nodes = [addDay, subtractHour, extractDay, roundDay, between, format('Format', 'yyyy-MM-dd HH:mm ZZ')];
    expect(await outputs(nodes, '2025-07-04', { timezone: 'America/New_York' })).toEqual({
      Add: { newDate: '2025-07-04T20:00:00.000-04:00' },
      Subtract: { newDate: '2025-07-03T19:00:00.000-04:00' },
      Extract: { datePart: 3 },
      Round: { roundedDate: '2025-07-03T00:00:00.000-04:00' },
      Between: { timeDifference: { hours: 24 } },
      Format: { formattedDate: '2025-07-04 00:00 +00:00' },
    });
  });

  it('uses GENERIC_TIMEZONE, by default America/New_York, when the workflow sets no zone', async () => {
    const defaultZone = loadConfig({}).timezone;
    expect(await outputs([addDay], '2025-07-04', {}, defaultZone)).toEqual({ Add: { newDate: '2025-07-04T20:00:00.000-04:00' } });
    expect(await outputs([addDay], '2025-07-04', { timezone: 'DEFAULT' }, 'Asia/Tokyo')).toEqual({
      Add: { newDate: '2025-07-05T09:00:00.000+09:00' },
    });
  });

  it('reads a date and time with a space instead of T, without an offset, as UTC', async () => {
    const nodes = [addDay, extractDay, format('Format', 'yyyy-MM-dd HH:mm ZZ')];
    expect(await outputs(nodes, '2024-03-10 15:30', { timezone: 'Europe/Berlin' })).toEqual({
      Add: { newDate: '2024-03-11T16:30:00.000+01:00' },
      Extract: { datePart: 10 },
      Format: { formattedDate: '2024-03-10 15:30 +00:00' },
    });
    expect(await outputs([addDay], '2024-03-10 15:30:45.5+02:00', { timezone: 'UTC' })).toEqual({
      Add: { newDate: '2024-03-11T13:30:45.500Z' },
    });
  });

  it('formats in UTC or the +hh zone the text names, and in the workflow zone with "Use Workflow Timezone"', async () => {
    const nodes = [
      format('Plain', 'yyyy-MM-dd HH:mm ZZ'),
      format('WorkflowZone', 'yyyy-MM-dd HH:mm ZZ', { timezone: true }),
      format('Off', 'HH:mm ZZ', { timezone: false }),
    ];
    const settings = { timezone: 'America/Los_Angeles' };
    // A positive offset: shown at its whole hours (n8n reads the two digits after the "+").
    expect(await outputs(nodes, '2024-04-09T23:30:00+05:30', settings)).toEqual({
      Plain: { formattedDate: '2024-04-09 23:00 +05:00' },
      WorkflowZone: { formattedDate: '2024-04-09 11:00 -07:00' },
      Off: { formattedDate: '23:00 +05:00' },
    });
    // A negative offset or Z: UTC.
    expect(await outputs(nodes, '2024-04-09T23:30:00-05:00', settings)).toEqual({
      Plain: { formattedDate: '2024-04-10 04:30 +00:00' },
      WorkflowZone: { formattedDate: '2024-04-09 21:30 -07:00' },
      Off: { formattedDate: '04:30 +00:00' },
    });
    // The default of the "format" option, with and without the workflow zone.
    const usDate = [dateNode('Us', { operation: 'formatDate', date: '={{ $json.date }}', format: 'MM/dd/yyyy' })];
    expect(await outputs(usDate, '2024-04-10T02:00:00Z', settings)).toEqual({ Us: { formattedDate: '04/10/2024' } });
  });

  it('reads a source format in the workflow zone, then shows it as the other options say', async () => {
    const nodes = [
      format('Utc', 'yyyy-MM-dd HH:mm ZZ', { fromFormat: 'dd.MM.yyyy HH:mm' }),
      format('Local', 'yyyy-MM-dd HH:mm ZZ', { fromFormat: 'dd.MM.yyyy HH:mm', timezone: true }),
    ];
    expect(await outputs(nodes, '10.03.2024 15:30', { timezone: 'Europe/Berlin' })).toEqual({
      Utc: { formattedDate: '2024-03-10 14:30 +00:00' },
      Local: { formattedDate: '2024-03-10 15:30 +01:00' },
    });
  });

  it('falls back to JavaScript date texts, read as UTC when they name no zone', async () => {
    const nodes = [addDay];
    const settings = { timezone: 'UTC' };
    expect(await outputs(nodes, 'March 10, 2024 15:30', settings)).toEqual({ Add: { newDate: '2024-03-11T15:30:00.000Z' } });
    expect(await outputs(nodes, 'Sun, 10 Mar 2024 15:30:00 +0100', settings)).toEqual({ Add: { newDate: '2024-03-11T14:30:00.000Z' } });
    expect(await outputs(nodes, 'Sun Mar 10 2024 15:30:00 GMT-0500 (Eastern Standard Time)', settings)).toEqual({
      Add: { newDate: '2024-03-11T20:30:00.000Z' },
    });
    const failed = await runWorkflow(workflow([node('Start', 'manualTrigger'), addDay], connect(['Start', 'Add']), settings), {
      items: [{ json: { date: 'next tuesday' } }],
    });
    expect(failed.data.resultData.error?.message).toBe('Invalid date format');
  });
});
