import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotInstalled, startTestImapServer, type TestImapServer } from '../../../test/helpers/dovecot.ts';
import { createAddressPolicy } from '../../lib/net/address-policy.ts';
import type { JsonObject, WorkflowNode } from '../types.ts';
import { createEmailReadImapNode } from './email-read-imap.ts';

/** The Email Trigger (IMAP)'s poll against a real IMAP server: Debian's Dovecot, started with a config of its own. */
const node = createEmailReadImapNode(
  createAddressPolicy({ blockPrivate: false, blockedRanges: [], allowedRanges: [], allowedHostnames: [], internalPorts: [] }),
);
const MAIL = (subject: string, extra = '') =>
  `From: Bob <bob@example.com>\nTo: ada@example.com\nSubject: ${subject}\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\n${extra}`;

describe.skipIf(!dovecotInstalled())('Email Trigger (IMAP) poll (skipped: Debian’s dovecot-imapd is not installed)', () => {
  let imap: TestImapServer;
  beforeAll(async () => {
    imap = await startTestImapServer();
  }, 30_000);
  afterAll(() => imap?.stop());

  const poll = (parameters: JsonObject, state: JsonObject = {}) =>
    node.poll!({
      node: { name: 'Mail', type: node.type, typeVersion: 2, position: [0, 0], parameters } as WorkflowNode,
      state,
      signal: AbortSignal.timeout(20_000),
      now: () => new Date(),
      getCredentials: async () => ({ host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, password: imap.password }),
    });

  it('gives the unseen messages once, in the simple format, and marks them read', async () => {
    await imap.deliver(`${MAIL('Invoice 42')}\nPlease pay by Friday.`);
    const first = await poll({});
    expect(first?.map((item) => item.json)).toEqual([
      {
        from: '"Bob" <bob@example.com>',
        to: 'ada@example.com',
        subject: 'Invoice 42',
        date: '2026-12-07T10:00:00.000Z',
        messageId: '<Invoice42@example.com>',
        textPlain: 'Please pay by Friday.',
        textHtml: '',
      },
    ]);
    expect(await poll({})).toBeNull();
  });

  it('keeps messages unread with postProcessAction nothing (remembering the last one), gives raw and resolved forms and attachments', async () => {
    const boundary = 'b1';
    await imap.deliver(
      `${MAIL('Report', `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${boundary}"\n`)}\n--${boundary}\nContent-Type: text/plain\n\nSee attached.\n--${boundary}\nContent-Type: text/csv; name="r.csv"\nContent-Disposition: attachment; filename="r.csv"\nContent-Transfer-Encoding: base64\n\n${Buffer.from('a,b\n1,2\n').toString('base64')}\n--${boundary}--\n`,
    );
    const state: JsonObject = {};
    const [resolved] = (await poll({ format: 'resolved', postProcessAction: 'nothing', downloadAttachments: true }, state)) ?? [];
    expect(resolved?.json).toMatchObject({ subject: 'Report', text: 'See attached.', messageId: '<Report@example.com>' });
    expect(resolved?.binary?.attachment_0).toMatchObject({ fileName: 'r.csv', mimeType: 'text/csv' });
    expect(Buffer.from(resolved!.binary!.attachment_0!.data, 'base64').toString()).toBe('a,b\n1,2\n');
    expect(state.lastMessageUid).toEqual(expect.any(Number));
    expect(await poll({ postProcessAction: 'nothing' }, state)).toBeNull();
    const [raw] = (await poll({ format: 'raw', postProcessAction: 'nothing' })) ?? [];
    expect(Buffer.from(String(raw?.json.raw), 'base64').toString()).toContain('Subject: Report');
  });

  it('says why it cannot log in', async () => {
    await expect(
      node.poll!({
        node: { name: 'Mail', type: node.type, typeVersion: 2, position: [0, 0], parameters: {} } as WorkflowNode,
        state: {},
        signal: AbortSignal.timeout(20_000),
        now: () => new Date(),
        getCredentials: async () => ({ host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, password: 'wrong' }),
      }),
    ).rejects.toThrow(/^Could not connect to the IMAP server at 127\.0\.0\.1:\d+: /);
  });
});
