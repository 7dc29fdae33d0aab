// The extension functions of arrays. A list's `compact` compacts the objects in it as an object's does.
__extensionPart('lists', (shared) => {
  const { fail, setField, same, OBJECT } = shared;
  const { isArray } = Array;
  const { keys: objectKeys, entries: objectEntries } = Object;
  const { stringify } = JSON;

  const numbersOnly = (list, name) => {
    if (list.some((entry) => typeof entry !== 'number')) fail(`${name}(): all array elements must be numbers`);
  };
  const sum = (list) => {
    numbersOnly(list, 'sum');
    let total = 0;
    for (const entry of list) total += entry;
    return total;
  };

  function unique(list, fields) {
    const key = (entry) => {
      if (fields.length === 0 || !entry || typeof entry !== 'object') return entry;
      const picked = {};
      for (const field of fields) setField(picked, field, entry[field]);
      return picked;
    };
    const kept = [];
    const keys = [];
    for (const entry of list) {
      const k = key(entry);
      if (!keys.some((seen) => same(seen, k))) {
        keys.push(k);
        kept.push(entry);
      }
    }
    return kept;
  }

  const listArg = (name, others) => {
    if (!isArray(others)) fail(`${name}(): expected array arg, e.g. .${name}([1, 2, 3, 4])`);
    return others;
  };
  const includesSame = (list, value) => list.some((entry) => same(entry, value));

  // Adds the fields of `other` that `base` does not have yet.
  function mergeInto(base, other) {
    if (!other) return base;
    if (typeof other !== 'object') fail('merge(): expected object arg');
    const merged = { ...base };
    for (const [key, value] of objectEntries(other)) if (!(key in merged)) setField(merged, key, value);
    return merged;
  }

  const ARRAY = {
    removeDuplicates: unique,
    unique,
    first: (list) => list[0],
    last: (list) => list[list.length - 1],
    pluck(list, fields) {
      if (fields.length === 0) return list;
      const out = [];
      for (const entry of list) {
        if (!entry || typeof entry !== 'object') continue;
        const found = [];
        for (const key of objectKeys(entry)) for (const field of fields) if (field === key) found.push(entry[key]);
        if (found.length > 0) out.push(found.length === 1 ? found[0] : found);
      }
      return out;
    },
    randomItem: (list) => (list.length ? list[Math.floor(Math.random() * list.length)] : undefined),
    sum,
    min(list) {
      numbersOnly(list, 'min');
      return Math.min(...list);
    },
    max(list) {
      numbersOnly(list, 'max');
      return Math.max(...list);
    },
    average(list) {
      numbersOnly(list, 'average');
      return list.length === 0 ? 0 : sum(list) / list.length;
    },
    isNotEmpty: (list) => list.length > 0,
    isEmpty: (list) => list.length === 0,
    compact(list) {
      const kept = list.filter((entry) => {
        if (entry && typeof entry === 'object' && objectKeys(entry).length === 0) return false;
        return entry !== null && entry !== undefined && entry !== 'nil' && entry !== '';
      });
      return kept.map((entry) => (entry !== null && typeof entry === 'object' ? OBJECT.compact(entry) : entry));
    },
    smartJoin(list, args) {
      const [keyField, valueField] = args;
      if (!keyField || !valueField || typeof keyField !== 'string' || typeof valueField !== 'string') {
        fail('smartJoin(): expected two string args, e.g. .smartJoin("name", "value")');
      }
      const out = {};
      for (const entry of list) {
        if (entry !== null && typeof entry === 'object' && keyField in entry && valueField in entry) {
          setField(out, entry[keyField], entry[valueField]);
        }
      }
      return out;
    },
    chunk(list, args) {
      const [size] = args;
      // n8n loops forever on a negative size; here that is the same error as a zero size.
      if (typeof size !== 'number' || size === 0 || !(size > 0)) fail('chunk(): expected non-zero numeric arg, e.g. .chunk(5)');
      const chunks = [];
      for (let at = 0; at < list.length; at += size) chunks.push(list.slice(at, at + size));
      return chunks;
    },
    renameKeys(list, args) {
      if (args.length === 0 || args.length % 2 !== 0) {
        fail('renameKeys(): expected an even amount of args: from1, to1 [, from2, to2, ...]. e.g. .renameKeys("name", "title")');
      }
      return list.map((entry) => {
        if (typeof entry !== 'object' || entry === null) return entry;
        const renamed = { ...entry };
        for (let i = 0; i < args.length; i += 2) {
          const [from, to] = [args[i], args[i + 1]];
          if (from in renamed) {
            setField(renamed, to, renamed[from]);
            delete renamed[from];
          }
        }
        return renamed;
      });
    },
    merge(list, args) {
      const [others] = args;
      if (others === undefined) {
        let merged = {};
        for (const entry of list) if (entry !== null && typeof entry === 'object' && !isArray(entry)) merged = mergeInto(merged, entry);
        return merged;
      }
      if (!isArray(others)) fail('merge(): expected array arg, e.g. .merge([{ id: 1, otherValue: 3 }])');
      const merged = {};
      const length = Math.max(list.length, others.length);
      for (let i = 0; i < length; i++) {
        if (list[i] !== undefined && typeof list[i] === 'object' && typeof others[i] === 'object') {
          Object.assign(merged, mergeInto(list[i], others[i]));
        }
      }
      return merged;
    },
    union(list, args) {
      const others = listArg('union', args[0]);
      const out = [...list];
      for (const entry of others) if (!includesSame(out, entry)) out.push(entry);
      return unique(out, []);
    },
    difference(list, args) {
      const others = listArg('difference', args[0]);
      return unique(
        list.filter((entry) => !includesSame(others, entry)),
        [],
      );
    },
    intersection(list, args) {
      const others = listArg('intersection', args[0]);
      const both = [...list.filter((entry) => includesSame(others, entry)), ...others.filter((entry) => includesSame(list, entry))];
      return unique(both, []);
    },
    append: (list, args) => list.concat(args),
    toJsonString: (list) => stringify(list),
    toInt: () => undefined,
    toFloat: () => undefined,
    toBoolean: () => undefined,
    toDateTime: () => undefined,
  };

  return { ARRAY };
});
