import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema, isoDate } from '../../lib/schemas.ts';

const metric = <U extends string>(unit: U) => z.object({ value: z.number(), unit: z.literal(unit), deviation: z.number().nullable() });

const InsightsSummarySchema = z
  .object({
    averageRunTime: metric('millisecond'),
    failed: metric('count'),
    failureRate: metric('ratio'),
    timeSaved: metric('minute'),
    total: metric('count'),
  })
  .meta({ id: 'InsightsSummary' });

const InsightsQuerySchema = z.object({
  startDate: isoDate().optional().describe('Start of the period (default: 7 days before endDate)'),
  endDate: isoDate().optional().describe('End of the period (default: now)'),
  projectId: z.string().max(64).optional().describe('Only the workflows of this project'),
});

export const insightsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/insights/summary',
    {
      config: { scopes: ['insights:read'] },
      schema: {
        operationId: 'getInsightsSummary',
        summary: 'Production runs of a period: total, failed, failure rate, time saved, average run time',
        tags: ['Insights'],
        querystring: InsightsQuerySchema,
        response: { 200: InsightsSummarySchema, 400: ErrorSchema },
      },
    },
    async (request) => app.services.insights.summary(request.query),
  );
};
