import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonObject, WorkflowDefinition, WorkflowNode } from '../../engine/types.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';

/** Why a call was not let in: the status, n8n's message, and headers such as a Basic challenge. */
export interface Denial {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** A Webhook node's (or Form Trigger's) own authentication (basic or header auth), compared in constant time. */
export async function checkWebhookAuthentication(
  credentials: Pick<CredentialsService, 'decryptForNode'>,
  workflow: WorkflowDefinition,
  node: WorkflowNode,
  headers: IncomingHttpHeaders,
): Promise<Denial | undefined> {
  const mode = String(node.parameters.authentication ?? 'none');
  if (mode === 'none') return undefined;
  const credentialType = mode === 'basicAuth' ? 'httpBasicAuth' : mode === 'headerAuth' ? 'httpHeaderAuth' : undefined;
  if (!credentialType) return { status: 500, message: `Webhook authentication "${mode}" is not supported by this server` };
  let secret: JsonObject;
  try {
    secret = await credentials.decryptForNode(node.credentials?.[credentialType], credentialType, node.name, workflow.projectId);
  } catch {
    return { status: 500, message: 'No authentication data defined on node!' };
  }
  if (credentialType === 'httpBasicAuth') {
    const header = headers.authorization ?? '';
    if (!header.startsWith('Basic '))
      return { status: 401, message: 'Authorization is required!', headers: { 'www-authenticate': 'Basic realm="Webhook"' } };
    const expected = `${String(secret.user ?? '')}:${String(secret.password ?? '')}`;
    const given = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return safeEqual(given, expected) ? undefined : { status: 403, message: 'Authorization data is wrong!' };
  }
  const name = String(secret.name ?? '').toLowerCase();
  const given = headers[name];
  if (typeof given !== 'string' || !safeEqual(given, String(secret.value ?? '')))
    return { status: 403, message: 'Authorization data is wrong!' };
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
