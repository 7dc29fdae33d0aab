// Runs once inside the expression isolate (never in the server's own context). Plain JS on purpose: it is
// read as text and evaluated by isolated-vm inside one function scope together with luxon's global build, so
// nothing but `__evaluate` becomes a global. The host callback passed to `__evaluate` is the only way out:
// it returns copies of run data, never references to host objects.
function bootstrap(global, luxon) {
  'use strict';
  const { DateTime, Duration, Interval } = luxon;
  const compiled = new Map();
  const MAX_COMPILED = 5000;

  // Only the names an expression uses are built, so a plain `$json.x` costs no host round trip.
  const BUILDERS = {
    $json: (c) => c.json,
    $binary: (c) => c.host('binary'),
    $input: (c) => makeInput(c),
    $: (c) => (name) => makeNodeAccessor(c, name),
    $node: (c) => new Proxy({}, { get: (_, name) => (typeof name === 'string' ? makeNodeProxy(c, name) : undefined) }),
    $items: (c) => (name) => (name === undefined ? c.host('input.all') : c.host('node.all', name)),
    $now: (c) => DateTime.fromMillis(c.meta.now, { zone: c.meta.timezone }),
    $today: (c) => DateTime.fromMillis(c.meta.now, { zone: c.meta.timezone }).startOf('day'),
    $workflow: (c) => c.meta.workflow,
    $execution: (c) => c.meta.execution,
    $vars: (c) => c.meta.vars,
    $env: (c) => (c.meta.envAllowed ? c.host('env') : denyEnv()),
    $itemIndex: (c) => c.meta.itemIndex,
    $runIndex: (c) => c.meta.runIndex,
    $position: (c) => c.meta.itemIndex,
    $parameter: (c) => c.host('parameters'),
    $prevNode: (c) => c.host('prevNode'),
    DateTime: () => DateTime,
    Duration: () => Duration,
    Interval: () => Interval,
  };
  const NAMES = Object.keys(BUILDERS);

  function denyEnv() {
    throw new Error('access to env vars denied');
  }

  function makeInput(c) {
    return {
      all: () => c.host('input.all'),
      first: () => c.host('input.first'),
      last: () => c.host('input.last'),
      get item() {
        return c.host('input.item');
      },
      get params() {
        return c.host('parameters');
      },
      get context() {
        return {};
      },
    };
  }

  function makeNodeAccessor(c, name) {
    if (typeof name !== 'string') throw new Error('$() needs a node name, e.g. $("Webhook")');
    return {
      all: (branch, run) => c.host('node.all', name, branch, run),
      first: (branch, run) => c.host('node.first', name, branch, run),
      last: (branch, run) => c.host('node.last', name, branch, run),
      get item() {
        return c.host('node.item', name);
      },
      itemMatching: (index) => c.host('node.itemMatching', name, index),
      pairedItem: (index) => c.host('node.itemMatching', name, index === undefined ? c.meta.itemIndex : index),
      get params() {
        return c.host('node.params', name);
      },
      // A property in n8n (`$if($("X").isExecuted, …)`), not a method.
      get isExecuted() {
        return c.host('node.isExecuted', name);
      },
    };
  }

  // n8n's legacy $node["Name"]: the item at the same index of the output that leads here (not paired items).
  function makeNodeProxy(c, name) {
    return {
      get json() {
        const item = c.host('node.sameIndex', name);
        return item ? item.json : undefined;
      },
      get binary() {
        const item = c.host('node.sameIndex', name);
        return item ? item.binary : undefined;
      },
      get parameter() {
        return c.host('node.params', name);
      },
      get data() {
        const item = c.host('node.sameIndex', name);
        return item ? item.json : undefined;
      },
    };
  }

  function compile(code) {
    let entry = compiled.get(code);
    if (entry) return entry;
    const used = NAMES.filter((n) => code.includes(n));
    // A new Function per distinct expression, cached: the body is the user's code, evaluated here only.
    const fn = new Function('__scope', `const { ${used.join(', ')} } = __scope;\nreturn (${code}\n);`);
    entry = { fn, used };
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(code, entry);
    return entry;
  }

  // Values leave the isolate by copy: dates become ISO strings (as n8n prints them), functions vanish.
  function toPlain(value, depth) {
    if (value === null || value === undefined) return value;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return value;
    if (type === 'bigint') return value.toString();
    if (type === 'function' || type === 'symbol') return undefined;
    if (DateTime.isDateTime(value)) return value.toISO();
    if (Duration.isDuration(value)) return value.toISO();
    if (Interval.isInterval(value)) return value.toISO();
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (depth > 64) throw new Error('expression result is nested too deeply');
    if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1));
    if (value instanceof Map) return toPlain(Object.fromEntries(value), depth + 1);
    if (value instanceof Set) return toPlain(Array.from(value), depth + 1);
    const out = {};
    for (const key of Object.keys(value)) {
      const v = toPlain(value[key], depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  function toText(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') {
      // Dates come out of toPlain as ISO strings: they go into the text as they are, not JSON-quoted.
      const plain = toPlain(value, 0);
      return typeof plain === 'string' ? plain : JSON.stringify(plain);
    }
    return String(value);
  }

  // segments: strings are literal text, [code] entries are expressions. One segment alone keeps its type.
  global.__evaluate = function evaluate(segments, json, meta, hostCallback) {
    const c = {
      json,
      meta,
      host: (kind, a, b, d) => hostCallback(meta.handle, kind, a, b, d),
    };
    const run = (code) => {
      const { fn, used } = compile(code);
      const scope = {};
      for (const name of used) scope[name] = BUILDERS[name](c);
      return fn(scope);
    };
    if (segments.length === 1 && typeof segments[0] !== 'string') return toPlain(run(segments[0][0]), 0);
    let text = '';
    for (const segment of segments) text += typeof segment === 'string' ? segment : toText(run(segment[0]));
    return text;
  };
}

// Freeze every built-in the expressions can reach, so one expression cannot change what another sees
// (`Array.prototype.map = …`, new globals). Runs last: the bootstrap above is the only code that may write.
function lockdown(global, luxon) {
  'use strict';
  // WebAssembly.Memory lives outside the isolate's heap limit (a 128 MiB isolate held 384 MiB of it), and no
  // expression needs WebAssembly: it is not there at all.
  delete global.WebAssembly;
  const seen = new WeakSet();
  const freeze = (value) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key);
      if (desc && 'value' in desc) freeze(desc.value);
    }
    freeze(Object.getPrototypeOf(value));
  };
  for (const key of Reflect.ownKeys(global)) {
    const desc = Object.getOwnPropertyDescriptor(global, key);
    if (desc && 'value' in desc) freeze(desc.value);
  }
  // Luxon is no global, but expressions reach its classes through DateTime, Duration, Interval and their instances
  // ($now.zone, $now.loc): freeze those classes and prototypes too. Instances stay writable (luxon caches on them).
  freeze(luxon);
  const sample = luxon.DateTime.fromMillis(0, { zone: 'UTC' });
  const internals = [sample.loc, sample.loc.dtFormatter(sample), sample.loc.numberFormatter({}), sample.loc.relFormatter({})];
  for (const internal of internals) freeze(Object.getPrototypeOf(internal));
  freeze(Object.getPrototypeOf(luxon.DateTime.invalid('x').invalid));
  Object.freeze(global);
}
