import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ivm from 'isolated-vm';

/**
 * The scripts every context loads: the bootstrap (the user-code globals) and, when user code names it, Luxon's
 * browser build; an expression context also gets n8n's extension functions when its expressions call one. Each is read once per runner process and compiled once per isolate (a compiled script runs in any
 * context of its isolate); V8's code cache from the first isolate that compiles one is reused by the isolates made
 * after a memory overrun, which roughly halves the cost of compiling it again.
 */
interface CachedScript {
  filename: string;
  source: () => string;
  cache?: ivm.ExternalCopy<ArrayBuffer>;
}

/** The bootstrap's parts (`isolate/bootstrap/<name>.js`), in the order they are joined: each reads what the ones before it give. */
const BOOTSTRAP_PARTS = ['shared', 'variables', 'expressions', 'code-node'] as const;

const BOOTSTRAP: CachedScript = {
  filename: 'flowgate-bootstrap.js',
  source: once(() => bootstrapSource()),
};

const LUXON: CachedScript = {
  filename: 'luxon.js',
  // luxon's package.json `exports` does not list the global build, so resolve the package root instead. Wrapped in
  // a function, so its `var luxon` stays local: the bootstrap keeps it, and no global is added (the expression
  // context's global object is frozen by then).
  source: once(() => {
    const packageJson = createRequire(import.meta.url).resolve('luxon/package.json');
    const luxon = readFileSync(path.join(path.dirname(packageJson), 'build/global/luxon.js'), 'utf8');
    return `(function () {\n${luxon}\n;__useLuxon(luxon);\n})();`;
  }),
};

/** The extension library's parts (`isolate/extensions/<name>.js`), in the order they are joined: each reads what the ones before it give. */
const EXTENSION_PARTS = ['shared', 'dates', 'strings', 'values', 'lists', 'dispatch'] as const;

const EXTENSIONS: CachedScript = {
  filename: 'flowgate-extensions.js',
  source: once(() => extensionsSource()),
};

/**
 * The extension library as one script: its parts, each `__extensionPart(name, (shared) => fields)`, run in a function
 * that defines `__extensionPart` and hands the assembled library to the bootstrap. Nothing of it is left in the
 * context's global object (which an expression context freezes once its scripts are loaded).
 */
export function extensionsSource(): string {
  const parts = readParts('extensions', EXTENSION_PARTS, '__extensionPart');
  return `(function () {
const parts = [];
const __extensionPart = (name, define) => {
  parts.push({ name, define });
};
${parts.join('\n')}
__useExtensions((tools) => {
  const shared = { tools };
  let fields = {};
  for (const { name, define } of parts) {
    fields = define(shared);
    for (const key of Object.keys(fields)) {
      if (Object.hasOwn(shared, key)) throw new Error(\`extension part \${name} gives \${key} again\`);
      shared[key] = fields[key];
    }
  }
  return fields;
});
})();`;
}

/**
 * The bootstrap as one script: its parts, each `__bootstrapPart(name, (shared) => fields)`, run in order, in strict
 * mode, by `function bootstrap(global)` with the context's global object; each part's fields are added to `shared`
 * for the parts after it, and the parts define the context's globals themselves. The function's own global
 * (`bootstrap`) is all the wrapper adds to the context.
 */
export function bootstrapSource(): string {
  const parts = readParts('bootstrap', BOOTSTRAP_PARTS, '__bootstrapPart');
  return `function bootstrap(global) {
'use strict';
const parts = [];
const __bootstrapPart = (name, define) => {
  parts.push({ name, define });
};
${parts.join('\n')}
const shared = { global };
for (const { name, define } of parts) {
  const fields = define(shared);
  for (const key of Object.keys(fields)) {
    if (Object.hasOwn(shared, key)) throw new Error(\`bootstrap part \${name} gives \${key} again\`);
    shared[key] = fields[key];
  }
}
}
bootstrap(globalThis);`;
}

/** The part files `isolate/<folder>/<name>.js` in `names`' order, each checked to define exactly one part, `register('<name>', …)`. */
function readParts(folder: string, names: readonly string[], register: string): string[] {
  const call = new RegExp(`^${register}\\('[\\w-]+', `, 'gm');
  return names.map((name) => {
    const source = readFileSync(new URL(`./isolate/${folder}/${name}.js`, import.meta.url), 'utf8');
    const calls = source.match(call) ?? [];
    if (calls.length !== 1 || calls[0] !== `${register}('${name}', `) {
      throw new Error(`isolate/${folder}/${name}.js must define exactly one part, named '${name}'`);
    }
    return source;
  });
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

const compiledIn = new WeakMap<ivm.Isolate, Map<CachedScript, ivm.Script>>();

function compile(isolate: ivm.Isolate, script: CachedScript): ivm.Script {
  let scripts = compiledIn.get(isolate);
  if (!scripts) {
    scripts = new Map();
    compiledIn.set(isolate, scripts);
  }
  let compiled = scripts.get(script);
  if (!compiled) {
    compiled = script.cache
      ? isolate.compileScriptSync(script.source(), { filename: script.filename, cachedData: script.cache })
      : isolate.compileScriptSync(script.source(), { filename: script.filename, produceCachedData: true });
    script.cache ??= (compiled as ivm.Script & ivm.CachedDataResult).cachedData;
    scripts.set(script, compiled);
  }
  return compiled;
}

/** Loads the bootstrap into `context`, and Luxon when asked. */
export function loadBootstrap(isolate: ivm.Isolate, context: ivm.Context, options: { luxon: boolean; timeoutMs: number }): void {
  compile(isolate, BOOTSTRAP).runSync(context, { timeout: options.timeoutMs });
  if (options.luxon) addLuxon(isolate, context, options.timeoutMs);
}

/** Adds Luxon to a context whose bootstrap is loaded (it hands Luxon to the bootstrap, which keeps it). */
export function addLuxon(isolate: ivm.Isolate, context: ivm.Context, timeoutMs: number): void {
  compile(isolate, LUXON).runSync(context, { timeout: timeoutMs });
}

/** Adds n8n's extension functions to an expression context whose bootstrap is loaded (it hands them over too). */
export function addExtensions(isolate: ivm.Isolate, context: ivm.Context, timeoutMs: number): void {
  compile(isolate, EXTENSIONS).runSync(context, { timeout: timeoutMs });
}

/** Whether user code can reach Luxon: loading it is most of a context's cost, so code that never names it skips it. */
export function usesLuxon(code: string): boolean {
  return /DateTime|Duration|Interval|\$now|\$today|luxon/.test(code);
}
