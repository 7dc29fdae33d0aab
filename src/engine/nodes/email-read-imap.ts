import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import type { AddressPolicy } from '../../lib/net/address-policy.ts';
import { type BinaryHelpers, createBinaryHelpers } from '../binary-data.ts';
import { NodeOperationError, type NodeType, type PollContext } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { nodeAddress } from './node-address.ts';
import { startItems } from './start-items.ts';

/** At most this many messages start one run (the rest wait for the next poll). */
const MAX_MESSAGES_PER_POLL = 100;

/** n8n's search criteria option: a JSON list such as ["UNSEEN"] or ["UNSEEN", ["SINCE", "May 20, 2026"]]. */
function searchOf(text: unknown): Record<string, unknown> {
  let criteria: unknown[] = ['UNSEEN'];
  if (typeof text === 'string' && text.trim()) {
    try {
      criteria = JSON.parse(text);
    } catch {
      throw new NodeOperationError('"Custom Email Rules" is not a JSON list such as ["UNSEEN"]');
    }
  }
  const query: Record<string, unknown> = {};
  for (const rule of Array.isArray(criteria) ? criteria : []) {
    const [name, value] = Array.isArray(rule) ? rule : [rule];
    switch (String(name).toUpperCase()) {
      case 'UNSEEN':
        query.seen = false;
        break;
      case 'SEEN':
        query.seen = true;
        break;
      case 'ALL':
        query.all = true;
        break;
      case 'FLAGGED':
        query.flagged = true;
        break;
      case 'SINCE':
        query.since = new Date(String(value));
        break;
      case 'FROM':
        query.from = String(value);
        break;
      case 'SUBJECT':
        query.subject = String(value);
        break;
      default:
        throw new NodeOperationError(`The email rule "${String(name)}" is not supported by this server`, {
          description: 'Supported: UNSEEN, SEEN, ALL, FLAGGED, SINCE, FROM, SUBJECT.',
        });
    }
  }
  return Object.keys(query).length ? query : { seen: false };
}

/** A message as the node outputs it, in the chosen format (attachments as binary properties when asked). */
async function messageItem(source: Buffer, parameters: JsonObject, files: BinaryHelpers | undefined): Promise<Item> {
  const format = String(parameters.format ?? 'simple');
  if (format === 'raw') return { json: { raw: source.toString('base64') } };
  const mail = await simpleParser(source);
  const binary: Item['binary'] = {};
  if (parameters.downloadAttachments === true && files) {
    const prefix = String(parameters.dataPropertyAttachmentsPrefixName ?? 'attachment_');
    for (const [index, attachment] of mail.attachments.entries()) {
      binary[`${prefix}${index}`] = await files.prepare(attachment.content, {
        ...(attachment.filename ? { fileName: attachment.filename } : {}),
        mimeType: attachment.contentType,
      });
    }
  }
  const address = (value: unknown) =>
    value && typeof value === 'object' && 'text' in value ? String((value as { text: string }).text) : undefined;
  const json: JsonObject =
    format === 'resolved'
      ? JSON.parse(JSON.stringify({ ...mail, attachments: undefined, headers: Object.fromEntries(mail.headers) }))
      : {
          from: address(mail.from),
          to: address(mail.to),
          ...(mail.cc ? { cc: address(mail.cc) } : {}),
          subject: mail.subject ?? '',
          date: mail.date?.toISOString() ?? null,
          messageId: mail.messageId ?? null,
          textPlain: mail.text ?? '',
          textHtml: typeof mail.html === 'string' ? mail.html : '',
        };
  return Object.keys(binary).length ? { json, binary } : { json };
}

/**
 * n8n's Email Trigger (IMAP), as a polling trigger: every few seconds it reads the mailbox's messages matching the
 * rules (unseen, by default), starts a run with them (simple fields, mailparser's resolved form, or raw), and marks
 * them read (postProcessAction: read). With "nothing", the last message id is kept so none starts a run twice.
 */
export function createEmailReadImapNode(policy: AddressPolicy): NodeType {
  return {
    type: 'n8n-nodes-base.emailReadImap',
    typeVersions: [1, 2, 2.1],
    trigger: true,
    inputs: () => 0,
    async poll(ctx: PollContext) {
      const secret = await ctx.getCredentials('imap');
      const parameters = ctx.node.parameters;
      const options = (parameters.options ?? {}) as JsonObject;
      const host = String(secret.host ?? '');
      const port = Number(secret.port || 993);
      const address = await nodeAddress(policy, host, port, 'IMAP');
      const client = new ImapFlow({
        host: secret.secure !== false ? host : address,
        port,
        secure: secret.secure !== false,
        auth: { user: String(secret.user ?? ''), pass: String(secret.password ?? '') },
        tls: { rejectUnauthorized: secret.allowUnauthorizedCerts !== true && options.allowUnauthorizedCerts !== true },
        logger: false,
        socketTimeout: 60_000,
      });
      await client.connect().catch((error: Error) => {
        throw new NodeOperationError(`Could not connect to the IMAP server at ${host}:${port}: ${error.message}`);
      });
      try {
        const lock = await client.getMailboxLock(String(parameters.mailbox || 'INBOX'));
        try {
          const query = searchOf(options.customEmailConfig);
          const lastUid = Number(ctx.state.lastMessageUid ?? 0);
          const uids = ((await client.search(query, { uid: true })) || []).filter((uid) => uid > lastUid).slice(0, MAX_MESSAGES_PER_POLL);
          if (!uids.length) return null;
          const items: Item[] = [];
          for await (const message of client.fetch(uids, { source: true }, { uid: true })) {
            // No execution exists yet to own stored files: attachments travel inside the items (n8n's in-memory mode).
            if (message.source) items.push(await messageItem(message.source, parameters, createBinaryHelpers(undefined, '')));
          }
          if (String(parameters.postProcessAction ?? 'read') === 'read') await client.messageFlagsAdd(uids, ['\\Seen'], { uid: true });
          else ctx.state.lastMessageUid = Math.max(...uids);
          return items;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout().catch(() => undefined);
      }
    },
    execute: async (ctx) => [startItems(ctx)],
  };
}
