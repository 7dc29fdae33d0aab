import type { SqlClient } from '../../db/client.ts';
import { FORM_TRIGGER_TYPE, registersSchedule, registersWebhook } from '../../engine/triggers.ts';
import { AppError, ConflictError } from '../../lib/errors.ts';
import type { WorkflowNode } from '../../workflow-model/index.ts';
import { nextRunAt, ScheduleRuleError, scheduleRulesOf } from './schedule-rules.ts';
import { deleteTriggers, insertScheduleTrigger, insertWebhook, storedTriggers } from './triggers.repository.ts';

export interface WebhookRegistration {
  method: string;
  path: string;
  node: string;
  webhookId: string | null;
  pathLength: number | null;
}

/** The method a Form Trigger's registration is stored under (never an HTTP method a webhook call has). */
export const FORM_METHOD = 'FORM';

export function normalisePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** The production webhooks an active workflow answers: one per method of each enabled Webhook node. */
export function webhookRegistrations(nodes: WorkflowNode[]): WebhookRegistration[] {
  const registrations: WebhookRegistration[] = [];
  for (const node of nodes) {
    if (!registersWebhook(node)) continue;
    const params = node.parameters;
    // A form answers GET (the page) and POST (the submission) at /form/<path>: one registration of its own kind,
    // so no webhook call ever reaches a form or the other way round.
    const methods =
      node.type === FORM_TRIGGER_TYPE
        ? [FORM_METHOD]
        : params.multipleMethods === true && Array.isArray(params.httpMethod)
          ? (params.httpMethod as string[])
          : [String(params.httpMethod ?? 'GET')];
    // A Form Trigger's path may sit in its options (n8n 2.2 and later) and defaults to its webhookId.
    const formPath = node.type === FORM_TRIGGER_TYPE ? (params.options as { path?: unknown } | undefined)?.path : undefined;
    const path = normalisePath(String(params.path || formPath || node.webhookId || ''));
    if (path === '') throw new AppError(400, 'VALIDATION_ERROR', `Webhook node "${node.name}" has no path: set parameters.path`);
    const dynamic = path.split('/').some((segment) => segment.startsWith(':'));
    if (dynamic && !node.webhookId) {
      throw new AppError(
        400,
        'VALIDATION_ERROR',
        `Webhook node "${node.name}" has a path with parameters, which needs the node's webhookId: set it`,
      );
    }
    for (const method of new Set(methods.map((m) => m.toUpperCase()))) {
      registrations.push({
        method,
        path: dynamic ? `${node.webhookId}/${path}` : path,
        node: node.name,
        webhookId: node.webhookId ?? null,
        pathLength: dynamic ? path.split('/').length : null,
      });
    }
  }
  return registrations;
}

/** JSON with every object's keys sorted: a stored rule comes back from jsonb in another key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same items, in any order. */
const sameItems = (a: unknown[], b: unknown[]) => a.map(canonical).sort().join('\n') === b.map(canonical).sort().join('\n');

/**
 * As syncTriggers, unless the stored triggers are already exactly what `nodes` register (webhooks, schedule rules
 * and their timezone): an edit of an active workflow that leaves its triggers alone then leaves their rows alone,
 * and a schedule keeps its next run instead of being computed again from the moment of the edit. Compared with the
 * stored rows, not the previous nodes, so a changed server timezone or registration rule still re-registers.
 */
export async function syncTriggersIfChanged(tx: SqlClient, workflowId: string, nodes: WorkflowNode[], timezone: string): Promise<void> {
  const webhooks = webhookRegistrations(nodes);
  const schedules = nodes
    .filter(registersSchedule)
    .flatMap((node) => scheduleRulesOf(node).map((rule, ruleIndex) => ({ node: node.name, ruleIndex, rule, timezone })));
  const stored = await storedTriggers(tx, workflowId);
  const same = sameItems(webhooks, stored.webhooks) && sameItems(schedules, stored.schedules);
  if (!same) await syncTriggers(tx, workflowId, nodes, timezone);
}

/**
 * Makes the stored triggers match the published nodes (or removes them: `nodes` null), inside the caller's
 * transaction, so activation and trigger registration commit or fail together. Two active workflows on one
 * method + path is a 409.
 */
export async function syncTriggers(
  tx: SqlClient,
  workflowId: string,
  nodes: WorkflowNode[] | null,
  timezone: string,
  now = new Date(),
): Promise<void> {
  await deleteTriggers(tx, workflowId);
  if (!nodes) return;
  for (const hook of webhookRegistrations(nodes)) {
    if (!(await insertWebhook(tx, workflowId, hook))) {
      throw new ConflictError(`The URL path that the "${hook.node}" node uses is already taken. Please change it to something else.`, {
        method: hook.method,
        path: hook.path,
      });
    }
  }
  for (const node of nodes) {
    if (!registersSchedule(node)) continue;
    const rules = scheduleRulesOf(node);
    for (const [index, rule] of rules.entries()) {
      let next: Date;
      try {
        next = nextRunAt(rule, now, timezone);
      } catch (error) {
        if (error instanceof ScheduleRuleError)
          throw new AppError(400, 'VALIDATION_ERROR', `Schedule Trigger "${node.name}": ${error.message}`);
        throw error;
      }
      await insertScheduleTrigger(tx, { workflowId, node: node.name, ruleIndex: index, rule, timezone, nextRunAt: next });
    }
  }
}
