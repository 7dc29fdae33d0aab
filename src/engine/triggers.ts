import type { NodeType } from './node-types.ts';

/**
 * What "trigger" means, in one place. Pure: no I/O, no Fastify or Prisma. n8n has two different notions, and
 * flowgate keeps both:
 * - a node that lets a workflow be *activated* (n8n: a trigger, poller or webhook node): `isTriggerNode`, read
 *   from the type name, so workflows with trigger types flowgate does not run (Form, Chat, Cron…) still activate
 *   as they do in n8n;
 * - a node a run can *start* from (its output is the data the run was started with): `canStartRun`, read from
 *   the node type flowgate implements (`NodeType.trigger`).
 * The Manual Trigger is the second but not the first.
 */

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const WEBHOOK_TYPE = 'n8n-nodes-base.webhook';
/** n8n's Form Trigger: a form served at /form/<path>, whose submission starts the run. */
export const FORM_TRIGGER_TYPE = 'n8n-nodes-base.formTrigger';
/** n8n's Form node: a further page of the form (the run waits for it), or the form's end screen. */
export const FORM_TYPE = 'n8n-nodes-base.form';
export const SCHEDULE_TRIGGER_TYPE = 'n8n-nodes-base.scheduleTrigger';
/** The Schedule Trigger's predecessor, which older workflows still contain. */
export const CRON_TYPE = 'n8n-nodes-base.cron';
/** n8n's RSS Feed Trigger: polls a feed on its poll times and starts a run with the entries that are new. */
export const RSS_FEED_TRIGGER_TYPE = 'n8n-nodes-base.rssFeedReadTrigger';
/** n8n's Email Trigger (IMAP): polled here, every 10 seconds. */
export const EMAIL_IMAP_TRIGGER_TYPE = 'n8n-nodes-base.emailReadImap';
/** The legacy Interval trigger: every N seconds, minutes or hours. */
export const INTERVAL_TYPE = 'n8n-nodes-base.interval';

/** The part of a workflow node these predicates read. */
export interface TriggerCandidate {
  type: string;
  disabled?: boolean;
}

export interface NodeTypeLookup {
  get(type: string): Pick<NodeType, 'trigger'> | undefined;
}

/**
 * Start nodes a person clicks in the editor (n8n's STARTING_NODES), and trigger-named nodes that only run when
 * another workflow or an error calls them: none of them lets a workflow run on its own, so none allows activation.
 * Lower case: type names are compared without case.
 */
const NOT_ACTIVATING = new Set([
  MANUAL_TRIGGER_TYPE.toLowerCase(),
  'n8n-nodes-base.start',
  '@n8n/n8n-nodes-langchain.manualchattrigger',
  'n8n-nodes-base.errortrigger',
  'n8n-nodes-base.executeworkflowtrigger',
]);

/**
 * Nodes that can start a run on their own once the workflow is active (n8n: trigger, poller or webhook nodes).
 * An active workflow needs at least one ("has no node to start the workflow"); their count is `triggerCount`.
 */
export function isTriggerNode(node: TriggerCandidate): boolean {
  if (node.disabled) return false;
  const type = node.type.toLowerCase();
  if (NOT_ACTIVATING.has(type)) return false;
  return (
    type.endsWith('trigger') ||
    type.endsWith('.webhook') ||
    type.endsWith('.cron') ||
    type.endsWith('.interval') ||
    // Triggers whose names do not say so.
    type === EMAIL_IMAP_TRIGGER_TYPE.toLowerCase()
  );
}

export function countTriggers(nodes: readonly TriggerCandidate[]): number {
  return nodes.filter(isTriggerNode).length;
}

/** An enabled node whose type flowgate runs as a trigger: the engine can start a run there with the given items. */
export function canStartRun(node: TriggerCandidate, nodeTypes: NodeTypeLookup): boolean {
  return !node.disabled && nodeTypes.get(node.type)?.trigger === true;
}

/**
 * Where a manual run (POST /workflows/:id/run without `startNode`) starts: the first enabled Manual Trigger, as
 * in n8n's editor, else the first node that `canStartRun`. Undefined when there is none.
 */
export function defaultStartNode<T extends TriggerCandidate>(nodes: readonly T[], nodeTypes: NodeTypeLookup): T | undefined {
  const enabled = nodes.filter((n) => !n.disabled);
  return enabled.find((n) => n.type === MANUAL_TRIGGER_TYPE) ?? enabled.find((n) => canStartRun(n, nodeTypes));
}

/** An enabled Webhook node or Form Trigger: activation registers its production webhooks (a form's at /form). */
export function registersWebhook(node: TriggerCandidate): boolean {
  return (node.type === WEBHOOK_TYPE || node.type === FORM_TRIGGER_TYPE) && !node.disabled;
}

/** An enabled Schedule Trigger (or legacy Cron): activation registers its rules with the trigger poller. */
export function registersSchedule(node: TriggerCandidate): boolean {
  return (
    (node.type === SCHEDULE_TRIGGER_TYPE ||
      node.type === CRON_TYPE ||
      node.type === INTERVAL_TYPE ||
      node.type === RSS_FEED_TRIGGER_TYPE ||
      node.type === EMAIL_IMAP_TRIGGER_TYPE) &&
    !node.disabled
  );
}
