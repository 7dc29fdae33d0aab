import { DateTime } from 'luxon';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import { parseJavaScriptDate } from './date-time-parse.ts';

const UNIT_MS: Record<string, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * Wait: pauses the execution. The node only says until when; the engine sleeps for short waits and, for long
 * ones, saves the execution as "waiting" so it resumes (on any instance) after a restart. When the execution
 * resumes, the engine passes the node's input on without running it again.
 */
export const waitNode: NodeType = {
  type: 'n8n-nodes-base.wait',
  async execute(ctx) {
    const resume = ctx.getParam<string>('resume', 0, 'timeInterval');
    if (resume === 'timeInterval') {
      const rawAmount = ctx.getParam<unknown>('amount', 0, 1);
      const amount = Number(rawAmount);
      const unit = ctx.getParam<string>('unit', 0, 'hours');
      const factor = UNIT_MS[unit];
      if (!factor) throw new NodeOperationError(`Unknown wait unit "${unit}": use seconds, minutes, hours or days`);
      if (!Number.isFinite(amount) || amount < 0)
        throw new NodeOperationError(`The wait amount must be a number of ${unit} ≥ 0, got "${rawAmount}"`);
      const waitTill = new Date(ctx.now().getTime() + amount * factor);
      // Past JavaScript's last date (year 275760) there is no time to wait until.
      if (Number.isNaN(waitTill.getTime())) throw new NodeOperationError(`The wait of ${rawAmount} ${unit} is too long`);
      return { waitTill };
    }
    if (resume === 'specificTime') {
      const value = ctx.getParam<string>('dateTime', 0, '');
      const till = waitUntil(value, ctx.timezone);
      if (Number.isNaN(till.getTime())) throw new NodeOperationError(`Cannot parse date "${value}": give an ISO 8601 date-time`);
      return { waitTill: till };
    }
    throw new NodeOperationError(`Resuming on "${resume}" is not supported by this server`, {
      description: 'Use "After Time Interval" or "At Specified Time".',
    });
  },
};

/**
 * The instant a "specific time" names. As in n8n, a time without an offset (the editor's date picker saves
 * `2026-04-01T08:30:00`) is in the workflow's zone; ISO 8601, HTTP, RFC 2822 and SQL texts are read, then whatever
 * JavaScript's date parser reads (as UTC when the text names no zone).
 */
function waitUntil(value: unknown, timezone: string): Date {
  const text = String(value).trim();
  const options = { zone: timezone, setZone: true };
  for (const parse of [DateTime.fromISO, DateTime.fromHTTP, DateTime.fromRFC2822, DateTime.fromSQL]) {
    const parsed = parse(text, options);
    if (parsed.isValid) return parsed.toJSDate();
  }
  return new Date(parseJavaScriptDate(text) ?? Number.NaN);
}
