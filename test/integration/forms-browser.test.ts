import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { activeChain, lastExecution, node, outputOf } from '../helpers/workflow-builders.ts';

/**
 * A person fills in a form: Debian's Chromium, headless, on a real listening server, types, picks, attaches a file
 * and submits, through two pages to the end screen; the execution then holds what was entered.
 */
const CHROMIUM = '/usr/bin/chromium';
// The flags keep Chromium off the network this machine does not have (see the environment notes).
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(!existsSync(CHROMIUM))('forms in a real browser (skipped: Debian’s chromium is not installed at /usr/bin/chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('fills, uploads and submits two pages, and the execution has every answer', async () => {
    const path = `browser-${newId(6).toLowerCase()}`;
    const id = await activeChain(t, 'Browser form', [
      node(
        'Form',
        'formTrigger',
        {
          formTitle: 'Event registration',
          formFields: {
            values: [
              { fieldLabel: 'Name', requiredField: true, placeholder: 'Your name' },
              { fieldLabel: 'Tickets', fieldType: 'number' },
              { fieldLabel: 'Meal', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'Vegan' }, { option: 'Fish' }] } },
              {
                fieldLabel: 'Workshops',
                fieldType: 'checkbox',
                fieldOptions: { values: [{ option: 'Morning' }, { option: 'Afternoon' }] },
              },
              { fieldLabel: 'Notes', fieldType: 'textarea' },
              { fieldLabel: 'Badge photo', fieldType: 'file', acceptFileTypes: '.png' },
            ],
          },
          options: { path, buttonLabel: 'Next' },
        },
        2.2,
        { webhookId: crypto.randomUUID() },
      ),
      node('Seat', 'form', {
        formFields: {
          values: [{ fieldLabel: 'Row', fieldType: 'radio', fieldOptions: { values: [{ option: 'Front' }, { option: 'Back' }] } }],
        },
        options: { formTitle: 'Pick a seat', buttonLabel: 'Finish' },
      }),
      node('Thanks', 'form', {
        operation: 'completion',
        completionTitle: 'See you there',
        completionMessage: '={{ $json.Row }} row it is',
      }),
    ]);

    const page = await browser.newPage();
    await page.goto(`${base}/form/${path}`);
    expect(await page.locator('h1').textContent()).toBe('Event registration');
    // The browser refuses the form while a required field is empty: nothing is posted.
    await page.getByRole('button', { name: 'Next' }).click();
    expect(page.url()).toBe(`${base}/form/${path}`);

    await page.getByPlaceholder('Your name').fill('Grace Hopper');
    await page.getByLabel('Tickets').fill('2');
    await page.getByLabel('Meal').selectOption('Fish');
    await page.getByLabel('Afternoon').check();
    await page.getByLabel('Notes').fill('Aisle seat, please');
    await page.getByLabel('Badge photo').setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG fake') });
    await page.getByRole('button', { name: 'Next' }).click();

    await page.waitForSelector('text=Pick a seat');
    expect(page.url()).toMatch(/\/form-waiting\/\d+\?signature=/);
    await page.getByLabel('Back').check();
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.waitForSelector('text=See you there');
    expect(await page.locator('#message').textContent()).toBe('Back row it is');

    const execution = await eventually(() => lastExecution(t, id), 'the browser’s execution');
    expect(execution.status).toBe('success');
    const [submitted] = outputOf(execution, 'Form');
    expect(submitted?.json).toMatchObject({
      Name: 'Grace Hopper',
      Tickets: 2,
      Meal: 'Fish',
      Workshops: ['Afternoon'],
      Notes: 'Aisle seat, please',
      'Badge photo': { filename: 'badge.png', mimetype: 'image/png' },
    });
    expect(submitted?.binary?.Badge_photo).toMatchObject({ fileName: 'badge.png', mimeType: 'image/png' });
    expect(outputOf(execution, 'Seat')[0]?.json.Row).toBe('Back');
  }, 60_000);
});
