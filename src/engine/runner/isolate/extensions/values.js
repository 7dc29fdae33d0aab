// The extension functions of numbers, objects and booleans.
__extensionPart('values', (shared) => {
  const { fail, setField, numberToDateTime } = shared;
  const { keys: objectKeys, entries: objectEntries } = Object;
  const { stringify } = JSON;

  // ------------------------------------------------------------------------------------------------ numbers

  const round = (value, args) => +value.toFixed(args[0] === undefined ? 0 : args[0]);
  const NUMBER = {
    ceil: (value) => Math.ceil(value),
    floor: (value) => Math.floor(value),
    format(value, args) {
      const [locales = 'en-US', options = {}] = args;
      return new Intl.NumberFormat(locales, options).format(value);
    },
    round,
    abs: (value) => Math.abs(value),
    isInteger: (value) => Number.isInteger(value),
    isEven: (value) => (Number.isInteger(value) ? value % 2 === 0 : fail('isEven() is only callable on integers')),
    isOdd: (value) => (Number.isInteger(value) ? Math.abs(value) % 2 === 1 : fail('isOdd() is only callable on integers')),
    toBoolean: (value) => value !== 0,
    toInt: (value) => round(value, []),
    toFloat: (value) => value,
    toDateTime: numberToDateTime,
  };

  // ------------------------------------------------------------------------------------------------ objects

  const nonEmptyText = (match, message) => {
    if (typeof match !== 'string' || match === '') fail(message);
  };
  const OBJECT = {
    isEmpty: (value) => objectKeys(value).length === 0,
    isNotEmpty: (value) => objectKeys(value).length > 0,
    hasField: (value, args) => args[0] in value,
    removeField(value, args) {
      const [name] = args;
      if (!(name in value)) return value;
      const copy = { ...value };
      delete copy[name];
      return copy;
    },
    removeFieldsContaining(value, args) {
      const [match] = args;
      nonEmptyText(match, 'removeFieldsContaining(): expected non-empty string arg');
      const copy = { ...value };
      for (const [key, field] of objectEntries(value)) if (typeof field === 'string' && field.includes(match)) delete copy[key];
      return copy;
    },
    keepFieldsContaining(value, args) {
      const [match] = args;
      nonEmptyText(match, 'argument of keepFieldsContaining must be a non-empty string');
      const copy = { ...value };
      for (const [key, field] of objectEntries(value)) if (typeof field !== 'string' || !field.includes(match)) delete copy[key];
      return copy;
    },
    compact(value) {
      const out = {};
      for (const [key, field] of objectEntries(value)) {
        if (field === null || field === undefined || field === 'nil' || field === '') continue;
        if (typeof field === 'object') {
          if (objectKeys(field).length > 0) setField(out, key, OBJECT.compact(field));
        } else setField(out, key, field);
      }
      return out;
    },
    urlEncode(value) {
      // application/x-www-form-urlencoded, as URLSearchParams writes it: spaces as `+`, only `*-._` left as they are.
      const encode = (text) =>
        encodeURIComponent(String(text))
          .replace(/%20/g, '+')
          .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      return objectEntries(value)
        .map(([key, field]) => `${encode(key)}=${encode(field)}`)
        .join('&');
    },
    keys: (value) => objectKeys(value),
    values: (value) => Object.values(value),
    toJsonString: (value) => stringify(value),
    toInt: () => undefined,
    toFloat: () => undefined,
    toBoolean: () => undefined,
    toDateTime: () => undefined,
  };

  // ----------------------------------------------------------------------------------------------- booleans

  const BOOLEAN = {
    toBoolean: (value) => value,
    toInt: (value) => (value ? 1 : 0),
    toFloat: (value) => (value ? 1 : 0),
    toNumber: (value) => (value ? 1 : 0),
    toDateTime: () => undefined,
  };

  return { NUMBER, OBJECT, BOOLEAN };
});
