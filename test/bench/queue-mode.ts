import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { answersTcp, LOCAL_REDIS } from '../helpers/redis.ts';
import { type ServerProcess, serverEnv, spawnServer } from '../helpers/server-process.ts';
import { freePort } from '../helpers/throwaway-postgres.ts';
import { BENCH_WEBHOOK_PATH } from './execution-fixtures.ts';
import { type LoadOptions, measure } from './load.ts';
import { compare, printScenario, type ScenarioResult } from './report.ts';
import type { Target } from './scenarios.ts';

const REDIS = LOCAL_REDIS;
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/**
 * Queue mode against regular mode, as separate server processes on the bench database: one regular main, one
 * queue-mode main with one and then two workers (`src/server.ts worker`), all answering the same active webhook
 * of the 10-node Set/IF workflow with `lastNode`. At one connection the difference is the queue's added latency;
 * at `connections` it is throughput. Every process shares this machine's cores with the others and with the load
 * generator, so two workers cannot be faster than the cores allow.
 */
export async function queueModeScenarios(databaseUrl: string, options: LoadOptions): Promise<ScenarioResult[]> {
  if (!(await answersTcp(REDIS.host, REDIS.port))) {
    progress('queue mode: skipped, no Redis answers on 127.0.0.1:6379');
    return [];
  }
  const prefix = `fgbench${randomBytes(4).toString('hex')}`;
  const processes: ServerProcess[] = [];
  const env = serverEnv({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    RATE_LIMIT_WEBHOOK_MAX: '100000000',
    QUEUE_BULL_REDIS_HOST: REDIS.host,
    QUEUE_BULL_PREFIX: prefix,
    N8N_LISTEN_ADDRESS: '127.0.0.1',
  });
  const start = async (extra: Record<string, string>, args: string[], ready: RegExp) => {
    const server = await spawnServer({ ...env, ...extra }, args);
    processes.push(server);
    await server.waitFor(ready, 60_000);
    return server;
  };
  const hook = (port: number): Target => ({
    url: `http://127.0.0.1:${port}/webhook/${BENCH_WEBHOOK_PATH}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n: 1 }),
  });
  try {
    const regularPort = await freePort();
    const queuePort = await freePort();
    // LOG_LEVEL=warn hides the ready lines: wait for the port instead.
    await start({ N8N_PORT: String(regularPort), LOG_LEVEL: 'info' }, [], /flowgate is ready/);
    await start({ N8N_PORT: String(queuePort), EXECUTIONS_MODE: 'queue', LOG_LEVEL: 'info' }, [], /flowgate is ready \(queue mode/);
    const worker = () => start({ EXECUTIONS_MODE: 'queue', LOG_LEVEL: 'info' }, ['worker', '--concurrency=10'], /flowgate worker is ready/);

    const regular = hook(regularPort);
    const queued = hook(queuePort);
    const run = async (name: string, connections: number) => {
      const load = { ...options, connections };
      progress(`${name}: regular mode, then queue mode (${connections} connection${connections === 1 ? '' : 's'})`);
      const baseline = await measure(regular, load);
      const app = await measure(queued, load);
      const result = compare(name, app, baseline, connections);
      printScenario(result);
      return result;
    };

    const results: ScenarioResult[] = [];
    await worker();
    results.push(await run('queue mode, 1 worker: lastNode webhook of the 10-node Set/IF workflow (vs regular mode)', 1));
    results.push(await run('queue mode, 1 worker: lastNode webhook of the 10-node Set/IF workflow (vs regular mode)', options.connections));
    await worker();
    results.push(await run('queue mode, 2 workers: lastNode webhook of the 10-node Set/IF workflow (vs regular mode)', 1));
    results.push(
      await run('queue mode, 2 workers: lastNode webhook of the 10-node Set/IF workflow (vs regular mode)', options.connections),
    );
    return results;
  } finally {
    for (const server of processes) server.child.kill('SIGTERM');
    await Promise.all(processes.map((server) => server.exited));
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}
