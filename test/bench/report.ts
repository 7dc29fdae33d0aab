import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadOptions, RunSummary } from './load.ts';

export interface ScenarioResult {
  name: string;
  connections: number;
  app: RunSummary;
  baseline: RunSummary;
  /** app / baseline; null when the baseline figure is 0. */
  ratio: { requestsPerSecond: number | null; p99: number | null };
  /** The scenario's goal for the app, if it has one. */
  goal?: { description: string; met: boolean };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function compare(name: string, app: RunSummary, baseline: RunSummary, connections: number): ScenarioResult {
  return {
    name,
    connections,
    app,
    baseline,
    ratio: {
      requestsPerSecond: ratio(app.requestsPerSecond, baseline.requestsPerSecond),
      p99: ratio(app.latencyMs.p99, baseline.latencyMs.p99),
    },
  };
}

/** Runs whose figures cannot be trusted: any non-2xx answer or socket error. */
export function problems(results: ScenarioResult[]): string[] {
  return results.flatMap((r) =>
    (['app', 'baseline'] as const)
      .filter((side) => r[side].non2xx > 0 || r[side].errors > 0)
      .map((side) => {
        const s = r[side];
        return `${r.name} / ${side}: ${s.non2xx} non-2xx, ${s.errors} errors (${s.timeouts} timeouts), status codes ${JSON.stringify(s.statusCodes)}`;
      }),
  );
}

const HEADERS = ['', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'non-2xx', 'errors'];
const fixed = (n: number, digits: number) => n.toFixed(digits);
const times = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}x`);

function row(label: string, s: RunSummary): string[] {
  const { p50, p90, p99 } = s.latencyMs;
  return [label, fixed(s.requestsPerSecond, 1), fixed(p50, 2), fixed(p90, 2), fixed(p99, 2), String(s.non2xx), String(s.errors)];
}

export function printScenario(result: ScenarioResult): void {
  const rows = [
    HEADERS,
    row('app', result.app),
    row('baseline', result.baseline),
    ['app/baseline', times(result.ratio.requestsPerSecond), '', '', times(result.ratio.p99), '', ''],
  ];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  const goal = result.goal ? `goal: ${result.goal.description}: ${result.goal.met ? 'met' : 'MISSED'}\n` : '';
  process.stdout.write(`\n${result.name}\n${lines.join('\n')}\n${goal}`);
}

export async function writeResults(file: string, options: LoadOptions, results: ScenarioResult[]): Promise<void> {
  const report = {
    timestamp: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
    },
    ...options,
    problems: problems(results),
    scenarios: results,
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
