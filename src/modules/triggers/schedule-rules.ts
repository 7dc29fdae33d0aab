import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { CRON_TYPE, EMAIL_IMAP_TRIGGER_TYPE, INTERVAL_TYPE, RSS_FEED_TRIGGER_TYPE } from '../../engine/triggers.ts';
import type { JsonObject } from '../../engine/types.ts';
import type { WorkflowNode } from '../../workflow-model/index.ts';

/** One entry of a Schedule Trigger's `rule.interval` list (n8n 1.x parameter names). */
export interface ScheduleRule {
  field?: 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'cronExpression';
  secondsInterval?: number;
  minutesInterval?: number;
  hoursInterval?: number;
  daysInterval?: number;
  weeksInterval?: number;
  monthsInterval?: number;
  triggerAtHour?: number;
  triggerAtMinute?: number;
  triggerAtDay?: number[];
  triggerAtDayOfMonth?: number;
  expression?: string;
}

export class ScheduleRuleError extends Error {}

type CronItem = {
  mode?: string;
  hour?: number;
  minute?: number;
  weekday?: string | number;
  dayOfMonth?: number;
  value?: number;
  unit?: string;
  cronExpression?: string;
};

/** A legacy Cron node's trigger time as a cron expression (its modes, with the node's defaults). */
function cronItemRule(item: CronItem): ScheduleRule {
  const minute = item.minute ?? 0;
  const hour = item.hour ?? 14;
  const expression = (() => {
    switch (item.mode ?? 'everyDay') {
      case 'everyMinute':
        return '* * * * *';
      case 'everyHour':
        return `${minute} * * * *`;
      case 'everyDay':
        return `${minute} ${hour} * * *`;
      case 'everyWeek':
        return `${minute} ${hour} * * ${item.weekday ?? 1}`;
      case 'everyMonth':
        return `${minute} ${hour} ${item.dayOfMonth ?? 1} * *`;
      case 'everyX':
        return item.unit === 'minutes' ? `*/${positive(item.value, 2)} * * * *` : `0 */${positive(item.value, 2)} * * *`;
      case 'custom':
        return (item.cronExpression ?? '').trim();
      default:
        throw new ScheduleRuleError(`Unknown Cron mode "${String(item.mode)}"`);
    }
  })();
  return { field: 'cronExpression', expression };
}

export function scheduleRulesOf(node: WorkflowNode): ScheduleRule[] {
  if (node.type === CRON_TYPE) {
    // A Cron node without trigger times never fires, as in n8n.
    const items = (node.parameters.triggerTimes as { item?: CronItem[] } | undefined)?.item;
    return Array.isArray(items) ? items.map(cronItemRule) : [];
  }
  // n8n keeps an IMAP connection open and hears new mail at once; here the mailbox is polled every 10 seconds.
  if (node.type === EMAIL_IMAP_TRIGGER_TYPE) return [{ field: 'seconds', secondsInterval: 10 }];
  if (node.type === RSS_FEED_TRIGGER_TYPE) {
    // n8n's polling triggers take Cron's items as `pollTimes`, and poll every minute by default.
    const items = (node.parameters.pollTimes as { item?: CronItem[] } | undefined)?.item;
    return Array.isArray(items) && items.length ? items.map(cronItemRule) : [cronItemRule({ mode: 'everyMinute' })];
  }
  if (node.type === INTERVAL_TYPE) {
    // Interval's every-N, on the clock (n8n counts from activation instead).
    const unit = String(node.parameters.unit ?? 'seconds');
    const every = positive(node.parameters.interval as number | undefined, 1);
    if (unit === 'minutes') return [{ field: 'minutes', minutesInterval: every }];
    if (unit === 'hours') return [{ field: 'hours', hoursInterval: every }];
    return [{ field: 'seconds', secondsInterval: every }];
  }
  const rule = node.parameters.rule as { interval?: ScheduleRule[] } | undefined;
  const intervals = rule?.interval;
  return Array.isArray(intervals) && intervals.length > 0 ? intervals : [{ field: 'days' }];
}

/** The rule as a six-field cron expression (seconds first), the way n8n turns intervals into cron jobs. */
export function toCron(rule: ScheduleRule): string {
  const minute = rule.triggerAtMinute ?? 0;
  const hour = rule.triggerAtHour ?? 0;
  switch (rule.field ?? 'days') {
    case 'seconds':
      return `*/${positive(rule.secondsInterval, 30)} * * * * *`;
    case 'minutes':
      return `0 */${positive(rule.minutesInterval, 5)} * * * *`;
    case 'hours':
      return `0 ${minute} */${positive(rule.hoursInterval, 1)} * * *`;
    case 'days':
      return `0 ${minute} ${hour} */${positive(rule.daysInterval, 1)} * *`;
    case 'weeks': {
      const days = (rule.triggerAtDay?.length ? rule.triggerAtDay : [0]).join(',');
      return `0 ${minute} ${hour} * * ${days}`;
    }
    case 'months':
      return `0 ${minute} ${hour} ${rule.triggerAtDayOfMonth ?? 1} */${positive(rule.monthsInterval, 1)} *`;
    case 'cronExpression': {
      const expression = (rule.expression ?? '').trim();
      return expression.split(/\s+/).length === 5 ? `0 ${expression}` : expression;
    }
    default:
      throw new ScheduleRuleError(`Unknown schedule interval "${String(rule.field)}"`);
  }
}

/** The first time the rule fires strictly after `after`, in `timezone`. */
export function nextRunAt(rule: ScheduleRule, after: Date, timezone: string): Date {
  try {
    return CronExpressionParser.parse(toCron(rule), { currentDate: after, tz: timezone }).next().toDate();
  } catch (error) {
    if (error instanceof ScheduleRuleError) throw error;
    throw new ScheduleRuleError(`Invalid schedule rule (${toCron(rule)}): ${(error as Error).message}`);
  }
}

/** The item a Schedule Trigger emits for a tick, in n8n's shape. */
export function scheduleTickItem(at: Date, timezone: string): JsonObject {
  const t = DateTime.fromJSDate(at, { zone: timezone });
  return {
    timestamp: t.toISO(),
    'Readable date': t.toFormat("MMMM d'th' yyyy, h:mm:ss a").replace(/(\d+)th/, (_, d) => `${d}${ordinal(Number(d))}`),
    'Readable time': t.toFormat('h:mm:ss a'),
    'Day of week': t.toFormat('cccc'),
    Year: t.toFormat('yyyy'),
    Month: t.toFormat('MMMM'),
    'Day of month': t.toFormat('dd'),
    Hour: t.toFormat('HH'),
    Minute: t.toFormat('mm'),
    Second: t.toFormat('ss'),
    Timezone: `${timezone} (UTC${t.toFormat('ZZ')})`,
  };
}

function ordinal(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th';
}

function positive(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
