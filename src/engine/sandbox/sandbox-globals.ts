/**
 * JavaScript that runs inside the isolate, before the user's code, to build n8n's Code-node globals from plain
 * data. It is evaluated as a closure: `$0` is the JSON text of the call's data, `$1` the console sink (a host
 * callback taking one string, or undefined). Nothing else of the host is reachable from inside.
 *
 * It also defines SETTLE_FUNCTION, which the wrapped user code hands its promise to: the outcome comes back to
 * the host as one JSON string, `{ ok: true, value }` or `{ ok: false, error }`, so values are plain data (Luxon
 * DateTimes become ISO strings through their toJSON) and errors keep the user's message and stack.
 */

export const SETTLE_FUNCTION = '__flowgateSettle';

export const SANDBOX_GLOBALS_FILENAME = 'flowgate-globals.js';

export const SANDBOX_GLOBALS_SOURCE = `
// WebAssembly memory is allocated outside the isolate's heap limit (a Code node limited to 128 MiB held 384 MiB
// of it), so the Code node has no WebAssembly.
delete globalThis.WebAssembly;
const data = JSON.parse($0);
const consoleSink = $1;
const stringify = JSON.stringify;
const { mode, items, itemIndex, nodeOutputs, workflow, execution, timezone } = data;
const eachItem = mode === 'runOnceForEachItem';
const position = eachItem ? itemIndex : 0;

function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
}

function codeError(message, description) {
  const error = new Error(message);
  if (description) error.description = description;
  return error;
}

function onlyForAllItems(method) {
  if (eachItem) {
    throw codeError("Can't use ." + method + '() here', "This is only available in 'Run Once for All Items' mode");
  }
}

const $input = {
  all() { onlyForAllItems('all'); return items; },
  first() { onlyForAllItems('first'); return items[0]; },
  last() { onlyForAllItems('last'); return items[items.length - 1]; },
  itemMatching(index) { onlyForAllItems('itemMatching'); return items[index]; },
};
if (eachItem) $input.item = items[itemIndex];

function outputOf(name) {
  if (!Object.prototype.hasOwnProperty.call(nodeOutputs, name)) {
    throw codeError(
      "Referenced node doesn't exist or hasn't been executed yet: '" + name + "'",
      'Check the node name, and that the node runs before this one.',
    );
  }
  return nodeOutputs[name];
}

function $(name) {
  const output = outputOf(name);
  return {
    all: () => output,
    first: () => output[0],
    last: () => output[output.length - 1],
    itemMatching: (index) => output[index],
    get item() { return output[position]; },
    isExecuted: true,
  };
}

const $node = {};
for (const name of Object.keys(nodeOutputs)) {
  Object.defineProperty($node, name, {
    enumerable: true,
    get() {
      const output = nodeOutputs[name];
      const item = output[position] ?? output[0];
      return { json: item ? item.json : {}, binary: item && item.binary ? item.binary : {} };
    },
  });
}

const current = items[position];
defineGlobal('$input', $input);
defineGlobal('$', $);
defineGlobal('$node', $node);
defineGlobal('$json', current ? current.json : undefined);
defineGlobal('$binary', current && current.binary ? current.binary : {});
defineGlobal('$workflow', workflow);
defineGlobal('$execution', execution);
if (eachItem) {
  defineGlobal('item', current);
  defineGlobal('$itemIndex', itemIndex);
} else {
  defineGlobal('items', items);
}

Object.defineProperty(globalThis, '$env', {
  configurable: true,
  get() {
    throw codeError('access to env vars denied', 'Environment variables are not available to Code nodes.');
  },
});

if (typeof luxon !== 'undefined') {
  const { DateTime, Duration, Interval, Settings } = luxon;
  if (timezone && DateTime.now().setZone(timezone).isValid) Settings.defaultZone = timezone;
  const now = DateTime.now();
  defineGlobal('DateTime', DateTime);
  defineGlobal('Duration', Duration);
  defineGlobal('Interval', Interval);
  defineGlobal('$now', now);
  defineGlobal('$today', now.startOf('day'));
}

const MAX_LOG_LINES = 1000;
const MAX_LOG_LINE_LENGTH = 10000;
let logLines = 0;

function logText(value) {
  if (typeof value === 'string') return value;
  try {
    const text = stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    try { return String(value); } catch { return '[unprintable]'; }
  }
}

function log(...args) {
  if (!consoleSink || logLines >= MAX_LOG_LINES) return;
  logLines += 1;
  consoleSink(args.map(logText).join(' ').slice(0, MAX_LOG_LINE_LENGTH));
}

defineGlobal('console', { log, info: log, warn: log, error: log, debug: log, dir: log, trace: log, table: log });

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

function settle(promise) {
  return Promise.resolve(promise).then(
    (value) => {
      try {
        return stringify({ ok: true, value });
      } catch (error) {
        return stringify({ ok: false, error: describeThrown(error) });
      }
    },
    (thrown) => stringify({ ok: false, error: describeThrown(thrown) }),
  );
}

Object.defineProperty(globalThis, '${SETTLE_FUNCTION}', { value: settle });
`;

/** The user's code as an async function body whose outcome goes to SETTLE_FUNCTION; its line 1 stays line 1. */
export function wrapUserCode(code: string): string {
  return `${SETTLE_FUNCTION}((async () => {\n${code}\n})())`;
}
