import { DateTime, type DateTimeUnit, type DurationLikeObject, type DurationUnit } from 'luxon';
import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item } from '../types.ts';
import { parseNodeDate } from './date-time-parse.ts';
import { runDateTimeV1 } from './date-time-v1.ts';

type Operation = (ctx: NodeContext, itemIndex: number) => { field: string; value: unknown };

/**
 * "Date & Time" v2 (v1, its moment-format predecessor, in date-time-v1.ts). Each item gets one output field (dates as ISO strings, Luxon's `toString()` like n8n); the
 * input fields are only kept with `options.includeInputFields`, n8n's default being off.
 */
export const dateTimeNode: NodeType = {
  type: 'n8n-nodes-base.dateTime',
  async execute(ctx) {
    if (ctx.node.typeVersion < 2) return runDateTimeV1(ctx);
    const operation = ctx.getParam<string>('operation', 0, 'getCurrentDate');
    const run = operations[operation];
    if (!run) throw new NodeOperationError(`The operation "${operation}" is not supported`);
    const includeInputFields = ctx.getParam<unknown>('options.includeInputFields', 0, false) === true;

    return [
      ctx.items.map((input, itemIndex) => {
        const { field, value } = withItemIndex(itemIndex, () => run(ctx, itemIndex));
        const item: Item = { json: { ...(includeInputFields ? input.json : {}), [field]: value }, pairedItem: { item: itemIndex } };
        if (includeInputFields && input.binary) item.binary = input.binary;
        return item;
      }),
    ];
  },
};

const operations: Record<string, Operation> = {
  getCurrentDate(ctx, i) {
    const timezone = String(ctx.getParam('options.timezone', i, '') || ctx.timezone);
    const now = DateTime.fromJSDate(ctx.now()).setZone(timezone);
    if (now.invalidReason === 'unsupported zone') {
      throw new NodeOperationError(`The timezone ${timezone} is not valid. Please check the timezone.`);
    }
    const includeTime = ctx.getParam<unknown>('includeTime', i, true) !== false;
    return { field: outputField(ctx, i, 'currentDate'), value: (includeTime ? now : now.startOf('day')).toString() };
  },
  addToDate: (ctx, i) => shiftDate(ctx, i, 1),
  subtractFromDate: (ctx, i) => shiftDate(ctx, i, -1),
  formatDate(ctx, i) {
    const field = outputField(ctx, i, 'formattedDate');
    const date = ctx.getParam('date', i, '');
    if (date === null || date === undefined) return { field, value: date };
    // "Use Workflow Timezone" off (n8n's default): the date is shown in UTC (or the `+hh` zone it names).
    const useWorkflowTimezone = Boolean(ctx.getParam<unknown>('options.timezone', i, false));
    const fromFormat = ctx.getParam<string | undefined>('options.fromFormat', i, undefined);
    const parsed = parseDate(ctx, date, { timezone: useWorkflowTimezone ? ctx.timezone : undefined, fromFormat });
    const format = String(ctx.getParam('format', i, 'MM/dd/yyyy'));
    return { field, value: parsed.toFormat(format === 'custom' ? String(ctx.getParam('customFormat', i, '')) : format) };
  },
  roundDate(ctx, i) {
    const date = parseDate(ctx, ctx.getParam('date', i, ''));
    const field = outputField(ctx, i, 'roundedDate');
    if (ctx.getParam<unknown>('mode', i, 'roundDown') === 'roundUp') {
      // n8n's only "round up" target is "End of Month", which it computes as the start of the next one.
      const unit = String(ctx.getParam('to', i, 'month')) as DateTimeUnit;
      return {
        field,
        value: date
          .plus({ [unit]: 1 })
          .startOf(unit)
          .toString(),
      };
    }
    return { field, value: date.startOf(String(ctx.getParam('toNearest', i, 'month')) as DateTimeUnit).toString() };
  },
  getTimeBetweenDates(ctx, i) {
    const start = parseDate(ctx, ctx.getParam('startDate', i, ''));
    const end = parseDate(ctx, ctx.getParam('endDate', i, ''));
    const units = ctx.getParam<DurationUnit[]>('units', i, ['day']);
    const duration = end.diff(start, units);
    const value = ctx.getParam<unknown>('options.isoString', i, false) === true ? duration.toString() : duration.toObject();
    return { field: outputField(ctx, i, 'timeDifference'), value };
  },
  extractDate(ctx, i) {
    const date = parseDate(ctx, ctx.getParam('date', i, ''));
    const part = String(ctx.getParam('part', i, 'month'));
    const value = part === 'week' ? date.weekNumber : date.get(part as keyof DateTime);
    return { field: outputField(ctx, i, 'datePart'), value };
  },
};

function shiftDate(ctx: NodeContext, i: number, sign: 1 | -1): { field: string; value: string } {
  const date = parseDate(ctx, ctx.getParam('magnitude', i, ''));
  const unit = String(ctx.getParam('timeUnit', i, 'days'));
  const amount: DurationLikeObject = { [unit]: Number(ctx.getParam('duration', i, 0)) };
  return { field: outputField(ctx, i, 'newDate'), value: (sign > 0 ? date.plus(amount) : date.minus(amount)).toString() };
}

function outputField(ctx: NodeContext, i: number, fallback: string): string {
  return String(ctx.getParam('outputFieldName', i, fallback));
}

/** A date parameter read as n8n does (date-time-parse.ts), shown in the workflow's zone unless told otherwise. */
function parseDate(ctx: NodeContext, value: unknown, options: { timezone?: string; fromFormat?: string } = { timezone: ctx.timezone }) {
  return parseNodeDate(value, { ...options, workflowTimezone: ctx.timezone });
}

/** Errors name the item they happened on, as n8n's do. */
function withItemIndex<T>(itemIndex: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof NodeOperationError) {
      error.itemIndex ??= itemIndex;
      throw error;
    }
    throw new NodeOperationError((error as Error).message, { itemIndex });
  }
}
