import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually } from '../helpers/api.ts';
import { createBodyOf, loadTemplates, type Template } from '../helpers/template-corpus.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Real community templates run end to end: every n8n-accepted template whose node types all run here, that starts at
 * a manual trigger or a webhook and needs nothing outside this server (no HTTP, mail, database, files, schedules or
 * waits). Manual ones run through POST /workflows/:id/run, webhook ones are activated and called.
 */
const OUTSIDE = new Set(
  'httpRequest emailSend n8n postgres redis mqtt graphql rssFeedRead rssFeedReadTrigger ssh executeCommand readWriteFile readBinaryFile readBinaryFiles writeBinaryFile executeWorkflow dataTable cron scheduleTrigger interval errorTrigger wait form formTrigger'
    .split(' ')
    .map((type) => `n8n-nodes-base.${type}`),
);
const STARTS = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.start', 'n8n-nodes-base.webhook']);
/** Templates that fail on purpose or need input a person types: what each needs is said. */
const EXPECTED_ERRORS: Record<number, string> = {
  3973: 'its Code node decrypts with a private key the user pastes in ("[INSERT YOUR KEY HERE]")',
  4347: 'its two Webhook nodes share one path and method, so activation is refused (409), as n8n refuses it',
  5407: 'a tutorial whose Code node calls an outside API with this.helpers.httpRequest (not offered to Code nodes here)',
  6232: 'a quiz that fails (Stop and Error) until the person edits the answer into the workflow',
  11439: 'published with every parameter stripped: its Webhook nodes have no paths, so activation is refused',
  12803: 'its Code nodes call Microsoft’s APIs with credentials the user fills in',
};

const refused = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/corpus-refusals.json'), 'utf8')) as {
    refused: Record<string, string[]>;
  }
).refused;

let t: TestApp;
let runnable: Template[];
beforeAll(async () => {
  t = await buildTestApp();
  const implemented = new Set(t.app.services.nodeTypes.types());
  runnable = loadTemplates().filter((template) => {
    if (refused[String(template.workflowId)]) return false;
    const types = (template.workflow.nodes as { type?: string }[])
      .map((n) => n.type ?? '')
      .filter((type) => type && type !== 'n8n-nodes-base.stickyNote');
    return (
      types.every((type) => implemented.has(type)) && !types.some((type) => OUTSIDE.has(type)) && types.some((type) => STARTS.has(type))
    );
  });
}, 60_000);
afterAll(() => t.close());

describe('community templates that need nothing outside, run end to end', () => {
  it('finds them in the corpus and runs each to a successful end', async () => {
    expect(runnable.length).toBeGreaterThanOrEqual(15);
    const outcomes: string[] = [];
    let succeeded = 0;
    for (const template of runnable) {
      const created = await api(t, 'POST', '/workflows', createBodyOf(template));
      expect(created.statusCode, `${template.workflowId}: ${created.body}`).toBe(200);
      const id = created.json().id as string;
      const nodes = template.workflow.nodes as { type: string; parameters?: { path?: string; httpMethod?: string } }[];
      const hook = nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
      let status: string;
      if (hook && !nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')) {
        const activated = await api(t, 'POST', `/workflows/${id}/activate`);
        if (activated.statusCode !== 200) {
          if (!EXPECTED_ERRORS[template.workflowId]) outcomes.push(`${template.workflowId} ${template.name}: activation ${activated.body}`);
          continue;
        }
        const method = String(hook.parameters?.httpMethod ?? 'GET') as 'GET';
        const res = await t.app.inject({
          method,
          url: `/webhook/${hook.parameters?.path ?? ''}`,
          ...(method === 'GET' ? {} : { payload: { name: 'flowgate', message: 'hello' } }),
        });
        // A Respond to Webhook node answers before the run is recorded as ended: wait for its end.
        const list = await eventually(async () => {
          const found = (await api(t, 'GET', `/executions?workflowId=${id}`)).json().data as { status: string }[];
          return found[0] && found[0].status !== 'running' && found[0].status !== 'new' ? found : undefined;
        }, `the run of template ${template.workflowId}`);
        // Copies of one template share their webhook path: each is deactivated after its call.
        await api(t, 'POST', `/workflows/${id}/deactivate`);
        status =
          res.statusCode < 500 && list[0]?.status === 'success' ? 'success' : `webhook ${res.statusCode}, execution ${list[0]?.status}`;
      } else {
        const run = await api(t, 'POST', `/workflows/${id}/run`, { wait: true });
        const body = run.json();
        status = body.status === 'success' ? 'success' : `${body.status}: ${body.data?.resultData?.error?.message}`;
      }
      if (status === 'success') succeeded++;
      else if (!EXPECTED_ERRORS[template.workflowId]) outcomes.push(`${template.workflowId} ${template.name}: ${status}`);
    }
    expect(outcomes).toEqual([]);
    process.stdout.write(
      `\ntemplates run end to end: ${succeeded} of ${runnable.length} succeeded (the rest need what EXPECTED_ERRORS says)\n`,
    );
    expect(succeeded).toBeGreaterThanOrEqual(runnable.length - Object.keys(EXPECTED_ERRORS).length);
  }, 180_000);
});
