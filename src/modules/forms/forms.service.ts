import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DateTime } from 'luxon';
import type { SqlClient } from '../../db/client.ts';
import { FORM_TYPE } from '../../engine/triggers.ts';
import type { ExecutionData, Item, JsonObject, WorkflowDefinition, WorkflowNode } from '../../engine/types.ts';
import { workflowTimezone } from '../../engine/workflow-timezone.ts';
import type { BinaryDataService } from '../binary-data/binary-data.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { ExecutionDispatcher } from '../executions/execution-dispatch.ts';
import type { RunHandle } from '../executions/execution-runner.ts';
import { findExecution } from '../executions/executions.repository.ts';
import type { ExecutionsStore } from '../executions/executions.store.ts';
import type { WorkflowLoader } from '../executions/workflow-loader.ts';
import { FORM_METHOD, normalisePath } from '../triggers/trigger-registrations.ts';
import { checkWebhookAuthentication } from '../triggers/webhook-auth.ts';
import type { ReceivedBody } from '../triggers/webhook-body.ts';
import { startCalledRun } from '../triggers/webhook-run.ts';
import { findWebhook } from '../triggers/webhooks.repository.ts';
import { type FormField, FormInputError, formFieldsOf, submissionItem } from './form-fields.ts';
import { FORM_PAGE_POLICY, renderFormPage, renderMessagePage } from './form-page.ts';

/** An answer to a person's browser: a page, a redirect, or a Respond to Webhook node's answer. */
export interface FormAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface FormRequest {
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
  readBody(): Promise<ReceivedBody>;
}

export interface FormsServiceDeps {
  sql: SqlClient;
  dispatcher: Pick<ExecutionDispatcher, 'start' | 'resumeDueWaits'>;
  store: Pick<ExecutionsStore, 'resumeWaitingWith'>;
  loader: Pick<WorkflowLoader, 'published'>;
  credentials: Pick<CredentialsService, 'decryptForNode'>;
  binaryData: Pick<BinaryDataService, 'adopt'> | undefined;
  /** Signs /form-waiting links, so only the person who submitted the first page reaches the next ones. */
  secret: Buffer;
  defaultTimezone: string;
  /** How long a submission waits for the run to reach the next page or its end before the page polls instead. */
  settleMs?: number;
}

const DEFAULT_SUBMITTED_TEXT = 'Your response has been recorded';
const html = (status: number, body: string, headers: Record<string, string> = {}): FormAnswer => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': FORM_PAGE_POLICY, ...headers },
  body,
});
const redirect = (location: string): FormAnswer => ({ status: 303, headers: { location }, body: undefined });
const notFound = () => html(404, renderMessagePage('Problem loading form', 'This form does not exist, or is not active.'));

/**
 * n8n's forms: a Form Trigger's page at /form/<path> and its submission, which starts the run; a workflow with Form
 * nodes continues page by page at /form-waiting/<executionId> (each page a wait of the execution, resumed with that
 * page's submission, on whichever instance resumes waits), and ends with a Form completion's screen.
 */
export function createFormsService(deps: FormsServiceDeps) {
  const { sql } = deps;
  const settleMs = deps.settleMs ?? 30_000;

  const signatureOf = (executionId: number) =>
    createHmac('sha256', deps.secret).update(`form-waiting:${executionId}`).digest('base64url').slice(0, 32);
  const waitingUrl = (executionId: number) => `/form-waiting/${executionId}?signature=${signatureOf(executionId)}`;
  function signed(executionId: number, signature: unknown): boolean {
    const given = Buffer.from(String(signature ?? ''));
    const expected = Buffer.from(signatureOf(executionId));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async function triggerOf(path: string) {
    const clean = normalisePath(path);
    const match = clean ? await findWebhook(sql, FORM_METHOD, clean) : undefined;
    const workflow = match ? await deps.loader.published(match.workflowId, match.activeVersionId, match.projectId) : undefined;
    const node = workflow?.nodes.find((n) => n.name === match?.node);
    return workflow && node ? { workflow, node } : undefined;
  }

  async function denied(workflow: WorkflowDefinition, node: WorkflowNode, headers: IncomingHttpHeaders) {
    const denial = await checkWebhookAuthentication(deps.credentials, workflow, node, headers);
    return denial ? html(denial.status, renderMessagePage('Problem loading form', denial.message), denial.headers) : undefined;
  }

  function pageOf(parameters: JsonObject, action: string, problem?: string, fields?: FormField[]): string {
    const options = (parameters.options ?? {}) as JsonObject;
    return renderFormPage({
      title: String(parameters.formTitle ?? options.formTitle ?? ''),
      description: String(parameters.formDescription ?? options.formDescription ?? ''),
      fields: fields ?? fieldsOf(parameters),
      buttonLabel: String(options.buttonLabel || 'Submit'),
      action,
      ...(options.customCss ? { customCss: String(options.customCss) } : {}),
      ...(problem ? { problem } : {}),
    });
  }

  async function showForm(path: string, request: Pick<FormRequest, 'headers' | 'query'>): Promise<FormAnswer> {
    const found = await triggerOf(path);
    if (!found) return notFound();
    const refusal = await denied(found.workflow, found.node, request.headers);
    if (refusal) return refusal;
    return html(200, pageOf(found.node.parameters, ''));
  }

  async function submitForm(path: string, request: FormRequest): Promise<FormAnswer> {
    const found = await triggerOf(path);
    if (!found) return notFound();
    const { workflow, node } = found;
    const refusal = await denied(workflow, node, request.headers);
    if (refusal) return refusal;
    const received = await request.readBody();
    const options = (node.parameters.options ?? {}) as JsonObject;
    const item = submissionOr400(node.parameters, received, submittedAt(workflow, options.useWorkflowTimezone === true), '', request.query);
    if ('status' in item) return item;
    const responseMode = String(node.parameters.responseMode ?? 'onReceived');
    const { run, nodeResponse } = await startCalledRun(
      { runner: deps.dispatcher, binaryData: deps.binaryData },
      { workflow, node: node.name, item, files: received.files, answersThroughNode: responseMode === 'responseNode' },
    );

    if (workflow.nodes.some((n) => n.type === FORM_TYPE && !n.disabled)) {
      await settled(run);
      return redirect(waitingUrl(run.id));
    }
    if (responseMode === 'responseNode') {
      const first = await Promise.race([nodeResponse, run.done]);
      if ('statusCode' in first) return { status: first.statusCode, headers: first.headers, body: first.body };
      return first.status === 'success' ? submitted(options) : failed();
    }
    if (responseMode === 'lastNode') {
      const finished = await run.done;
      return finished.status === 'success' ? submitted(options) : failed();
    }
    return submitted(options);
  }

  /** The next page of a run at a Form node, its end screen, or (while it works) a page that looks again. */
  async function showWaiting(executionId: number, signature: unknown): Promise<FormAnswer> {
    if (!signed(executionId, signature)) return notFound();
    const execution = await findExecution(sql, executionId, true);
    if (!execution?.data || !execution.workflowData) return notFound();
    const waitingAt = waitingFormNode(execution.status, execution.data, execution.workflowData);
    if (waitingAt) return html(200, pageOf(waitingAt.parameters, waitingUrl(executionId)));
    if (execution.status === 'running' || execution.status === 'new' || execution.status === 'waiting') {
      return html(
        200,
        renderMessagePage('Working on it', 'Your submission is being processed.').replace(
          '<head>',
          '<head><meta http-equiv="refresh" content="1">',
        ),
      );
    }
    if (execution.status !== 'success') return failed();
    return completionOf(execution.data) ?? submitted({});
  }

  async function submitWaiting(executionId: number, signature: unknown, request: FormRequest): Promise<FormAnswer> {
    if (!signed(executionId, signature)) return notFound();
    const execution = await findExecution(sql, executionId, true);
    const waitingAt =
      execution?.data && execution.workflowData ? waitingFormNode(execution.status, execution.data, execution.workflowData) : undefined;
    if (!execution || !waitingAt) return redirect(waitingUrl(executionId));
    const received = await request.readBody();
    const item = submissionOr400(waitingAt.parameters, received, submittedAt(execution.workflowData!, false), waitingUrl(executionId));
    if ('status' in item) return item;
    const resumed = await deps.store.resumeWaitingWith(sql, executionId, waitingAt.name, [{ ...item, pairedItem: { item: 0 } }]);
    if (resumed) {
      await deps.binaryData?.adopt(
        received.files.flatMap((file) => (file.id ? [file.id] : [])),
        String(executionId),
      );
      await deps.dispatcher.resumeDueWaits(10);
      await settledById(executionId);
    }
    return redirect(waitingUrl(executionId));
  }

  /** The page's submission as n8n's item, or the page again (400) saying what is wrong with it. */
  function submissionOr400(
    parameters: JsonObject,
    received: ReceivedBody,
    at: DateTime,
    action: string,
    query?: Record<string, unknown>,
  ): Item | FormAnswer {
    try {
      const body = (received.body ?? {}) as Record<string, unknown>;
      return submissionItem({ fields: fieldsOf(parameters), body, files: received.files, submittedAt: at, ...(query ? { query } : {}) });
    } catch (error) {
      if (error instanceof FormInputError) return html(400, pageOf(parameters, action, error.message));
      throw error;
    }
  }

  /** Until the run parks at its next page or ends (bounded: the page then polls). */
  async function settled(run: RunHandle): Promise<void> {
    await Promise.race([run.done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, settleMs).unref())]);
  }

  async function settledById(executionId: number): Promise<void> {
    const deadline = Date.now() + settleMs;
    while (Date.now() < deadline) {
      const execution = await findExecution(sql, executionId, false);
      if (
        !execution ||
        (execution.status !== 'running' && execution.status !== 'new' && !(execution.status === 'waiting' && isDue(execution.waitTill)))
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  function submittedAt(workflow: WorkflowDefinition, useWorkflowTimezone: boolean): DateTime {
    return DateTime.now().setZone(useWorkflowTimezone ? workflowTimezone(workflow.settings, deps.defaultTimezone) : 'UTC');
  }

  return { showForm, submitForm, showWaiting, submitWaiting, waitingUrl };
}

export type FormsService = ReturnType<typeof createFormsService>;

const isDue = (waitTill: Date | null) => !!waitTill && waitTill.getTime() <= Date.now();

/** A Form page's fields: listed in the node, or (defineForm: json) given as a JSON list of n8n's field objects. */
function fieldsOf(parameters: JsonObject): FormField[] {
  if (parameters.defineForm === 'json') {
    try {
      const list = typeof parameters.jsonOutput === 'string' ? JSON.parse(parameters.jsonOutput) : parameters.jsonOutput;
      return formFieldsOf({ formFields: { values: Array.isArray(list) ? list : [] } });
    } catch {
      return [];
    }
  }
  return formFieldsOf(parameters);
}

/** The Form page node a waiting execution waits at (its saved stack's head), if that is what it waits for. */
function waitingFormNode(status: string, data: ExecutionData, workflow: WorkflowDefinition): WorkflowNode | undefined {
  if (status !== 'waiting') return undefined;
  const head = data.executionData?.nodeExecutionStack[0];
  if (!head || head.resumeItems) return undefined;
  const node = workflow.nodes.find((n) => n.name === head.node);
  return node?.type === FORM_TYPE && node.parameters.operation !== 'completion' ? node : undefined;
}

/** The end screen the run's last Form completion recorded. */
function completionOf(data: ExecutionData): FormAnswer | undefined {
  let latest: { index: number; screen: JsonObject } | undefined;
  for (const runs of Object.values(data.resultData.runData)) {
    for (const run of runs) {
      const screen = run.metadata?.formCompletion as JsonObject | undefined;
      if (screen && (!latest || run.executionIndex > latest.index)) latest = { index: run.executionIndex, screen };
    }
  }
  if (!latest) return undefined;
  const { respondWith, title, message, redirectUrl, text } = latest.screen as Record<string, string>;
  if (respondWith === 'redirect' && redirectUrl) return redirect(redirectUrl);
  if (respondWith === 'showText') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text ?? '' };
  return html(200, renderMessagePage(title || 'Form Submitted', message ?? ''));
}

/** The trigger's own end screen (onReceived, lastNode): its text, or a redirect. */
function submitted(options: JsonObject): FormAnswer {
  const chosen = ((options.respondWithOptions as { values?: JsonObject } | undefined)?.values ?? {}) as JsonObject;
  if (chosen.respondWith === 'redirect' && chosen.redirectUrl) return redirect(String(chosen.redirectUrl));
  const text = String(chosen.formSubmittedText ?? options.formSubmittedText ?? DEFAULT_SUBMITTED_TEXT);
  return html(200, renderMessagePage('Form Submitted', text));
}

function failed(): FormAnswer {
  return html(500, renderMessagePage('Problem submitting response', 'Please try again or contact support if the problem persists'));
}
