import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUDIT_CATEGORIES } from './audit-report.ts';

const AuditBodySchema = z
  .strictObject({
    additionalOptions: z
      .strictObject({
        daysAbandonedWorkflow: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .optional()
          .describe('Days without a run after which a workflow counts as abandoned (default 90)'),
        categories: z.array(z.enum(AUDIT_CATEGORIES)).max(AUDIT_CATEGORIES.length).optional(),
      })
      .optional(),
  })
  .nullish();

const LocationSchema = z.record(z.string(), z.string());
const SectionSchema = z.object({
  title: z.string(),
  description: z.string(),
  recommendation: z.string(),
  location: z.array(LocationSchema).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
const AuditSchema = z.union([
  z.record(z.string(), z.object({ risk: z.enum(AUDIT_CATEGORIES), sections: z.array(SectionSchema) })),
  z.array(z.never()),
]);

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/audit',
    {
      config: { scopes: ['securityAudit:generate'] },
      schema: {
        operationId: 'generateAudit',
        summary: 'Generate a security audit of this server',
        tags: ['Audit'],
        body: AuditBodySchema,
        response: { 200: AuditSchema },
      },
    },
    async (request) => app.services.audit.generate(request.body?.additionalOptions ?? {}),
  );
};
