// Code nodes: the globals n8n gives a Code node's run (__codeGlobals), its console, and how its outcome leaves the
// isolate (__settle, __describeThrown). Separate from expressions.js: a Code run gets its own fresh context, and
// only this part's globals are what the runner calls in it.
__bootstrapPart('code-node', (shared) => {
  const { global, stringify, state, host, makeInput, makeNodeAccessor, nodeProxies, envDenied, BUILDERS, useWorkflowZone } = shared;

  // Code: the globals n8n gives a Code node, from the same builders.
  global.__codeGlobals = (data, meta, hostLookup, consoleSink) => {
    const { mode, items, itemIndex } = data;
    const eachItem = mode === 'runOnceForEachItem';
    state.call = { items, meta, itemIndex: eachItem ? itemIndex : 0, host: hostLookup };
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
    const current = items[state.call.itemIndex];
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
    if (state.luxon) {
      const { DateTime, Duration, Interval } = state.luxon;
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

  return {};
});
