import { diffOperations, diffWorkflowBody, equivalentPutBody } from './diff-fixtures.ts';
import type { ServersReady } from './servers.ts';

const GOAL = 0.05;

/** Request and response bytes of one call (bodies only: headers are about the same for every call). */
async function call(url: string, apiKey: string, method: string, body?: string, extra: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'x-n8n-api-key': apiKey, ...(body ? { 'content-type': 'application/json' } : {}), ...extra },
    body,
  });
  const answer = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${answer.toString().slice(0, 200)}`);
  return (body ? Buffer.byteLength(body) : 0) + answer.length;
}

/**
 * What the 10-parameter edit of the 200-node workflow moves over the wire: GET + PUT (a client without PATCH),
 * PATCH answering the whole workflow (n8n clients' default), and PATCH with `Prefer: return=minimal`.
 */
export async function reportWireBytes(servers: ServersReady) {
  const url = `${servers.appUrl}/api/v1/workflows/${servers.diffWorkflowId}`;
  const workflow = diffWorkflowBody();
  const patchBody = JSON.stringify({ intent: 'bench', operations: diffOperations(workflow.nodes.map((n) => n.name)) });
  const getPut =
    (await call(url, servers.apiKey, 'GET')) + (await call(url, servers.apiKey, 'PUT', JSON.stringify(equivalentPutBody(workflow))));
  const patchFull = await call(url, servers.apiKey, 'PATCH', patchBody);
  const patchMinimal = await call(url, servers.apiKey, 'PATCH', patchBody, { prefer: 'return=minimal' });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const share = patchMinimal / getPut;
  const lines = [
    'wire bytes (request + response bodies) of the 10-parameter edit of a 200-node workflow:',
    `  GET + PUT ${kb(getPut)}; PATCH ${kb(patchFull)} (${((100 * patchFull) / getPut).toFixed(1)}%); PATCH with Prefer: return=minimal ${kb(patchMinimal)} (${(100 * share).toFixed(1)}%, goal <= ${100 * GOAL}%: ${share <= GOAL ? 'met' : 'MISSED'})`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
