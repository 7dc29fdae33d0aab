import { describe, expect, it } from 'vitest';
import { NodeOperationError, type NodeResult } from '../node-types.ts';
import type { JsonObject } from '../types.ts';
import { runNode } from './test-support.ts';
import { waitNode } from './wait.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');

async function waitTill(parameters: JsonObject): Promise<string> {
  const { result } = await runNode(waitNode, { parameters, now: NOW, items: [{ json: { a: 1 } }] });
  return tillOf(result);
}

function tillOf(result: NodeResult): string {
  if (Array.isArray(result)) throw new Error('expected a wait request, got output');
  return result.waitTill.toISOString();
}

async function failure(parameters: JsonObject): Promise<NodeOperationError> {
  const error = await runNode(waitNode, { parameters, now: NOW }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeOperationError);
  return error as NodeOperationError;
}

describe('wait', () => {
  it('asks to wait until now + amount in each unit', async () => {
    expect(await waitTill({ resume: 'timeInterval', amount: 30, unit: 'seconds' })).toBe('2026-03-10T12:00:30.000Z');
    expect(await waitTill({ resume: 'timeInterval', amount: 5, unit: 'minutes' })).toBe('2026-03-10T12:05:00.000Z');
    expect(await waitTill({ resume: 'timeInterval', amount: 2, unit: 'hours' })).toBe('2026-03-10T14:00:00.000Z');
    expect(await waitTill({ resume: 'timeInterval', amount: 3, unit: 'days' })).toBe('2026-03-13T12:00:00.000Z');
  });

  it('accepts fractions, zero and numeric strings', async () => {
    expect(await waitTill({ amount: 0.5, unit: 'seconds' })).toBe('2026-03-10T12:00:00.500Z');
    expect(await waitTill({ amount: 0, unit: 'minutes' })).toBe('2026-03-10T12:00:00.000Z');
    expect(await waitTill({ amount: '90', unit: 'seconds' })).toBe('2026-03-10T12:01:30.000Z');
  });

  it('defaults to a time interval of 1 hour', async () => {
    expect(await waitTill({})).toBe('2026-03-10T13:00:00.000Z');
    expect(await waitTill({ amount: 4 })).toBe('2026-03-10T16:00:00.000Z');
    expect(await waitTill({ unit: 'minutes' })).toBe('2026-03-10T12:01:00.000Z');
  });

  it('rejects an unknown unit', async () => {
    const error = await failure({ resume: 'timeInterval', amount: 1, unit: 'weeks' });
    expect(error.message).toBe('Unknown wait unit "weeks": use seconds, minutes, hours or days');
  });

  it('rejects a negative or non-numeric amount, naming what it got', async () => {
    expect((await failure({ amount: -5, unit: 'minutes' })).message).toBe('The wait amount must be a number of minutes ≥ 0, got "-5"');
    expect((await failure({ amount: 'soon', unit: 'hours' })).message).toBe('The wait amount must be a number of hours ≥ 0, got "soon"');
  });

  it('rejects a wait that ends past the last date JavaScript can hold', async () => {
    expect((await failure({ amount: 1e300, unit: 'days' })).message).toBe('The wait of 1e+300 days is too long');
  });

  it('waits until a specific time given as an ISO date-time', async () => {
    expect(await waitTill({ resume: 'specificTime', dateTime: '2026-04-01T08:30:00.000Z' })).toBe('2026-04-01T08:30:00.000Z');
    expect(await waitTill({ resume: 'specificTime', dateTime: '2026-04-01T10:30:00+02:00' })).toBe('2026-04-01T08:30:00.000Z');
    // A time in the past is returned as is: the engine resumes at once.
    expect(await waitTill({ resume: 'specificTime', dateTime: '2020-01-01T00:00:00Z' })).toBe('2020-01-01T00:00:00.000Z');
  });

  it("reads a specific time without an offset in the workflow's zone, as n8n does", async () => {
    const at = async (dateTime: string, timezone: string) => {
      const { result } = await runNode(waitNode, { parameters: { resume: 'specificTime', dateTime }, now: NOW, timezone });
      return tillOf(result);
    };
    // As n8n's editor saves the date picker's value.
    expect(await at('2026-04-01T08:30:00', 'Europe/Berlin')).toBe('2026-04-01T06:30:00.000Z');
    expect(await at('2026-04-01T08:30:00', 'America/New_York')).toBe('2026-04-01T12:30:00.000Z');
    expect(await at('2026-04-01 08:30:00', 'Asia/Tokyo')).toBe('2026-03-31T23:30:00.000Z');
    expect(await at('2026-04-01T08:30:00Z', 'Asia/Tokyo')).toBe('2026-04-01T08:30:00.000Z');
    expect(await at('April 1, 2026 08:30', 'Asia/Tokyo')).toBe('2026-04-01T08:30:00.000Z');
  });

  it('rejects a specific time that is missing or not a date', async () => {
    expect((await failure({ resume: 'specificTime', dateTime: 'next tuesday' })).message).toBe(
      'Cannot parse date "next tuesday": give an ISO 8601 date-time',
    );
    expect((await failure({ resume: 'specificTime' })).message).toBe('Cannot parse date "": give an ISO 8601 date-time');
  });

  it('resolves expressions in its parameters', async () => {
    const { result } = await runNode(waitNode, {
      parameters: { resume: 'timeInterval', amount: '={{ $json.delay }}', unit: 'seconds' },
      now: NOW,
      evaluate: (expression) => (expression === '={{ $json.delay }}' ? 45 : undefined),
    });
    expect(tillOf(result)).toBe('2026-03-10T12:00:45.000Z');
  });

  it('rejects resume modes this server does not support', async () => {
    for (const resume of ['webhook', 'form']) {
      const error = await failure({ resume });
      expect(error.message).toBe(`Resuming on "${resume}" is not supported by this server`);
      expect(error.description).toBe('Use "After Time Interval" or "At Specified Time".');
    }
  });
});
