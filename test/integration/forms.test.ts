import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { api, eventually } from '../helpers/api.ts';
import { multipart } from '../helpers/multipart.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { activeChain, type Json, lastExecution, node, outputOf } from '../helpers/workflow-builders.ts';

/**
 * n8n's forms over HTTP: the Form Trigger's page and its submission as n8n's item, the response options, a
 * multi-page form through Form nodes (each page a wait of the execution), its end screen, and what is refused.
 * The browser test (forms-browser.test.ts) fills the same kind of form in Chromium.
 */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const FIELDS = [
  { fieldLabel: 'Name', requiredField: true },
  { fieldLabel: 'Email', fieldType: 'email' },
  { fieldLabel: 'Age', fieldType: 'number' },
  { fieldLabel: 'Plan', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'Free' }, { option: 'Pro' }] } },
  { fieldLabel: 'Topics', fieldType: 'checkbox', fieldOptions: { values: [{ option: 'API' }, { option: 'Forms' }, { option: 'AI' }] } },
  { fieldLabel: 'Start date', fieldType: 'date', formatDate: 'dd/MM/yyyy' },
  { fieldLabel: 'CV file', fieldType: 'file' },
  { fieldType: 'hiddenField', fieldName: 'source', fieldValue: 'landing' },
];

function formTrigger(path: string, parameters: Json = {}) {
  return node(
    'On form submission',
    'formTrigger',
    { formTitle: 'Sign up', formDescription: 'Tell us about you', formFields: { values: FIELDS }, options: { path }, ...parameters },
    2.2,
    { webhookId: crypto.randomUUID() },
  );
}

const form = () =>
  multipart([
    { name: 'field-0', value: '  Ada Lovelace ' },
    { name: 'field-1', value: 'ada@example.com' },
    { name: 'field-2', value: '36' },
    { name: 'field-3', value: 'Pro' },
    { name: 'field-4', value: 'API' },
    { name: 'field-4', value: 'AI' },
    { name: 'field-5', value: '2026-12-24' },
    { name: 'field-6', fileName: 'cv.txt', type: 'text/plain', value: 'Analytical Engine' },
    { name: 'field-7', value: 'landing' },
  ]);

describe('Form Trigger', () => {
  it('serves its page with every field, named as n8n posts them, under a policy that runs no script', async () => {
    const path = `signup-${newId(6).toLowerCase()}`;
    await activeChain(t, 'Sign-up form', [formTrigger(path)]);
    const page = await t.app.inject({ method: 'GET', url: `/form/${path}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('<h1>Sign up</h1>');
    expect(page.body).toContain('<input type="text" id="f0" name="field-0" required>');
    expect(page.body).toContain('<option value="Pro">Pro</option>');
    expect(page.body).toContain('type="checkbox" id="f4-2" name="field-4" value="AI"');
    expect(page.body).toContain('<input type="file" id="f6" name="field-6">');
    expect(page.body).toContain('<input type="hidden" name="field-7" value="landing">');
    expect((await t.app.inject({ method: 'GET', url: `/form/nope-${path}` })).statusCode).toBe(404);
  });

  it('runs the workflow with the submission as n8n’s item and shows the submitted text', async () => {
    const path = `signup-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Sign-up run', [formTrigger(path)]);
    const res = await t.app.inject({ method: 'POST', url: `/form/${path}?ref=ad`, ...form() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Your response has been recorded');
    const execution = await eventually(() => lastExecution(t, id), 'the form execution');
    expect(execution.status).toBe('success');
    const [item] = outputOf(execution, 'On form submission');
    expect(item?.json).toEqual({
      Name: 'Ada Lovelace',
      Email: 'ada@example.com',
      Age: 36,
      Plan: 'Pro',
      Topics: ['API', 'AI'],
      'Start date': '24/12/2026',
      'CV file': { filename: 'cv.txt', mimetype: 'text/plain', size: 17 },
      source: 'landing',
      submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      formMode: 'production',
      formQueryParameters: { ref: 'ad' },
    });
    expect(item?.binary?.CV_file).toMatchObject({ fileName: 'cv.txt', mimeType: 'text/plain', bytes: 17 });
  });

  it('refuses a submission without a required field or with a choice it did not offer, and runs nothing', async () => {
    const path = `signup-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Strict form', [formTrigger(path)]);
    const missing = await t.app.inject({ method: 'POST', url: `/form/${path}`, ...multipart([{ name: 'field-1', value: 'x@y.z' }]) });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Name is required');
    const stray = await t.app.inject({
      method: 'POST',
      url: `/form/${path}`,
      ...multipart([
        { name: 'field-0', value: 'Eve' },
        { name: 'field-3', value: 'Enterprise' },
      ]),
    });
    expect(stray.statusCode).toBe(400);
    expect(stray.body).toContain('Plan: &quot;Enterprise&quot; is not one of the choices');
    expect((await api(t, 'GET', `/executions?workflowId=${id}`)).json().data).toEqual([]);
  });

  it('waits for the run (lastNode), redirects when asked, and answers with Respond to Webhook (responseNode)', async () => {
    const lastNode = `last-${newId(6).toLowerCase()}`;
    await activeChain(t, 'Last node form', [
      formTrigger(lastNode, {
        responseMode: 'lastNode',
        options: { path: lastNode, respondWithOptions: { values: { formSubmittedText: 'Thanks, we got it' } } },
      }),
    ]);
    const done = await t.app.inject({ method: 'POST', url: `/form/${lastNode}`, ...form() });
    expect(done.body).toContain('Thanks, we got it');

    const redirecting = `redirect-${newId(6).toLowerCase()}`;
    await activeChain(t, 'Redirect form', [
      formTrigger(redirecting, {
        options: {
          path: redirecting,
          respondWithOptions: { values: { respondWith: 'redirect', redirectUrl: 'https://example.com/thanks' } },
        },
      }),
    ]);
    const moved = await t.app.inject({ method: 'POST', url: `/form/${redirecting}`, ...form() });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe('https://example.com/thanks');

    const responding = `respond-${newId(6).toLowerCase()}`;
    await activeChain(t, 'Responding form', [
      formTrigger(responding, { responseMode: 'responseNode' }),
      node('Respond', 'respondToWebhook', { respondWith: 'text', responseBody: '=Hello {{ $json.Name }}' }, 1.1),
    ]);
    const answered = await t.app.inject({ method: 'POST', url: `/form/${responding}`, ...form() });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toBe('Hello Ada Lovelace');
  });

  it('asks for the Form Trigger’s basic auth before showing or taking the form', async () => {
    const credential = await api(t, 'POST', '/credentials', {
      name: 'Form login',
      type: 'httpBasicAuth',
      data: { user: 'ada', password: 's3cret' },
    });
    expect(credential.statusCode, credential.body).toBe(200);
    const path = `private-${newId(6).toLowerCase()}`;
    const trigger = {
      ...formTrigger(path, { authentication: 'basicAuth' }),
      credentials: { httpBasicAuth: { id: credential.json().id, name: 'Form login' } },
    };
    await activeChain(t, 'Private form', [trigger]);
    const anonymous = await t.app.inject({ method: 'GET', url: `/form/${path}` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="Webhook"');
    const authorization = `Basic ${Buffer.from('ada:s3cret').toString('base64')}`;
    expect((await t.app.inject({ method: 'GET', url: `/form/${path}`, headers: { authorization } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/form/${path}`, ...form() })).statusCode).toBe(401);
  });
});

describe('multi-page forms (Form nodes)', () => {
  it('goes page by page through waits of one execution and ends on the completion screen with resolved expressions', async () => {
    const path = `steps-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Two-page form', [
      formTrigger(path),
      node(
        'Page 2',
        'form',
        {
          formFields: {
            values: [{ fieldLabel: 'Colour', fieldType: 'radio', fieldOptions: { values: [{ option: 'Red' }, { option: 'Blue' }] } }],
          },
          options: { formTitle: 'Almost done' },
        },
        1,
        { webhookId: crypto.randomUUID() },
      ),
      node(
        'Done',
        'form',
        { operation: 'completion', completionTitle: 'All set', completionMessage: "={{ 'You chose ' + $json.Colour }}" },
        1,
        {
          webhookId: crypto.randomUUID(),
        },
      ),
    ]);
    const first = await t.app.inject({ method: 'POST', url: `/form/${path}`, ...form() });
    expect(first.statusCode, first.body).toBe(303);
    const next = String(first.headers.location);
    expect(next).toMatch(/^\/form-waiting\/\d+\?signature=[\w-]{32}$/);

    const page2 = await t.app.inject({ method: 'GET', url: next });
    expect(page2.statusCode).toBe(200);
    expect(page2.body).toContain('<h1>Almost done</h1>');
    expect(page2.body).toContain('value="Blue"');
    const executionId = next.split('/')[2]!.split('?')[0]!;
    expect((await api(t, 'GET', `/executions/${executionId}`)).json().status).toBe('waiting');

    const forged = await t.app.inject({ method: 'GET', url: `/form-waiting/${executionId}?signature=${'A'.repeat(32)}` });
    expect(forged.statusCode).toBe(404);

    const second = await t.app.inject({ method: 'POST', url: next, ...multipart([{ name: 'field-0', value: 'Blue' }]) });
    expect(second.statusCode).toBe(303);
    const end = await t.app.inject({ method: 'GET', url: String(second.headers.location) });
    expect(end.statusCode).toBe(200);
    expect(end.body).toContain('<h1>All set</h1>');
    expect(end.body).toContain('You chose Blue');

    const execution = await eventually(() => lastExecution(t, id), 'the finished form execution');
    expect(execution.status).toBe('success');
    expect(outputOf(execution, 'Page 2')[0]?.json).toMatchObject({ Colour: 'Blue', formMode: 'production' });
    // A page already submitted cannot be submitted again.
    const again = await t.app.inject({ method: 'POST', url: next, ...multipart([{ name: 'field-0', value: 'Red' }]) });
    expect(again.statusCode).toBe(303);
    expect(outputOf((await lastExecution(t, id))!, 'Page 2')[0]?.json.Colour).toBe('Blue');
  });
});
