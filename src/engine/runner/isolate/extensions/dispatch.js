// The last part: which function a call means, by the value's type, and n8n's errors when there is none. Its fields
// are what the bootstrap gets.
__extensionPart('dispatch', (shared) => {
  const { isDateTime, fail, ARRAY, DATE, NUMBER, OBJECT, STRING, BOOLEAN } = shared;
  const { isArray } = Array;
  const { keys: objectKeys, hasOwn } = Object;

  // Any value, null and undefined included: empty is falsy.
  const GENERIC = { isEmpty: (value) => !value, isNotEmpty: (value) => !!value };

  // In n8n's order, which is also the order its error message lists the types in.
  const TYPES = [
    ['Array', ARRAY],
    ['Date', DATE],
    ['Number', NUMBER],
    ['Object', OBJECT],
    ['String', STRING],
    ['Boolean', BOOLEAN],
  ];

  // A string in exactly the form Date#toISOString writes (as n8n stores dates in items) counts as a date.
  const isDateString = (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && new Date(value).toISOString() === value;

  // The function `name` means for `value`: its type's extension first, then the value's own method, then a
  // function of any value. A date string calling a date function is worked on as a Date.
  function find(value, name) {
    let table;
    let self = value;
    if (isArray(value)) table = ARRAY;
    else if (typeof value === 'string' && name !== 'toDate' && name !== 'toDateTime' && isDateString(value)) {
      self = new Date(value);
      table = DATE;
    } else if (typeof value === 'string') table = STRING;
    else if (typeof value === 'number') table = NUMBER;
    else if (value instanceof Date || isDateTime(value)) table = DATE;
    else if (value !== null && typeof value === 'object') table = OBJECT;
    else if (typeof value === 'boolean') table = BOOLEAN;
    if (table && hasOwn(table, name)) return { self, fn: table[name], extension: true };
    if (self && typeof self[name] === 'function') return { self, fn: self[name], extension: false };
    if (hasOwn(GENERIC, name)) return { self, fn: GENERIC[name], extension: true };
    return undefined;
  }

  function notFound(value, name) {
    if (value === null || value === undefined) {
      fail(
        `${name} can't be used on ${String(value)} value`,
        `To ignore this error, add a ? to the variable before this function, e.g. my_var?.${name}`,
      );
    }
    const owners = TYPES.filter(([, table]) => hasOwn(table, name)).map(([type]) => `"${type}"`);
    if (owners.length === 0) fail(`Unknown expression function: ${name}`);
    if (owners.length === 1) fail(`${name}() is only callable on type ${owners[0]}`);
    const last = owners.pop();
    fail(`${name}() is only callable on types ${owners.join(', ')}, and ${last}`);
  }

  function extend(value, name, args) {
    const found = find(value, name);
    if (!found) return notFound(value, name);
    return found.extension ? found.fn(found.self, args) : found.fn.apply(found.self, args);
  }

  function extendOptional(value, name) {
    const found = find(value, name);
    if (!found) return undefined;
    if (!found.extension) return found.fn.bind(found.self);
    return (...args) => found.fn(found.self, args);
  }

  const tables = {};
  for (const [type, table] of TYPES) tables[type] = objectKeys(table);
  tables.generic = objectKeys(GENERIC);

  return { extend, extendOptional, tables };
});
