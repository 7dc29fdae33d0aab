// n8n's expression extension functions ("data transformation functions"), run inside an execution's expression
// context. Plain JS, compiled by isolated-vm and loaded only into contexts whose expressions call one of these
// functions (the runner rewrites `x.name(args)` into `__extend(x, 'name', [args])`). Written for flowgate from
// n8n's documented behaviour: the choice of function by the value's type, the arguments, the results and the
// error messages follow n8n. Hashes, base64 and URL paths are computed by the runner (Node's own code), through
// `tools.text`; Luxon comes from the bootstrap when the context has it.
//
// The library is split by type into parts (this folder), which isolate-scripts.ts joins in a fixed order into one
// script: shared, dates, strings, values, lists, dispatch. Each part is `__extensionPart(name, (shared) => fields)`:
// it reads what the parts before it gave (`shared.tools` is the bootstrap's), and its fields are added for the
// parts after it; the last part's fields (`extend`, `extendOptional`, `tables`) are what the bootstrap gets.
//
// This first part: the helpers every other part uses.
__extensionPart('shared', (shared) => {
  const { tools } = shared;
  const { isArray } = Array;
  const { keys: objectKeys, hasOwn, defineProperty } = Object;

  const luxon = () => {
    const loaded = tools.luxon();
    if (!loaded) throw new Error('Luxon is not loaded in this context');
    return loaded;
  };
  const isDateTime = (value) => {
    const loaded = tools.luxon();
    return Boolean(loaded && value && loaded.DateTime.isDateTime(value));
  };

  class ExpressionExtensionError extends Error {
    constructor(message, description) {
      super(message);
      this.name = 'ExpressionExtensionError';
      if (description) this.description = description;
    }
  }
  // Marked for the bootstrap: these errors fail the node (other errors of an expression make its value empty).
  const fail = (message, description) => {
    throw tools.failing(new ExpressionExtensionError(message, description));
  };

  const setField = (target, key, value) => defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });

  // Deep equality for the set operations of lists: same primitives (NaN equals NaN), same dates, same lists and
  // same plain objects field by field.
  function same(a, b) {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
    if (isArray(a) !== isArray(b)) return false;
    const aKeys = objectKeys(a);
    const bKeys = objectKeys(b);
    if (aKeys.length !== bKeys.length) return false;
    for (const key of aKeys) if (!hasOwn(b, key) || !same(a[key], b[key])) return false;
    return true;
  }

  return { luxon, isDateTime, fail, setField, same };
});
