import type { SqlPool } from '../../db/client.ts';
import { ValidationError } from '../../lib/errors.ts';
import { type PeriodFigures, insightsRepository as repo } from './insights.repository.ts';

export type InsightsService = ReturnType<typeof createInsightsService>;

/** n8n's default period: the last 7 days. */
const DEFAULT_PERIOD_MS = 7 * 24 * 60 * 60 * 1000;
/** Periods longer than this are refused: the summary scans the executions that ended in it. */
const MAX_PERIOD_MS = 366 * 24 * 60 * 60 * 1000;

const failureRate = (f: PeriodFigures) => (f.total ? f.failed / f.total : 0);

/** Figures rounded as n8n shows them: ratios to 3 places, times to whole milliseconds, minutes to 2 places. */
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * n8n's insights summary: total, failed, failure rate, time saved and average run time of the period, each with
 * its change from the period of the same length just before (null when that one had no runs).
 */
export function createInsightsService(deps: { sql: SqlPool; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async summary(query: { startDate?: string; endDate?: string; projectId?: string }) {
      const end = query.endDate ? new Date(query.endDate) : now();
      const start = query.startDate ? new Date(query.startDate) : new Date(end.getTime() - DEFAULT_PERIOD_MS);
      if (start >= end) throw new ValidationError('startDate must be before endDate');
      if (end.getTime() - start.getTime() > MAX_PERIOD_MS) throw new ValidationError('The period may be at most 366 days long');
      const { current, previous } = await repo.summary(deps.sql, { start, end, projectId: query.projectId });
      const hadRuns = previous.total > 0;
      const metric = <U extends string>(value: number, before: number, unit: U, places: number) => ({
        value: round(value, places),
        unit,
        deviation: hadRuns ? round(value - before, places) : null,
      });
      return {
        averageRunTime: metric(current.averageRunTimeMs, previous.averageRunTimeMs, 'millisecond', 0),
        failed: metric(current.failed, previous.failed, 'count', 0),
        failureRate: metric(failureRate(current), failureRate(previous), 'ratio', 3),
        timeSaved: metric(current.timeSavedMinutes, previous.timeSavedMinutes, 'minute', 2),
        total: metric(current.total, previous.total, 'count', 0),
      };
    },
  };
}
