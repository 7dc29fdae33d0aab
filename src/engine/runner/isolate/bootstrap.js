// Runs inside an execution's isolate (in a runner process, never in the server), once per context: the context
// that evaluates the execution's expressions, and a fresh one for every Code node run. Plain JS on purpose: it is
// read as text and compiled by isolated-vm. Expressions and Code build `$input`, `$('Node')`, `$node`, `$json`...
// with the same functions below; what they look up about the run comes from the one host lookup (data-context.ts
// in the runner), so both see the same items.
function bootstrap(global) {
  // biome-ignore lint/suspicious/noRedundantUseStrict: the isolate runs this file as a classic script, not a module.
  'use strict';
  // WebAssembly.Memory lives outside the isolate's heap limit (a 128 MiB isolate held 384 MiB of it): user code
  // gets no WebAssembly at all.
  delete global.WebAssembly;
  // The built-ins this file relies on, taken before any user code runs: an expression that replaces
  // Array.prototype.map or JSON.stringify changes what its own code sees, not how its results come out.
  const { isArray } = Array;
  const { keys: objectKeys, defineProperty, fromEntries } = Object;
  const { stringify } = JSON;
  const StringOf = String;
  const DateClass = Date;
  const MapClass = Map;
  const SetClass = Set;
  const isInvalidDate = (date) => Number.isNaN(DateClass.prototype.getTime.call(date));

  let luxon;
  const useLuxon = () => {
    if (!luxon) throw new Error('Luxon is not loaded in this context');
    return luxon;
  };

  // What the current batch (or Code run) is about: items copied in once, metadata, and the host lookup.
  let call;

  // n8n's rule for an error inside {{ }}: what n8n's own data proxy refuses (a node that does not exist or has not
  // run, $env, invalid syntax) and the runner's limits fail the node; any other error the expression's code
  // throws (a property of undefined, something that is not a function) makes that expression's value empty.
  const failing = new WeakSet();
  const fail = (error) => {
    if (error !== null && typeof error === 'object') failing.add(error);
    return error;
  };
  // Resource limits are not data problems: a stack overflow or an allocation past the limits still fails the node.
  const isLimit = (error) =>
    error instanceof RangeError &&
    /Maximum call stack size exceeded|Invalid (string|array|typed array) length|allocation failed/.test(error.message);

  const host = (kind, a, b, c) => {
    try {
      return call.host(kind, a, b, c, call.itemIndex);
    } catch (error) {
      throw fail(error);
    }
  };

  function makeInput(items) {
    return {
      all: () => items,
      first: () => items[0],
      last: () => items[items.length - 1],
      get item() {
        return items[call.itemIndex];
      },
      itemMatching: (index) => items[index],
      get params() {
        return host('parameters');
      },
      get context() {
        return {};
      },
    };
  }

  function makeNodeAccessor(name) {
    if (typeof name !== 'string') throw fail(new Error('$() needs a node name, e.g. $("Webhook")'));
    return {
      all: (branch, run) => host('node.all', name, branch, run),
      first: (branch, run) => host('node.first', name, branch, run),
      last: (branch, run) => host('node.last', name, branch, run),
      get item() {
        return host('node.item', name);
      },
      itemMatching: (index) => host('node.itemMatching', name, index),
      pairedItem: (index) => host('node.itemMatching', name, index === undefined ? call.itemIndex : index),
      get params() {
        return host('node.params', name);
      },
      // A property in n8n (`$if($("X").isExecuted, …)`), not a method.
      get isExecuted() {
        return host('node.isExecuted', name);
      },
    };
  }

  // n8n's legacy $node["Name"]: the item at the same index of the output that leads here (not paired items).
  function makeNodeProxy(name) {
    const sameIndex = () => host('node.sameIndex', name);
    return {
      get json() {
        const item = sameIndex();
        return item ? item.json : undefined;
      },
      get binary() {
        const item = sameIndex();
        return item ? item.binary : undefined;
      },
      get parameter() {
        return host('node.params', name);
      },
      get data() {
        const item = sameIndex();
        return item ? item.json : undefined;
      },
    };
  }

  const nodeProxies = () =>
    new Proxy({}, { get: (_, name) => (typeof name === 'string' ? makeNodeProxy(name) : undefined), has: () => true });

  const envDenied = () => {
    throw fail(
      Object.assign(new Error('access to env vars denied'), {
        description: 'Environment variables are not available to workflows (N8N_BLOCK_ENV_ACCESS_IN_NODE).',
      }),
    );
  };

  const now = () => useLuxon().DateTime.fromMillis(call.meta.now, { zone: call.meta.timezone });

  // Expressions build only the names they use, so `$json.x` costs no lookup.
  const BUILDERS = {
    $json: () => call.items[call.itemIndex]?.json ?? {},
    $binary: () => call.items[call.itemIndex]?.binary ?? {},
    $input: () => makeInput(call.items),
    $: () => makeNodeAccessor,
    $node: nodeProxies,
    $items: () => (name) => (name === undefined ? call.items : host('node.all', name)),
    $now: now,
    $today: () => now().startOf('day'),
    $workflow: () => call.meta.workflow,
    $execution: () => call.meta.execution,
    $vars: () => call.meta.vars,
    $env: () => (call.meta.envAllowed ? host('env') : envDenied()),
    $itemIndex: () => call.itemIndex,
    $runIndex: () => call.meta.runIndex,
    $position: () => call.itemIndex,
    $parameter: () => host('parameters'),
    $prevNode: () => host('prevNode'),
    DateTime: () => useLuxon().DateTime,
    Duration: () => useLuxon().Duration,
    Interval: () => useLuxon().Interval,
  };
  const NAMES = Object.keys(BUILDERS);
  const NAME_SET = new Set(NAMES);

  // Names an expression uses that are neither this context's globals nor n8n's variables read as undefined, as in
  // n8n (`undefinedVar + 1` is NaN, not a ReferenceError). Expressions run inside `with (FREE)`; assignments to
  // such names go nowhere.
  const FREE = new Proxy(Object.create(null), {
    has: (_, key) => typeof key === 'string' && !NAME_SET.has(key) && key !== '__scope' && !(key in global),
    get: () => undefined,
    set: () => true,
  });

  // n8n's extension functions (`$json.name.toTitleCase()`): the runner rewrites such calls into `__extend(x,
  // 'name', [args])` (extension-rewrite.ts) and loads their library (isolate/extensions/) into the context, which hands
  // itself over here. `__tmp` holds the values of an optional chain the rewrite lowered.
  let extensions;
  const useExtensions = () => {
    if (!extensions) throw new Error('The extension functions are not loaded in this context');
    return extensions;
  };
  const HELPERS = {
    __extend: () => useExtensions().extend,
    __extendOptional: () => useExtensions().extendOptional,
    __tmp: () => [],
  };
  const HELPER_NAMES = Object.keys(HELPERS);
  for (const name of HELPER_NAMES) NAME_SET.add(name);
  // Called once by the library's script. Its errors fail the node, as n8n's ExpressionExtensionError does;
  // hashes, base64 and URL paths come from the runner (`__textTool`).
  global.__useExtensions = (make) => {
    extensions ??= make({ luxon: () => luxon, text: (op, value) => global.__textTool(op, value), failing: fail });
  };

  const compiled = new Map();
  const MAX_COMPILED = 5000;

  function compile(code) {
    let entry = compiled.get(code);
    if (entry) return entry;
    const used = NAMES.filter((n) => code.includes(n));
    const helpers = code.includes('__') ? HELPER_NAMES.filter((n) => code.includes(n)) : [];
    const names = [...used, ...helpers].join(', ');
    // A new Function per distinct expression, cached: the body is the user's code, evaluated here only.
    const fn = new Function('__scope', '__free', `const { ${names} } = __scope;\nwith (__free) { return (${code}\n); }`);
    entry = { fn, used, helpers };
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(code, entry);
    return entry;
  }

  // Values leave the isolate by copy: dates become ISO strings (as n8n prints them), functions vanish.
  function toPlain(value, depth) {
    if (value === null || value === undefined) return value;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return value;
    if (type === 'bigint') return StringOf(value);
    if (type === 'function' || type === 'symbol') return undefined;
    if (luxon) {
      if (luxon.DateTime.isDateTime(value) || luxon.Duration.isDuration(value) || luxon.Interval.isInterval(value)) return value.toISO();
    }
    if (value instanceof DateClass) return isInvalidDate(value) ? null : DateClass.prototype.toISOString.call(value);
    if (depth > 64) throw new Error('expression result is nested too deeply');
    if (isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i++) out[i] = toPlain(value[i], depth + 1);
      return out;
    }
    if (value instanceof MapClass) return toPlain(fromEntries(value), depth + 1);
    if (value instanceof SetClass) return toPlain([...value], depth + 1);
    const out = {};
    const names = objectKeys(value);
    for (let i = 0; i < names.length; i++) {
      const v = toPlain(value[names[i]], depth + 1);
      if (v !== undefined) defineProperty(out, names[i], { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  function toText(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') {
      // Dates come out of toPlain as ISO strings: they go into the text as they are, not JSON-quoted.
      const plain = toPlain(value, 0);
      return typeof plain === 'string' ? plain : stringify(plain);
    }
    return StringOf(value);
  }

  function run(code) {
    let entry;
    try {
      entry = compile(code);
    } catch (error) {
      throw fail(error instanceof SyntaxError ? new Error('invalid syntax') : error);
    }
    const scope = {};
    for (const name of entry.used) scope[name] = BUILDERS[name]();
    for (const name of entry.helpers) scope[name] = HELPERS[name]();
    try {
      return entry.fn(scope, FREE);
    } catch (error) {
      if (failing.has(error) || isLimit(error)) throw error;
      return undefined;
    }
  }

  // Called once by Luxon's (wrapped) script; later calls cannot swap it.
  global.__useLuxon = (loaded) => {
    luxon ??= loaded;
  };

  // As in n8n, user code's Luxon works in the workflow's zone: DateTime.fromISO('2025-07-04T10:00'),
  // DateTime.local() and DateTime.now() read and show times there, not in UTC. The context belongs to one
  // execution, so its Luxon default can follow the batch in hand.
  function useWorkflowZone(meta) {
    if (!luxon || !meta.timezone) return;
    const { DateTime, Settings } = luxon;
    if (DateTime.now().setZone(meta.timezone).isValid) Settings.defaultZone = meta.timezone;
  }

  // Expressions: a batch is a node's parameters over its items. Items come in once; each expression is then one
  // call with a small argument, so the per-expression time limit applies to each.
  const beginBatch = (items, meta, hostLookup, segmentsList) => {
    call = { items, meta, itemIndex: 0, host: hostLookup, segmentsList };
    useWorkflowZone(meta);
  };
  global.__beginBatch = beginBatch;

  // segments: strings are literal text, [code] entries are expressions. One segment alone keeps its type.
  const evaluate = (expressionIndex, itemIndex) => {
    const segments = call.segmentsList[expressionIndex];
    call.itemIndex = itemIndex;
    if (segments.length === 1 && typeof segments[0] !== 'string') return toPlain(run(segments[0][0]), 0);
    let text = '';
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      text += typeof segment === 'string' ? segment : toText(run(segment[0]));
    }
    return text;
  };
  global.__evaluate = evaluate;

  // The whole batch in one call, each expression's error kept as its outcome: the common case of fast expressions
  // then costs one crossing. The runner falls back to one call per expression when this one runs out of time.
  global.__evaluateAll = (items, meta, hostLookup, segmentsList, itemCount) => {
    beginBatch(items, meta, hostLookup, segmentsList);
    const results = [];
    for (let index = 0; index < segmentsList.length; index++) results[index] = [];
    for (let item = 0; item < itemCount; item++) {
      for (let index = 0; index < segmentsList.length; index++) {
        try {
          results[index][item] = { ok: true, value: evaluate(index, item) };
        } catch (error) {
          results[index][item] = { ok: false, error: error instanceof Error ? StringOf(error.message) : StringOf(error) };
        }
      }
    }
    return results;
  };

  // Code: the globals n8n gives a Code node, from the same builders.
  global.__codeGlobals = (data, meta, hostLookup, consoleSink) => {
    const { mode, items, itemIndex } = data;
    const eachItem = mode === 'runOnceForEachItem';
    call = { items, meta, itemIndex: eachItem ? itemIndex : 0, host: hostLookup };
    const define = (name, value) => Object.defineProperty(global, name, { value, writable: true, configurable: true });
    const input = makeInput(items);
    // n8n's Code node refuses the whole-input methods while it runs once per item.
    const forAllItems =
      (method) =>
      (...args) => {
        if (eachItem) {
          throw Object.assign(new Error(`Can't use .${method}() here`), {
            description: "This is only available in 'Run Once for All Items' mode",
          });
        }
        return input[method](...args);
      };
    define('$input', {
      all: forAllItems('all'),
      first: forAllItems('first'),
      last: forAllItems('last'),
      itemMatching: forAllItems('itemMatching'),
      ...(eachItem ? { item: items[itemIndex] } : {}),
      get params() {
        return host('parameters');
      },
    });
    define('$', makeNodeAccessor);
    define('$node', nodeProxies());
    define('$items', BUILDERS.$items());
    const current = items[call.itemIndex];
    define('$json', current ? current.json : undefined);
    define('$binary', current?.binary ?? {});
    define('$workflow', meta.workflow);
    define('$execution', meta.execution);
    define('$vars', meta.vars);
    define('$runIndex', meta.runIndex);
    define('$prevNode', host('prevNode'));
    if (eachItem) {
      define('item', current);
      define('$itemIndex', itemIndex);
    } else {
      define('items', items);
    }
    Object.defineProperty(global, '$env', {
      configurable: true,
      get: () => (meta.envAllowed ? host('env') : envDenied()),
    });
    if (luxon) {
      const { DateTime, Duration, Interval } = luxon;
      useWorkflowZone(meta);
      const nowTime = DateTime.fromMillis(meta.now, { zone: meta.timezone });
      define('DateTime', DateTime);
      define('Duration', Duration);
      define('Interval', Interval);
      define('$now', nowTime);
      define('$today', nowTime.startOf('day'));
    }
    defineConsole(define, consoleSink);
  };

  const MAX_LOG_LINES = 1000;
  const MAX_LOG_LINE_LENGTH = 10000;

  function defineConsole(define, consoleSink) {
    let lines = 0;
    const logText = (value) => {
      if (typeof value === 'string') return value;
      try {
        const text = stringify(value);
        return text === undefined ? String(value) : text;
      } catch {
        try {
          return String(value);
        } catch {
          return '[unprintable]';
        }
      }
    };
    const log = (...args) => {
      if (!consoleSink || lines >= MAX_LOG_LINES) return;
      lines += 1;
      consoleSink(args.map(logText).join(' ').slice(0, MAX_LOG_LINE_LENGTH));
    };
    define('console', { log, info: log, warn: log, error: log, debug: log, dir: log, trace: log, table: log });
  }

  function describeThrown(thrown) {
    try {
      if (thrown instanceof Error) {
        return {
          name: String(thrown.name),
          message: String(thrown.message),
          stack: String(thrown.stack ?? ''),
          description: typeof thrown.description === 'string' ? thrown.description : undefined,
        };
      }
      if (thrown !== null && typeof thrown === 'object') return { message: stringify(thrown) };
      return { message: String(thrown) };
    } catch {
      return { message: 'Unknown error' };
    }
  }

  // The Code node's outcome leaves as one JSON string: values are plain data (Luxon DateTimes become ISO strings
  // through their toJSON) and errors keep the user's message and stack.
  global.__settle = (promise) =>
    Promise.resolve(promise).then(
      (value) => {
        try {
          return stringify({ ok: true, value });
        } catch (error) {
          return stringify({ ok: false, error: describeThrown(error) });
        }
      },
      (thrown) => stringify({ ok: false, error: describeThrown(thrown) }),
    );
  global.__describeThrown = describeThrown;
}
bootstrap(globalThis);
