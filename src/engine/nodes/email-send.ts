import { createTransport } from 'nodemailer';
import { binaryProperty } from '../binary-data.ts';
import { fieldList } from '../field-paths.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';

const CONNECTION_TIMEOUT_MS = 30_000;

function transportFor(secret: JsonObject, allowUnauthorizedCerts: boolean) {
  return createTransport({
    host: String(secret.host ?? ''),
    port: Number(secret.port ?? 465),
    secure: secret.secure !== false,
    ...(secret.disableStartTls === true ? { ignoreTLS: true } : {}),
    ...(secret.hostName ? { name: String(secret.hostName) } : {}),
    ...(secret.user || secret.password ? { auth: { user: String(secret.user ?? ''), pass: String(secret.password ?? '') } } : {}),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: CONNECTION_TIMEOUT_MS,
    tls: { rejectUnauthorized: !allowUnauthorizedCerts },
  });
}

/** The files named in `attachments` (comma-separated binary properties), with their names and types. */
async function attachmentsOf(ctx: NodeContext, item: Item, list: string, itemIndex: number) {
  const attachments = [];
  for (const name of fieldList(list, 'Attachments')) {
    const file = binaryProperty(item, name, itemIndex);
    attachments.push({ filename: file.fileName ?? name, content: await ctx.binary.buffer(file), contentType: file.mimeType });
  }
  return attachments;
}

/**
 * n8n's Send Email (v1, v2, v2.1) over SMTP with an `smtp` credential: from, to, cc, bcc, reply-to, subject, text
 * and/or HTML, and binary properties as attachments. Outputs what the server said (nodemailer's info, as n8n).
 * Unlike n8n, nothing is appended to the message (n8n adds "sent automatically with n8n" unless told not to).
 */
export const emailSendNode: NodeType = {
  type: 'n8n-nodes-base.emailSend',
  typeVersions: [1, 2, 2.1],
  operations: ['send'],
  async execute(ctx) {
    const operation = ctx.getParam<string>('operation', 0, 'send');
    if (operation !== 'send') {
      throw new NodeOperationError(`The Send Email operation "${operation}" is not supported by this server`, {
        description: 'Use "Send" (sending and waiting for a reply is not implemented).',
      });
    }
    const secret = await ctx.getCredentials('smtp');
    const output: Item[] = [];
    const transports = new Map<boolean, ReturnType<typeof transportFor>>();
    try {
      for (const [itemIndex, item] of ctx.items.entries()) {
        const options = ctx.getParam<JsonObject>('options', itemIndex, {});
        const v1 = ctx.node.typeVersion < 2;
        const insecure = options.allowUnauthorizedCerts === true;
        const transport = transports.get(insecure) ?? transportFor(secret, insecure);
        transports.set(insecure, transport);
        const format = v1 ? 'both' : ctx.getParam<string>('emailFormat', itemIndex, ctx.node.typeVersion >= 2.1 ? 'html' : 'text');
        const text = ctx.getParam<string>('text', itemIndex, '');
        const html = ctx.getParam<string>('html', itemIndex, '');
        const field = (name: string) => (v1 ? ctx.getParam<string>(name, itemIndex, '') : String(options[name] ?? ''));
        const attachments = field('attachments');
        const message = {
          from: ctx.getParam<string>('fromEmail', itemIndex, ''),
          to: ctx.getParam<string>('toEmail', itemIndex, ''),
          ...(field('ccEmail') ? { cc: field('ccEmail') } : {}),
          ...(field('bccEmail') ? { bcc: field('bccEmail') } : {}),
          ...(options.replyTo ? { replyTo: String(options.replyTo) } : {}),
          subject: ctx.getParam<string>('subject', itemIndex, ''),
          ...((format === 'text' || format === 'both') && text ? { text } : {}),
          ...((format === 'html' || format === 'both') && html ? { html } : {}),
          ...(attachments ? { attachments: await attachmentsOf(ctx, item, attachments, itemIndex) } : {}),
        };
        try {
          const info = await transport.sendMail(message);
          output.push({ json: JSON.parse(JSON.stringify(info)) as JsonObject, pairedItem: { item: itemIndex } });
        } catch (error) {
          throw new NodeOperationError(`The email could not be sent: ${(error as Error).message}`, { itemIndex });
        }
      }
    } finally {
      for (const transport of transports.values()) transport.close();
    }
    return [output];
  },
};
