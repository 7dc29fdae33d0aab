import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ivm from 'isolated-vm';

/**
 * Luxon's browser ("global") build, which defines a `luxon` global when run as a plain script. It is read once;
 * V8's code cache for it is produced by the first isolate that compiles it and reused by every later isolate,
 * which roughly halves the cost of loading Luxon per call.
 */

const LUXON_FILENAME = 'luxon.js';

let source: string | undefined;
let codeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;

function luxonSource(): string {
  if (source === undefined) {
    // luxon's package.json `exports` does not list the global build, so resolve the package root instead.
    const packageJson = createRequire(import.meta.url).resolve('luxon/package.json');
    source = readFileSync(path.join(path.dirname(packageJson), 'build/global/luxon.js'), 'utf8');
  }
  return source;
}

/** Compiles Luxon into `isolate` (with the shared code cache once there is one). */
export async function compileLuxon(isolate: ivm.Isolate): Promise<ivm.Script> {
  if (codeCache) return isolate.compileScript(luxonSource(), { filename: LUXON_FILENAME, cachedData: codeCache });
  const script = await isolate.compileScript(luxonSource(), { filename: LUXON_FILENAME, produceCachedData: true });
  codeCache ??= (script as ivm.Script & ivm.CachedDataResult).cachedData;
  return script;
}

/** Whether user code can reach Luxon: loading it is most of a call's cost, so code that never names it skips it. */
export function codeUsesLuxon(code: string): boolean {
  return /DateTime|Duration|Interval|\$now|\$today|luxon/.test(code);
}
