// Runs inside an execution's isolate (in a runner process, never in the server), once per context: the context
// that evaluates the execution's expressions, and a fresh one for every Code node run. Plain JS on purpose: it is
// read as text and compiled by isolated-vm. Expressions and Code build `$input`, `$('Node')`, `$node`, `$json`...
// with the same functions (variables.js); what they look up about the run comes from the one host lookup
// (data-context.ts in the runner), so both see the same items.
//
// The bootstrap is split by responsibility into parts (this folder), which isolate-scripts.ts joins in a fixed order
// into one script: shared, variables, expressions, code-node. Each part is `__bootstrapPart(name, (shared) => fields)`:
// it reads what the parts before it gave (`shared.global` is the context's global object), and its fields are added
// for the parts after it. The parts run one after the other, in strict mode (the joined script's wrapper says so), so
// the context gets the same globals in the same order as from a single file.
//
// This first part: what every other part relies on. The built-ins taken before user code runs, the state that
// changes later (Luxon, the current batch or Code run), the rule for which errors fail the node, and the host lookup.
__bootstrapPart('shared', (shared) => {
  const { global } = shared;
  // WebAssembly.Memory lives outside the isolate's heap limit (a 128 MiB isolate held 384 MiB of it): user code
  // gets no WebAssembly at all.
  delete global.WebAssembly;
  // The built-ins the bootstrap relies on, taken before any user code runs: an expression that replaces
  // Array.prototype.map or JSON.stringify changes what its own code sees, not how its results come out.
  const { isArray } = Array;
  const { keys: objectKeys, defineProperty, fromEntries } = Object;
  const { stringify } = JSON;
  const StringOf = String;
  const DateClass = Date;
  const MapClass = Map;
  const SetClass = Set;
  const isInvalidDate = (date) => Number.isNaN(DateClass.prototype.getTime.call(date));

  // What is set after the bootstrap has run, read by every part through this one object: `luxon`, handed over by
  // Luxon's script (expressions.js), and `call`, what the current batch (or Code run) is about: items copied in once,
  // metadata, and the host lookup.
  const state = { luxon: undefined, call: undefined };
  const useLuxon = () => {
    if (!state.luxon) throw new Error('Luxon is not loaded in this context');
    return state.luxon;
  };

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
      return state.call.host(kind, a, b, c, state.call.itemIndex);
    } catch (error) {
      throw fail(error);
    }
  };

  return {
    isArray,
    objectKeys,
    defineProperty,
    fromEntries,
    stringify,
    StringOf,
    DateClass,
    MapClass,
    SetClass,
    isInvalidDate,
    state,
    useLuxon,
    failing,
    fail,
    isLimit,
    host,
  };
});
