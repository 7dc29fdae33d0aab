import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { startServers } from './child.ts';
import { reportDataTables } from './data-bench.ts';
import { startBenchDatabase } from './database.ts';
import { reportDiffEngine } from './diff-engine-bench.ts';
import { reportEditCost } from './edit-cost.ts';
import { type LoadOptions, measure, probe, shapeOf, stopLoad } from './load.ts';
import { queueModeScenarios } from './queue-mode.ts';
import { compare, printScenario, problems, type ScenarioResult, writeResults } from './report.ts';
import { scenarios } from './scenarios.ts';
import { reportWireBytes } from './wire-bytes.ts';

const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const WARMUP_SECONDS = 2;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got "${raw}"`);
  return value;
}

// Steps run in reverse order of registration, once, whether the run succeeds, fails or is interrupted.
const teardown: (() => Promise<void>)[] = [];
let tearingDown: Promise<void> | undefined;
let interruptedBy: string | undefined;

function cleanUp(): Promise<void> {
  tearingDown ??= (async () => {
    for (const step of [...teardown].reverse()) {
      await step().catch((err: unknown) => progress(`clean-up step failed: ${String(err)}`));
    }
  })();
  return tearingDown;
}

async function interrupted(signal: string) {
  if (interruptedBy) return;
  interruptedBy = signal;
  progress(`${signal}: stopping and cleaning up`);
  stopLoad();
  await cleanUp();
  process.exit(130);
}

async function runScenarios(options: LoadOptions): Promise<ScenarioResult[]> {
  progress('starting embedded PostgreSQL');
  const database = startBenchDatabase();
  teardown.push(() =>
    database.then(
      (db) => db.stop(),
      () => {},
    ),
  );
  const servers = startServers((await database).url);
  teardown.push(() => servers.stop());
  const ready = await servers.ready;
  await reportWireBytes(ready);
  await reportEditCost(ready);
  await reportDataTables(ready, (await database).url);

  const results: ScenarioResult[] = [];
  // BENCH_ONLY=<text>: only the scenarios whose name contains it (one measurement without the whole run).
  const only = process.env.BENCH_ONLY?.toLowerCase();
  for (const scenario of scenarios.filter((s) => !only || s.name.toLowerCase().includes(only))) {
    const app = scenario.app(ready);
    const baseline = scenario.baseline(ready);
    const [appBody, baselineBody] = [await probe(app), await probe(baseline)];
    if (!scenario.differentShapes && !isDeepStrictEqual(shapeOf(appBody), shapeOf(baselineBody))) {
      throw new Error(`${scenario.name}: app and baseline answer differently shaped bodies, so they do not do the same work`);
    }
    const load = { ...options, connections: scenario.connections ?? options.connections };
    const how = `${load.warmupSeconds} s warm-up + ${load.durationSeconds} s, ${load.connections} connection${load.connections === 1 ? '' : 's'}`;
    progress(`${scenario.name}: app (${how})`);
    const appRun = await measure(app, load);
    progress(`${scenario.name}: baseline (${how})`);
    const baselineRun = await measure(baseline, load);
    const result = compare(scenario.name, appRun, baselineRun, load.connections);
    if (scenario.goal) result.goal = { description: scenario.goal.description, met: scenario.goal.met(result) };
    printScenario(result);
    results.push(result);
  }
  if (!only || 'queue mode'.includes(only) || only.includes('queue'))
    results.push(...(await queueModeScenarios((await database).url, options)));
  return results;
}

async function main(): Promise<number> {
  const options: LoadOptions = {
    durationSeconds: positiveInt('BENCH_DURATION', 10),
    warmupSeconds: WARMUP_SECONDS,
    connections: positiveInt('BENCH_CONNECTIONS', 10),
  };
  reportDiffEngine();
  const results = await runScenarios(options);
  await writeResults(RESULTS_FILE, options, results);
  progress(`results written to ${RESULTS_FILE}`);
  const bad = problems(results);
  if (bad.length) {
    progress(`FAILED: these runs had failed requests, so their figures are meaningless:\n  ${bad.join('\n  ')}`);
    return 1;
  }
  return 0;
}

process.on('SIGINT', () => void interrupted('SIGINT'));
process.on('SIGTERM', () => void interrupted('SIGTERM'));

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  // After Ctrl-C the half-started pieces fail on their own; that is not news.
  if (!interruptedBy) progress(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
