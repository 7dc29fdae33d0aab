import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSendNode } from './email-send.ts';
import { itemsOut, runNode } from './test-support.ts';

/** A local SMTP server (Nodemailer's smtp-server) that checks the login and keeps every message it is given. */
const received: { from: string; to: string[]; raw: string }[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'pw') return callback(null, { user: 'mailer' });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const smtp = (password = 'pw') => ({ smtp: { host: '127.0.0.1', port, secure: false, disableStartTls: true, user: 'mailer', password } });

describe('Send Email node', () => {
  it('sends an HTML message with cc, bcc, reply-to and an attachment, and outputs what the server accepted', async () => {
    const report = { data: Buffer.from('a,b\n1,2\n').toString('base64'), mimeType: 'text/csv', fileName: 'report.csv' };
    const { result } = await runNode(emailSendNode, {
      node: { typeVersion: 2.1 },
      parameters: {
        fromEmail: 'Flowgate <bot@example.com>',
        toEmail: 'ada@example.com, alan@example.com',
        subject: 'Weekly report',
        html: '<p>Numbers attached</p>',
        options: { ccEmail: 'cc@example.com', bccEmail: 'audit@example.com', replyTo: 'team@example.com', attachments: 'report' },
      },
      credentials: smtp(),
      items: [{ json: {}, binary: { report } }],
    });
    const [item] = itemsOut(result);
    expect(item?.json).toMatchObject({
      accepted: ['ada@example.com', 'alan@example.com', 'cc@example.com', 'audit@example.com'],
      rejected: [],
      messageId: expect.stringMatching(/^<.+@example\.com>$/),
      response: expect.stringMatching(/^250 /),
    });
    const mail = received.at(-1)!;
    expect(mail.from).toBe('bot@example.com');
    expect(mail.to).toEqual(['ada@example.com', 'alan@example.com', 'cc@example.com', 'audit@example.com']);
    expect(mail.raw).toContain('Subject: Weekly report');
    expect(mail.raw).toContain('Reply-To: team@example.com');
    expect(mail.raw).not.toContain('audit@example.com>');
    expect(mail.raw).toContain('<p>Numbers attached</p>');
    expect(mail.raw).toMatch(/Content-Disposition: attachment; filename=report\.csv/);
    expect(mail.raw).toContain(Buffer.from('a,b\n1,2\n').toString('base64'));
    expect(mail.raw).not.toContain('n8n');
  });

  it('sends text in v1 (its cc and attachments at the top level) and one message per item', async () => {
    const before = received.length;
    await runNode(emailSendNode, {
      node: { typeVersion: 1 },
      parameters: {
        fromEmail: 'bot@example.com',
        toEmail: 'ada@example.com',
        subject: 'Hello',
        text: 'Plain words',
        ccEmail: 'cc@example.com',
      },
      credentials: smtp(),
      items: [{ json: {} }, { json: {} }],
    });
    expect(received.length - before).toBe(2);
    expect(received.at(-1)?.raw).toContain('Plain words');
    expect(received.at(-1)?.to).toEqual(['ada@example.com', 'cc@example.com']);
  });

  it('fails the node with the server’s answer when the login is refused', async () => {
    await expect(
      runNode(emailSendNode, {
        node: { typeVersion: 2.1 },
        parameters: { fromEmail: 'bot@example.com', toEmail: 'ada@example.com', subject: 'x', html: 'x' },
        credentials: smtp('wrong'),
      }),
    ).rejects.toThrow(/^The email could not be sent: Invalid login: 535 Invalid username or password/);
  });
});
