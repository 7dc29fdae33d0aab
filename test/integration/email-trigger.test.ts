import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { dovecotInstalled, startTestImapServer, type TestImapServer } from '../helpers/dovecot.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { chain, type Json, node, outputOf } from '../helpers/workflow-builders.ts';

/** An active workflow with an Email Trigger (IMAP): a message delivered to a real Dovecot mailbox starts one run. */
describe.skipIf(!dovecotInstalled())('Email Trigger (IMAP) through the trigger poller (skipped: dovecot-imapd is not installed)', () => {
  let t: TestApp;
  let imap: TestImapServer;
  beforeAll(async () => {
    [t, imap] = await Promise.all([buildTestApp({ TRIGGER_POLL_INTERVAL_MS: '200' }), startTestImapServer()]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await imap?.stop();
  });

  it('starts a run with each new message once', async () => {
    const credential = await api(t, 'POST', '/credentials', {
      name: 'Mailbox',
      type: 'imap',
      data: { host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, password: imap.password },
    });
    expect(credential.statusCode, credential.body).toBe(200);
    const nodes = [
      node('New mail', 'emailReadImap', { options: {} }, 2, { credentials: { imap: { id: credential.json().id, name: 'Mailbox' } } }),
      node('Pass', 'noOp'),
    ];
    const id = await createWorkflow(t, { name: 'Inbox watcher', nodes, connections: chain(nodes), settings: {} });
    const activated = await api(t, 'POST', `/workflows/${id}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    await imap.deliver('From: bob@example.com\nTo: ada@example.com\nSubject: Order 7\nMessage-ID: <o7@example.com>\n\nShip it.');
    const runs = await eventually(
      async () => {
        const list = (await api(t, 'GET', `/executions?workflowId=${id}&includeData=true`)).json().data as Json[];
        return list.length ? list : undefined;
      },
      'a run for the new message',
      25_000,
    );
    expect(outputOf(runs[0]!, 'Pass')[0]?.json).toMatchObject({ subject: 'Order 7', textPlain: 'Ship it.' });
    await api(t, 'POST', `/workflows/${id}/deactivate`);
    expect(((await api(t, 'GET', `/executions?workflowId=${id}`)).json().data as Json[]).length).toBe(1);
  }, 40_000);
});
