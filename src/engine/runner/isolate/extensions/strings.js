// The extension functions of strings.
__extensionPart('strings', (shared) => {
  const { tools, fail, stringToDateTime } = shared;
  const { keys: objectKeys, hasOwn } = Object;
  const { stringify, parse: parseJsonText } = JSON;

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

  return { STRING };
});
