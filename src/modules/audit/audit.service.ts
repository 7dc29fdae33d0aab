import type { SqlPool } from '../../db/client.ts';
import { auditRepository as repo } from './audit.repository.ts';
import { AUDIT_CATEGORIES, type AuditCategory, buildAuditReport } from './audit-report.ts';

export type AuditService = ReturnType<typeof createAuditService>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** n8n's security audit (POST /audit), over every workflow and credential of this server. */
export function createAuditService(deps: { sql: SqlPool; settings: Record<string, unknown>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async generate(options: { daysAbandonedWorkflow?: number; categories?: AuditCategory[] }) {
      const days = options.daysAbandonedWorkflow ?? 90;
      const categories = options.categories?.length ? options.categories : [...AUDIT_CATEGORIES];
      const [nodes, credentials, recentlyRun] = await Promise.all([
        repo.nodes(deps.sql),
        repo.credentials(deps.sql),
        repo.workflowsRunSince(deps.sql, new Date(now().getTime() - days * DAY_MS)),
      ]);
      return buildAuditReport({ nodes, credentials, recentlyRun, daysAbandonedWorkflow: days, settings: deps.settings }, categories);
    },
  };
}
