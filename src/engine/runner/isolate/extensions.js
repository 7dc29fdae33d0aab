// n8n's expression extension functions ("data transformation functions"), run inside an execution's expression
// context. Plain JS, compiled by isolated-vm and loaded only into contexts whose expressions call one of these
// functions (the runner rewrites `x.name(args)` into `__extend(x, 'name', [args])`). Written for flowgate from
// n8n's documented behaviour: the choice of function by the value's type, the arguments, the results and the
// error messages follow n8n. Hashes, base64 and URL paths are computed by the runner (Node's own code), through
// `tools.text`; Luxon comes from the bootstrap when the context has it.
(() => {
  function makeExtensions(tools) {
    const { isArray } = Array;
    const { keys: objectKeys, entries: objectEntries, hasOwn, defineProperty } = Object;
    const { stringify, parse: parseJsonText } = JSON;

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

    // ------------------------------------------------------------------------------------------------ strings

    const CURRENCY_SYMBOLS = [
      'Lek',
      '؋',
      '$',
      'ƒ',
      '₼',
      'Br',
      'BZ$',
      '$b',
      'KM',
      'P',
      'лв',
      'R$',
      '៛',
      '¥',
      '₡',
      'kn',
      '₱',
      'Kč',
      'kr',
      'RD$',
      '£',
      '€',
      '¢',
      'Q',
      'L',
      'Ft',
      '₹',
      'Rp',
      '﷼',
      '₪',
      'J$',
      '₩',
      '₭',
      'ден',
      'RM',
      '₨',
      '₮',
      'MT',
      'C$',
      '₦',
      'B/.',
      'Gs',
      'S/.',
      'zł',
      'lei',
      '₽',
      'Дин.',
      'S',
      'R',
      'CHF',
      'NT$',
      '฿',
      'TT$',
      '₺',
      '₴',
      '$U',
      'Bs',
      '₫',
      'Z$',
    ];
    const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const CURRENCY = new RegExp(CURRENCY_SYMBOLS.map(escapeRegExp).join('|'), 'gu');
    const withoutCurrency = (value) => value.replace(CURRENCY, '');

    const DOMAIN_NAME = '(?:(?:[-\\w]+\\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})';
    const AFTER_HOST = '(?::\\d+)?(?:\\/[^\\s?]*)?(?:\\?[^\\s#]*)?(?:#\\S*)?$';
    const IS_DOMAIN = new RegExp(`^(?:www\\.)?${DOMAIN_NAME}${AFTER_HOST}`, 'i');
    const DOMAIN_IN = new RegExp(`^(?:(?:https?|ftp):\\/\\/)?(?:mailto:)?(?:\\/\\/)?((?:www\\.)?${DOMAIN_NAME})${AFTER_HOST}`, 'i');
    const URL_AT = `(?:https?|ftp):\\/\\/(?:www\\.)?${DOMAIN_NAME}\\S*`;
    const IS_URL = new RegExp(`^${URL_AT}$`, 'i');
    const URL_IN = new RegExp(URL_AT, 'i');
    const EMAIL_IN =
      /(?:[^<>()[\]\\.,;:\s@"]+(?:\.[^<>()[\]\\.,;:\s@"]+)*|".+")@(\[\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\]|(?:[a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,})/;

    const HASHES = { md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', sha3: 'sha3-512' };

    function isEmail(value) {
      // The pattern finds an address anywhere; a string with a space in it is not an address.
      return EMAIL_IN.test(value) && !value.includes(' ');
    }

    function numberToDateTime(value, args) {
      const [unit = 'ms'] = args;
      const { DateTime } = luxon();
      switch (unit) {
        case 'ms':
          return DateTime.fromMillis(value);
        case 's':
          return DateTime.fromSeconds(value);
        case 'us':
          return DateTime.fromMillis(value / 1000);
        case 'excel':
          // Days since 1900-01-00, counting Excel's phantom 1900-02-29: day 25569 is 1970-01-01.
          return DateTime.fromSeconds((value - 25569) * 86400);
        default:
          return fail(`Unsupported format '${String(unit)}'. toDateTime() supports 'ms', 's', 'us' and 'excel'.`);
      }
    }

    function parseDateTime(text) {
      const { DateTime } = luxon();
      const trimmed = String(text).trim();
      const tries = [
        () => DateTime.fromISO(trimmed, { setZone: true }),
        () => DateTime.fromHTTP(trimmed, { setZone: true }),
        () => DateTime.fromRFC2822(trimmed, { setZone: true }),
        () => DateTime.fromSQL(trimmed, { setZone: true }),
        () => DateTime.fromMillis(Date.parse(trimmed)),
      ];
      for (const attempt of tries) {
        const parsed = attempt();
        if (parsed.isValid) return parsed;
      }
      throw new Error('Value is not a valid date');
    }

    function stringToDateTime(value, args) {
      const [format] = args;
      try {
        if (format === 'ms' || format === 's' || format === 'us' || format === 'excel') return numberToDateTime(Number(value), [format]);
        if (format) return luxon().DateTime.fromFormat(value, format);
        return parseDateTime(value);
      } catch {
        return fail('cannot convert to Luxon DateTime');
      }
    }

    // Words a title keeps in lower case unless they open or close it (the rules of the `title-case` package).
    const SMALL_WORD =
      /\b(?:a|an|and|as|at|because|but|by|en|for|if|in|neither|nor|of|on|only|or|over|per|so|some|than|that|the|to|up|upon|v|vs|v\.|vs\.|versus|via|when|with|without|yet)(?![\w])/i;
    function toTitleCase(value) {
      let out = '';
      for (const match of value.matchAll(/[^\s:–—-]+|./g)) {
        const word = match[0];
        const start = match.index;
        const end = start + word.length;
        // A word with capitals inside or a dot in it (`iPhone`, `FAANG`, `n8n.io`) is written as it is.
        const asWritten = /.(?=[A-Z]|\..)/.test(word);
        const small = SMALL_WORD.test(word) && start !== 0 && end !== value.length;
        // A word right before `:` with no space after it (`https://`) is part of something else.
        const beforeColon = value.charAt(end) === ':' && !/\s/.test(value.charAt(end + 1));
        out += asWritten || small || beforeColon ? word : word.replace(/[A-Za-z0-9\u00C0-\u00FF]/, (c) => c.toUpperCase());
      }
      return out;
    }

    function toSentenceCase(value) {
      // Each sentence (ended by `.`, `!` or `?`) starts with a capital; every other letter is lowered.
      let out = '';
      let rest = value;
      for (let letter = rest.search(/\p{L}/u); letter !== -1; letter = rest.search(/\p{L}/u)) {
        rest = rest.slice(0, letter) + rest.charAt(letter).toLocaleUpperCase() + rest.slice(letter + 1).toLocaleLowerCase();
        const stop = rest.search(/[!?.]/);
        if (stop === -1) return out + rest;
        out += rest.slice(0, stop + 1);
        rest = rest.slice(stop + 1);
      }
      return out + rest;
    }

    function toSnakeCase(value) {
      return value
        .toLocaleLowerCase()
        .replace(/[ -]/g, '_')
        .replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, '');
    }

    function removeMarkdown(value) {
      return (
        value
          .replace(/^([\s\t]*)([*\-+]|\d\.)\s+/gm, '$1')
          .replace(/\n={2,}/g, '\n')
          .replace(/~~/g, '')
          .replace(/`{3}.*\n/g, '')
          .replace(/<[\w\s='"():,;/.|-]+\\?>/g, '')
          .replace(/^[=-]{2,}\s*$/g, '')
          // Footnotes, then images, then links (keeping their text).
          .replace(/\[\^.+?\](: .*?$)?/g, '')
          .replace(/\s{0,2}\[.*?\]: .*?$/g, '')
          .replace(/!\[.*?\][[(].*?[\])]/g, '')
          .replace(/\[(.*?)\][[(].*?[\])]/g, '$1')
          .replace(/>/g, '')
          .replace(/^#{1,6}\s*([^#]*)\s*(#{1,6})?/gm, '$1')
          .replace(/([*_]{1,3})(\S.*?\S)\1/g, '$2')
          .replace(/(`{3,})(.*?)\1/gm, '$2')
          .replace(/^-{3,}\s*$/g, '')
          .replace(/`(.+?)`/g, '$1')
          .replace(/\n{2,}/g, '\n\n')
      );
    }

    const LETTERS = {
      ß: 'ss',
      ẞ: 'SS',
      æ: 'ae',
      Æ: 'AE',
      œ: 'oe',
      Œ: 'OE',
      ø: 'o',
      Ø: 'O',
      đ: 'd',
      Đ: 'D',
      ð: 'd',
      Ð: 'D',
      ł: 'l',
      Ł: 'L',
      þ: 'th',
      Þ: 'TH',
      ı: 'i',
      ħ: 'h',
      Ħ: 'H',
      ŋ: 'ng',
      Ŋ: 'NG',
      ŧ: 't',
      Ŧ: 'T',
      ĸ: 'k',
      ſ: 's',
      '‘': "'",
      '’': "'",
      '‚': ',',
      '“': '"',
      '”': '"',
      '„': '"',
      '–': '-',
      '—': '-',
      '…': '...',
      '«': '<<',
      '»': '>>',
      '€': 'EUR',
      '£': 'PS',
      '©': '(c)',
      '®': '(r)',
      '™': 'TM',
      '°': 'deg',
      '×': 'x',
      '÷': '/',
      ' ': ' ',
    };
    function replaceSpecialChars(value) {
      let out = '';
      for (const char of value.normalize('NFD')) {
        if (char.charCodeAt(0) < 128) out += char;
        else if (/\p{M}/u.test(char)) continue;
        else out += hasOwn(LETTERS, char) ? LETTERS[char] : '?';
      }
      return out;
    }

    function quote(value, args) {
      const [mark = '"'] = args;
      const escaped = value.replace(/\\/g, '\\\\');
      return `${mark}${mark === '' ? escaped : escaped.split(mark).join(`\\${mark}`)}${mark}`;
    }

    function toDate(value) {
      const date = new Date(Date.parse(value));
      if (Number.isNaN(date.getTime())) fail('cannot convert to date');
      // A date without a time is that day's midnight.
      if (!value.includes(':')) date.setHours(0, 0, 0);
      return date;
    }

    function toInt(value, args) {
      const parsed = Number.parseInt(withoutCurrency(value), args[0]);
      return Number.isNaN(parsed) ? fail('cannot convert to integer') : parsed;
    }

    function toFloat(value) {
      if (value.includes(',')) fail('cannot convert to float, expected . as decimal separator');
      const parsed = Number.parseFloat(withoutCurrency(value));
      return Number.isNaN(parsed) ? fail('cannot convert to float') : parsed;
    }

    const STRING = {
      hash(value, args) {
        const algorithm = args[0] === undefined || args[0] === null ? 'md5' : String(args[0]).toLowerCase();
        if (algorithm === 'base64') return tools.text('base64Encode', value);
        if (!hasOwn(HASHES, algorithm)) {
          fail(`Unknown algorithm ${algorithm}. Available algorithms are: ${objectKeys(HASHES).join()}, and Base64.`);
        }
        return tools.text(HASHES[algorithm], value);
      },
      removeMarkdown,
      removeTags: (value) => value.replace(/<[^>]*>?/g, ''),
      toDate,
      toDateTime: stringToDateTime,
      toBoolean: (value) => value !== '' && !['false', 'no', '0'].includes(value.toLowerCase()),
      toDecimalNumber: toFloat,
      toNumber(value) {
        const parsed = Number(withoutCurrency(value));
        return Number.isNaN(parsed) ? fail('cannot convert to number') : parsed;
      },
      toFloat,
      toInt,
      toWholeNumber: toInt,
      toSentenceCase,
      toSnakeCase,
      toTitleCase,
      urlDecode: (value, args) => (args[0] ? decodeURI(value) : decodeURIComponent(value)),
      urlEncode: (value, args) => (args[0] ? encodeURI(value) : encodeURIComponent(value)),
      quote,
      replaceSpecialChars,
      length: (value) => value.length,
      isDomain: (value) => IS_DOMAIN.test(value),
      isEmail,
      isNumeric: (value) => !value.includes(' ') && !Number.isNaN(Number(value)) && !Number.isNaN(Number.parseFloat(value)),
      isUrl: (value) => IS_URL.test(value),
      isEmpty: (value) => value === '',
      isNotEmpty: (value) => value !== '',
      isBlank: (value) => value.trim() === '',
      isNotBlank: (value) => value.trim() !== '',
      toJsonString: (value) => stringify(value),
      extractEmail: (value) => EMAIL_IN.exec(value)?.[0],
      extractDomain(value) {
        if (isEmail(value)) return EMAIL_IN.exec(value)?.[1];
        return DOMAIN_IN.exec(value)?.[1];
      },
      extractUrl: (value) => URL_IN.exec(value)?.[0],
      extractUrlPath: (value) => tools.text('urlPath', value),
      parseJson(value) {
        try {
          return parseJsonText(value);
        } catch {
          return value.includes("'") ? fail("Parsing failed. Check you're using double quotes") : fail('Parsing failed');
        }
      },
      base64Encode: (value) => tools.text('base64Encode', value),
      base64Decode: (value) => tools.text('base64Decode', value),
    };

    // -------------------------------------------------------------------------------------------------- lists

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

    // -------------------------------------------------------------------------------------------------- dates

    // Units in n8n's plus/minus/isInLast (`3, 'day'` as `3, 'days'`), and in beginningOf/extract (`'days'` as `'day'`).
    const DURATION_UNITS = {
      day: 'days',
      month: 'months',
      year: 'years',
      week: 'weeks',
      hour: 'hours',
      minute: 'minutes',
      second: 'seconds',
      millisecond: 'milliseconds',
      ms: 'milliseconds',
      sec: 'seconds',
      secs: 'seconds',
      hr: 'hours',
      hrs: 'hours',
      min: 'minutes',
      mins: 'minutes',
    };
    const DATE_UNITS = {
      days: 'day',
      months: 'month',
      years: 'year',
      hours: 'hour',
      minutes: 'minute',
      seconds: 'second',
      milliseconds: 'millisecond',
      hrs: 'hour',
      hr: 'hour',
      mins: 'minute',
      min: 'minute',
      secs: 'second',
      sec: 'second',
      ms: 'millisecond',
    };
    const DIFF_UNITS = ['milliseconds', 'seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'quarters', 'years'];
    const DATE_PARTS = [
      'day',
      'week',
      'month',
      'year',
      'hour',
      'minute',
      'second',
      'millisecond',
      'weekNumber',
      'yearDayNumber',
      'weekday',
    ];

    const unitOf = (map, unit) => (hasOwn(map, unit) ? map[unit] : unit);
    const duration = (amount, unit) => ({ [unitOf(DURATION_UNITS, unit)]: amount });
    // A Date is worked on as a DateTime and given back as a Date; a DateTime stays one.
    const onDate = (date, change) => (isDateTime(date) ? change(date) : change(luxon().DateTime.fromJSDate(date)).toJSDate());
    const asDateTime = (date) => (isDateTime(date) ? date : luxon().DateTime.fromJSDate(date));

    function toDateTime(value) {
      if (isDateTime(value)) return value;
      if (typeof value === 'string') return stringToDateTime(value, []);
      return luxon().DateTime.fromJSDate(value);
    }

    function moment(value) {
      // isBetween's bounds: an ISO string, a Date or a DateTime; anything else makes the answer undefined.
      if (typeof value === 'string') {
        const converted = luxon().DateTime.fromJSDate(new Date(value));
        return converted.isValid ? converted : undefined;
      }
      if (value instanceof Date) return luxon().DateTime.fromJSDate(value);
      return isDateTime(value) ? value : undefined;
    }

    function shift(sign) {
      return (date, args) => {
        if (args.length === 1) return onDate(date, (dt) => (sign > 0 ? dt.plus(args[0]) : dt.minus(args[0])));
        const [amount = 0, unit = 'minutes'] = args;
        const change = duration(amount, unit);
        return onDate(date, (dt) => (sign > 0 ? dt.plus(change) : dt.minus(change)));
      };
    }

    function diffTo(date, args) {
      const [other, unit = 'days'] = args;
      let units = isArray(unit) ? unit : [unit];
      if (units.length === 0) units = ['days'];
      const wrong = units.find((u) => !DIFF_UNITS.includes(u) && !DATE_PARTS.includes(u));
      if (wrong !== undefined) {
        fail(`Unsupported unit '${String(wrong)}'. Supported: ${DIFF_UNITS.map((u) => `'${u}'`).join(', ')}.`);
      }
      const difference = asDateTime(date).diff(toDateTime(other), units);
      return units.length > 1 ? difference.toObject() : difference.as(units[0]);
    }

    function dayOfYear(date) {
      // Counted on the calendar of the runner's clock, as a JS Date counts it.
      const js = isDateTime(date) ? date.toJSDate() : date;
      const yearStart = new Date(js.getFullYear(), 0, 0);
      const offset = (yearStart.getTimezoneOffset() - js.getTimezoneOffset()) * 60_000;
      return Math.floor((js.getTime() - yearStart.getTime() + offset) / 86_400_000);
    }

    const DATE = {
      beginningOf: (date, args) => onDate(date, (dt) => dt.startOf(unitOf(DATE_UNITS, args[0] === undefined ? 'week' : args[0]))),
      endOfMonth: (date) => onDate(date, (dt) => dt.endOf('month')),
      extract(date, args) {
        let part = args[0] === undefined ? 'week' : args[0];
        if (part === 'yearDayNumber') return dayOfYear(date);
        if (part === 'week') part = 'weekNumber';
        return asDateTime(date).get(unitOf(DATE_UNITS, part));
      },
      isBetween(date, args) {
        if (args.length !== 2) fail('isBetween(): expected exactly two args');
        const first = moment(args[0]);
        const second = moment(args[1]);
        if (!first || !second) return undefined;
        return first > second ? second < date && date < first : second > date && date > first;
      },
      isDst: (date) => asDateTime(date).isInDST,
      isInLast(date, args) {
        const [amount = 0, unit = 'minutes'] = args;
        const { DateTime } = luxon();
        const since = DateTime.now().minus(duration(amount, unit));
        const dt = asDateTime(date);
        return since <= dt && dt <= DateTime.now();
      },
      isWeekend: (date) => [6, 7].includes(asDateTime(date).weekday),
      minus: shift(-1),
      plus: shift(1),
      format: (date, args) => asDateTime(date).toFormat(args[0], { ...(args[1] ?? {}) }),
      toDateTime,
      diffTo,
      diffToNow: (date, args) => diffTo(date, [luxon().DateTime.now(), args[0]]),
      toInt: (date) => (isDateTime(date) ? date.toMillis() : date.getTime()),
      toFloat: (date) => (isDateTime(date) ? date.toMillis() : date.getTime()),
      toBoolean: () => undefined,
      isEmpty: () => false,
      isNotEmpty: () => true,
    };

    // ----------------------------------------------------------------------------------------------- dispatch

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
  }

  __useExtensions(makeExtensions);
})();
