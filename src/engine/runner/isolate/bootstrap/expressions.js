// Expressions: how the code inside {{ }} is compiled (only the variables it names are built), run under n8n's
// rule for errors, and its value copied out of the isolate, and the batch calls the runner makes (__beginBatch,
// __evaluate, __evaluateAll). Separate from code-node.js, which shares only useWorkflowZone with it. The handovers
// of the extension library and of Luxon (__useExtensions, __useLuxon) are here too, between the steps that use
// them, which fixes the order every context gets its globals in: those two, the batch calls, then code-node.js's.
__bootstrapPart('expressions', (shared) => {
  const { global, isArray, objectKeys, defineProperty, fromEntries, stringify, StringOf, DateClass, MapClass, SetClass } = shared;
  const { isInvalidDate, state, failing, fail, isLimit, BUILDERS } = shared;

  // The names an expression can use; the helpers of the extension rewrite join NAME_SET below.
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
    extensions ??= make({ luxon: () => state.luxon, text: (op, value) => global.__textTool(op, value), failing: fail });
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
    const { luxon } = state;
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
    state.luxon ??= loaded;
  };

  // As in n8n, user code's Luxon works in the workflow's zone: DateTime.fromISO('2025-07-04T10:00'),
  // DateTime.local() and DateTime.now() read and show times there, not in UTC. The context belongs to one
  // execution, so its Luxon default can follow the batch in hand.
  function useWorkflowZone(meta) {
    if (!state.luxon || !meta.timezone) return;
    const { DateTime, Settings } = state.luxon;
    if (DateTime.now().setZone(meta.timezone).isValid) Settings.defaultZone = meta.timezone;
  }

  // Expressions: a batch is a node's parameters over its items. Items come in once; each expression is then one
  // call with a small argument, so the per-expression time limit applies to each.
  const beginBatch = (items, meta, hostLookup, segmentsList) => {
    state.call = { items, meta, itemIndex: 0, host: hostLookup, segmentsList };
    useWorkflowZone(meta);
  };
  global.__beginBatch = beginBatch;

  // segments: strings are literal text, [code] entries are expressions. One segment alone keeps its type.
  const evaluate = (expressionIndex, itemIndex) => {
    const segments = state.call.segmentsList[expressionIndex];
    state.call.itemIndex = itemIndex;
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

  return { useWorkflowZone };
});
