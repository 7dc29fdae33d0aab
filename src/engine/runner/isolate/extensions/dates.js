// The extension functions of dates (JS Dates and Luxon DateTimes), and the conversions to a DateTime that strings
// and numbers use too (`toDateTime`).
__extensionPart('dates', (shared) => {
  const { luxon, isDateTime, fail } = shared;
  const { isArray } = Array;
  const { hasOwn } = Object;

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
  const DATE_PARTS = ['day', 'week', 'month', 'year', 'hour', 'minute', 'second', 'millisecond', 'weekNumber', 'yearDayNumber', 'weekday'];

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

  return { DATE, numberToDateTime, stringToDateTime };
});
