import { performance } from 'node:perf_hooks';
import { diffOperations, equivalentPutBody } from './diff-fixtures.ts';
import type { ServersReady } from './servers.ts';
import { chainWorkflowBody } from './workflow-fixtures.ts';

const GOAL = 0.5;
const WARMUP_ROUNDS = 10;
const ROUNDS = Number(process.env.BENCH_EDIT_ROUNDS ?? 60);

async function timed(url: string, apiKey: string, method: string, body?: string, extra: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(url, {
    method,
    headers: { 'x-n8n-api-key': apiKey, ...(body ? { 'content-type': 'application/json' } : {}), ...extra },
    body,
  });
  const answer = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${answer.slice(0, 200)}`);
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * One edit, two ways, on one connection with nothing else running: GET + PUT of the whole workflow (a client
 * without PATCH) against PATCH with `Prefer: return=minimal`, interleaved round by round so drift on a shared
 * machine hits both alike. Latency, not throughput: what one agent waits for per edit.
 */
async function editCost(apiKey: string, url: string, workflow: ReturnType<typeof chainWorkflowBody>, count: number) {
  const patchBody = JSON.stringify({
    intent: 'bench',
    operations: diffOperations(
      workflow.nodes.map((n) => n.name),
      count,
    ),
  });
  const putBody = JSON.stringify(equivalentPutBody(workflow, count));
  const getPut: number[] = [];
  const patch: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const pair = (await timed(url, apiKey, 'GET')) + (await timed(url, apiKey, 'PUT', putBody));
    const one = await timed(url, apiKey, 'PATCH', patchBody, { prefer: 'return=minimal' });
    if (round < WARMUP_ROUNDS) continue;
    getPut.push(pair);
    patch.push(one);
  }
  return { getPut: median(getPut), patch: median(patch) };
}

export async function reportEditCost(servers: ServersReady) {
  const small = chainWorkflowBody(200, 'Bench diff target');
  const smallUrl = `${servers.appUrl}/api/v1/workflows/${servers.diffWorkflowId}`;
  const large = chainWorkflowBody(500, 'Bench 500-node edit target');
  const created = await fetch(`${servers.appUrl}/api/v1/workflows`, {
    method: 'POST',
    headers: { 'x-n8n-api-key': servers.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(large),
  });
  if (!created.ok) throw new Error(`creating the 500-node workflow answered ${created.status}: ${await created.text()}`);
  const largeUrl = `${servers.appUrl}/api/v1/workflows/${((await created.json()) as { id: string }).id}`;

  const a = await editCost(servers.apiKey, smallUrl, small, 10);
  const b = await editCost(servers.apiKey, largeUrl, large, 50);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const line = (label: string, r: { getPut: number; patch: number }, goal: boolean) => {
    const share = r.patch / r.getPut;
    const verdict = goal ? `, goal <= ${100 * GOAL}%: ${share <= GOAL ? 'met' : 'MISSED'}` : '';
    return `  ${label}: GET + PUT ${ms(r.getPut)}; PATCH (Prefer: return=minimal) ${ms(r.patch)} (${(100 * share).toFixed(0)}%${verdict})`;
  };
  const lines = [
    `edit latency, p50 of ${ROUNDS} interleaved rounds on one connection:`,
    line('10 operations on a 200-node workflow', a, true),
    line('50 operations on a 500-node workflow', b, false),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
