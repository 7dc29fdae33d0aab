import type { SqlClient } from '../../db/client.ts';

/** One period's figures: production runs that ended in it. */
export interface PeriodFigures {
  total: number;
  failed: number;
  /** Milliseconds, over the runs with a start and an end. */
  averageRunTimeMs: number;
  /** Minutes: each successful run counts its workflow's settings.timeSavedPerExecution. */
  timeSavedMinutes: number;
}

/**
 * Both periods in one statement over the stopped_at index: runs that ended in [from, to), of any mode but manual
 * (n8n's insights count production runs), succeeded or failed (error, crashed); canceled runs do not count. The
 * runs are counted per workflow first, so the workflow's settings (time saved) are joined once per workflow, not
 * once per run.
 */
const SUMMARY = `WITH per_workflow AS (
    SELECT e.workflow_id, (e.stopped_at >= $2) AS current,
      count(*) AS total,
      count(*) FILTER (WHERE e.status <> 'success') AS failed,
      count(*) FILTER (WHERE e.status = 'success') AS succeeded,
      sum(EXTRACT(EPOCH FROM (e.stopped_at - e.started_at))) FILTER (WHERE e.started_at IS NOT NULL) AS run_seconds,
      count(e.started_at) AS timed
    FROM execution e
    WHERE e.stopped_at >= $1 AND e.stopped_at < $3 AND e.mode <> 'manual' AND e.status IN ('success', 'error', 'crashed')
      AND ($4::varchar IS NULL OR e.workflow_id IN (SELECT id FROM workflow WHERE project_id = $4))
    GROUP BY 1, 2)
  SELECT p.current, sum(p.total)::int AS total, sum(p.failed)::int AS failed,
    COALESCE(sum(p.run_seconds) * 1000 / NULLIF(sum(p.timed), 0), 0)::float8 AS avg_ms,
    COALESCE(sum(CASE WHEN jsonb_typeof(w.settings->'timeSavedPerExecution') = 'number'
      THEN p.succeeded * (w.settings->>'timeSavedPerExecution')::float8 ELSE 0 END), 0)::float8 AS saved
  FROM per_workflow p JOIN workflow w ON w.id = p.workflow_id
  GROUP BY p.current`;

const EMPTY: PeriodFigures = { total: 0, failed: 0, averageRunTimeMs: 0, timeSavedMinutes: 0 };

export const insightsRepository = {
  /** The figures of [start, end) and of the period of the same length before it. */
  async summary(
    db: SqlClient,
    range: { start: Date; end: Date; projectId?: string },
  ): Promise<{ current: PeriodFigures; previous: PeriodFigures }> {
    const previousStart = new Date(range.start.getTime() - (range.end.getTime() - range.start.getTime()));
    const { rows } = await db.query<{ current: boolean; total: number; failed: number; avg_ms: number; saved: number }>({
      name: 'flowgate_insights_summary',
      text: SUMMARY,
      values: [previousStart, range.start, range.end, range.projectId ?? null],
    });
    const figures = (current: boolean): PeriodFigures => {
      const row = rows.find((r) => r.current === current);
      return row ? { total: row.total, failed: row.failed, averageRunTimeMs: row.avg_ms, timeSavedMinutes: row.saved } : EMPTY;
    };
    return { current: figures(true), previous: figures(false) };
  },
};
