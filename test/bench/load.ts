import autocannon from 'autocannon';
import type { Target } from './scenarios.ts';

export interface LoadOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface RunSummary {
  url: string;
  requestsPerSecond: number;
  totalRequests: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

let current: autocannon.Instance | undefined;

/** Ends the run in progress early (Ctrl-C). */
export function stopLoad(): void {
  current?.stop();
}

/** Nearest-rank percentiles over every response, with microsecond resolution. */
function latencySummary(samples: number[]): RunSummary['latencyMs'] {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / (sorted.length || 1);
  return { mean: round(mean), p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(at(100)) };
}

async function fire(target: Target, connections: number, duration: number) {
  // autocannon's own latency histogram keeps whole milliseconds only, too coarse for sub-millisecond routes.
  const latencies: number[] = [];
  // autocannon takes an explicit `method: undefined` as a method named "undefined".
  const { url, method = 'GET', headers, body } = target;
  current = autocannon({ url, method, headers, body, connections, duration });
  current.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  try {
    return { result: await current, latencyMs: latencySummary(latencies) };
  } finally {
    current = undefined;
  }
}

/** A warm-up (JIT, connection pools, the API-key cache) that is thrown away, then the recorded run. */
export async function measure(target: Target, options: LoadOptions): Promise<RunSummary> {
  await fire(target, options.connections, options.warmupSeconds);
  const { result, latencyMs } = await fire(target, options.connections, options.durationSeconds);
  return {
    url: target.url,
    requestsPerSecond: result.requests.mean,
    totalRequests: result.requests.total,
    latencyMs,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

/** One request before loading a target: a failing or mismatched endpoint would make the figures meaningless. */
export async function probe(target: Target): Promise<unknown> {
  const method = target.method ?? 'GET';
  const response = await fetch(target.url, { method, headers: target.headers, body: target.body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${target.url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * The structure of a JSON value (keys and array lengths), for comparing app and baseline bodies. Leaf types are
 * left out: the app's first authenticated request sets lastUsedAt, so null may turn into a string between probes;
 * values (ids, timestamps of two created workflows) differ anyway.
 */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    );
  }
  return '*';
}
