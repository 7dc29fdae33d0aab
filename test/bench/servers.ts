import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { asCaller } from '../helpers/principals.ts';
import { buildBaseline } from './baseline.ts';
import { diffWorkflowBody } from './diff-fixtures.ts';
import { codeBenchWorkflowBody, executionBenchWorkflowBody } from './execution-fixtures.ts';
import { seedWorkflows } from './seed-workflows.ts';

/**
 * Child process: the app and the baseline listen here so autocannon, in the parent, does not share their
 * event loop. Talks to the parent over IPC only.
 */

export interface ServersReady {
  type: 'ready';
  appUrl: string;
  baselineUrl: string;
  apiKey: string;
  /** The seeded 30-node workflow. */
  workflowId: string;
  /** The project of the 10-node workflows (the list scenario with real-sized workflows). */
  tenNodeProjectId: string;
  /** The seeded 200-node workflow that the PATCH scenario edits. */
  diffWorkflowId: string;
  /** The active webhook + 10 Set/IF workflow of the execution scenario. */
  executionWorkflowId: string;
  /** The active webhook + Code + Set workflow of the Code-node scenario. */
  codeWorkflowId: string;
}

export type ChildMessage = ServersReady | { type: 'error'; message: string };

const EXTRA_KEYS = 20;
const HIGH_LIMIT = '100000000';

const send = (message: ChildMessage) => process.send?.(message);

async function listen(server: FastifyInstance): Promise<string> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function seed(app: FastifyInstance, databaseUrl: string) {
  const { key } = await app.services.apiKeys.create({ label: 'bench', scopes: ['*'] });
  for (let i = 1; i <= EXTRA_KEYS; i++) {
    await app.services.apiKeys.create({ label: `bench-extra-${i}`, scopes: ['workflow:read', 'workflow:list'] });
  }
  const principal = asCaller((await app.services.apiKeys.authenticate(key))!);
  const { workflowId, tenNodeProjectId } = await seedWorkflows(app, databaseUrl, principal);
  const diffTarget = await app.services.workflows.create(diffWorkflowBody() as never, principal);
  const executionWorkflow = await app.services.workflows.create(executionBenchWorkflowBody() as never, principal);
  await app.services.workflowPublishing.activate(executionWorkflow.id, principal);
  const runnerWorkflow = await app.services.workflows.create(executionBenchWorkflowBody({ viaRunner: true }) as never, principal);
  await app.services.workflowPublishing.activate(runnerWorkflow.id, principal);
  const codeWorkflow = await app.services.workflows.create(codeBenchWorkflowBody() as never, principal);
  await app.services.workflowPublishing.activate(codeWorkflow.id, principal);
  return {
    apiKey: key,
    workflowId,
    tenNodeProjectId,
    diffWorkflowId: diffTarget.id,
    executionWorkflowId: executionWorkflow.id,
    codeWorkflowId: codeWorkflow.id,
  };
}

const servers: FastifyInstance[] = [];
let closing: Promise<void> | undefined;

function close(code: number): Promise<void> {
  closing ??= Promise.allSettled(servers.map((s) => s.close())).then(() => process.exit(code));
  return closing;
}

async function main() {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set: this file is started by test/bench/run.ts');
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: HIGH_LIMIT,
    RATE_LIMIT_KEY_READ_MAX: HIGH_LIMIT,
    RATE_LIMIT_KEY_WRITE_MAX: HIGH_LIMIT,
    // Every webhook scenario comes from one address: at several hundred runs a second the per-address limit would answer.
    RATE_LIMIT_WEBHOOK_MAX: HIGH_LIMIT,
    // The runner pool's size is the one setting a bench run may vary (the default: one runner per core).
    ...(process.env.N8N_RUNNERS_MAX_CONCURRENCY ? { N8N_RUNNERS_MAX_CONCURRENCY: process.env.N8N_RUNNERS_MAX_CONCURRENCY } : {}),
  });
  const app = await buildApp({ config, databaseUrl });
  servers.push(app);
  const baseline = buildBaseline(databaseUrl);
  servers.push(baseline);

  // Before ready: the 10,000-workflow seed is not part of any measured run.
  const seeded = await seed(app, databaseUrl);
  send({ type: 'ready', appUrl: await listen(app), baselineUrl: await listen(baseline), ...seeded });
}

// Ctrl-C reaches the whole process group: the parent decides when this process stops.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => void close(0));
process.on('message', (message) => message === 'stop' && void close(0));
// The parent died without asking: do not linger.
process.on('disconnect', () => void close(0));

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  void close(1);
});
