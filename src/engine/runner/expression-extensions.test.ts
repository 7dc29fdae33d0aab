import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.ts';
import type { ExpressionOutcome } from './protocol.ts';
import { createTestUserCode, evaluateForOneItem } from './test-user-code.ts';

/**
 * n8n's extension functions ("data transformation functions") through the real expression path: the runner's
 * rewrite, the isolate's library, and results copied out as values leave user code. The expected values are the
 * examples and rules of n8n's documentation (docs.n8n.io, "Data transformation functions") and the messages n8n
 * gives; a Luxon DateTime leaves as its ISO text, a JS Date as its ISO string.
 */
const userCode = createTestUserCode({ expressionTimeoutMs: 2000, memoryLimitMb: 64, codeTimeoutMs: 5000 });
afterAll(() => userCode.pool.close(0));

const JSON_ITEM: JsonObject = { name: 'ada lovelace', n: 21, list: [3, 1, 2], person: { name: 'Mr Nathan', age: 42 } };

type Expected = unknown | { error: string } | { close: number };
type Row = [code: string, expected: Expected];

let executions = 0;

/** Every row's expression in one task (one batch for a node's parameters), in the UTC zone. */
async function evaluateAll(codes: string[]): Promise<ExpressionOutcome[]> {
  const executionId = `extensions-${++executions}`;
  try {
    return await evaluateForOneItem(userCode, executionId, JSON_ITEM, codes);
  } finally {
    userCode.release(executionId);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** One test per row; the rows of a table are evaluated together. */
function table(name: string, rows: Row[]) {
  describe(name, () => {
    let outcomes: Promise<ExpressionOutcome[]> | undefined;
    const outcome = async (index: number) => {
      outcomes ??= evaluateAll(rows.map(([code]) => code));
      return (await outcomes)[index]!;
    };
    it.each(rows.map((row, index) => [row[0], row[1], index] as const))('%s', async (_code, expected, index) => {
      const result = await outcome(index);
      if (isObject(expected) && 'error' in expected) {
        expect(result).toEqual({ ok: false, error: expected.error });
      } else if (isObject(expected) && 'close' in expected) {
        expect(result.ok).toBe(true);
        expect((result as { value: number }).value).toBeCloseTo(expected.close as number, 3);
      } else {
        expect(result).toEqual({ ok: true, value: expected });
      }
    });
  });
}

const onlyOn = (name: string, type: string) => ({ error: `${name}() is only callable on type "${type}"` });

table('string functions', [
  ['"quick brown fox".toTitleCase()', 'Quick Brown Fox'],
  ['"the lord of the rings".toTitleCase()', 'The Lord of the Rings'],
  ['"iPhone and FAANG stay".toTitleCase()', 'iPhone and FAANG Stay'],
  ['$json.name.toTitleCase()', 'Ada Lovelace'],
  ['"quick! brown FOX".toSentenceCase()', 'Quick! Brown fox'],
  ['"quick brown $FOX".toSnakeCase()', 'quick_brown_fox'],
  ['"name=Nathan Automat".urlEncode()', 'name%3DNathan%20Automat'],
  ['"name=Nathan Automat".urlEncode(true)', 'name=Nathan%20Automat'],
  ['"name%3DNathan%20Automat".urlDecode()', 'name=Nathan Automat'],
  ['"name%3DNathan%20Automat".urlDecode(true)', 'name%3DNathan Automat'],
  ['"hello".hash()', '5d41402abc4b2a76b9719d911017c592'],
  ['"hello".hash("sha256")', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  ['"hello".hash("SHA1")', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
  ['"hello".hash("base64")', 'aGVsbG8='],
  [
    '"hello".hash("crc32")',
    { error: 'Unknown algorithm crc32. Available algorithms are: md5,sha1,sha224,sha256,sha384,sha512,sha3, and Base64.' },
  ],
  ['"hello".base64Encode()', 'aGVsbG8='],
  ['"aGVsbG8=".base64Decode()', 'hello'],
  ['"déjà".base64Encode().base64Decode()', 'déjà'],
  [`'Nathan says "hi"'.quote()`, '"Nathan says \\"hi\\""'],
  [`"it's".quote("'")`, "'it\\'s'"],
  ['"<b>bold</b>, <a>link</a>".removeTags()', 'bold, link'],
  ['"*bold*, [link]()".removeMarkdown()', 'bold, link'],
  ['"# Title\\n\\n**strong** `code`".removeMarkdown()', 'Title\n\nstrong code'],
  ['"".isEmpty()', true],
  ['"hello".isEmpty()', false],
  ['"hello".isNotEmpty()', true],
  ['"".isNotEmpty()', false],
  ['"   ".isBlank()', true],
  ['"  hello  ".isBlank()', false],
  ['"  hello  ".isNotBlank()', true],
  ['"123".toNumber()', 123],
  ['"1.23E10".toNumber()', 12300000000],
  ['"€12.5".toNumber()', 12.5],
  ['"abc".toNumber()', { error: 'cannot convert to number' }],
  ['"42.7".toInt()', 42],
  ['"ff".toInt(16)', 255],
  ['"42.7".toWholeNumber()', 42],
  ['"x".toInt()', { error: 'cannot convert to integer' }],
  ['"3.5".toFloat()', 3.5],
  ['"3.5".toDecimalNumber()', 3.5],
  ['"3,5".toFloat()', { error: 'cannot convert to float, expected . as decimal separator' }],
  ['"true".toBoolean()', true],
  ['"false".toBoolean()', false],
  ['"0".toBoolean()', false],
  ['"NO".toBoolean()', false],
  ['"hello".toBoolean()', true],
  ['"".toBoolean()', false],
  ['"me@example.com".extractDomain()', 'example.com'],
  ['"http://n8n.io/workflows".extractDomain()', 'n8n.io'],
  [`"It's me@example.com".extractEmail().extractDomain()`, 'example.com'],
  ['"hello".extractDomain()', undefined],
  ['"My email is me@example.com".extractEmail()', 'me@example.com'],
  ['"no address".extractEmail()', undefined],
  ['"Check out http://n8n.io".extractUrl()', 'http://n8n.io'],
  ['"no link".extractUrl()', undefined],
  ['"http://n8n.io/workflows".extractUrlPath()', '/workflows'],
  ['"Check out http://n8n.io/workflows".extractUrl().extractUrlPath()', '/workflows'],
  ['"not a url".extractUrlPath()', undefined],
  ['"me@example.com".isEmail()', true],
  [`"It's me@example.com".isEmail()`, false],
  ['"hello".isEmail()', false],
  ['"https://n8n.io".isUrl()', true],
  ['"n8n.io".isUrl()', false],
  ['"hello".isUrl()', false],
  ['"n8n.io".isDomain()', true],
  ['"http://n8n.io".isDomain()', false],
  ['"hello".isDomain()', false],
  ['"1.2234".isNumeric()', true],
  ['"123E23".isNumeric()', true],
  ['"hello".isNumeric()', false],
  ['"1 2".isNumeric()', false],
  ['"déjà".replaceSpecialChars()', 'deja'],
  [`'{"name":"Nathan"}'.parseJson()`, { name: 'Nathan' }],
  [`"{'name':'Nathan'}".parseJson()`, { error: "Parsing failed. Check you're using double quotes" }],
  ['"hello".parseJson()', { error: 'Parsing failed' }],
  ['"foo".toJsonString()', '"foo"'],
  ['"abc".length()', 3],
  ['"2024-03-29T18:06:31.798+01:00".toDateTime()', '2024-03-29T18:06:31.798+01:00'],
  ['"31-01-2024".toDateTime("dd-MM-yyyy").toISODate()', '2024-01-31'],
  ['"1711732132990".toDateTime("ms").toMillis()', 1711732132990],
  ['"Fri, 29 Mar 2024 18:08:01 +0100".toDateTime().toMillis()', Date.UTC(2024, 2, 29, 17, 8, 1)],
  ['"garbage".toDateTime()', { error: 'cannot convert to Luxon DateTime' }],
  ['"2024-01-15T10:00:00Z".toDate().getTime()', Date.UTC(2024, 0, 15, 10)],
  ['"nope".toDate()', { error: 'cannot convert to date' }],
]);

table('array functions', [
  ['[12, 1, 5].average()', 6],
  ['[].average()', 0],
  ['[1, "a"].average()', { error: 'average(): all array elements must be numbers' }],
  ['[2, null, 1, ""].compact()', [2, 1]],
  ['[{}, { a: null, b: 1 }, "nil", undefined].compact()', [{ b: 1 }]],
  ['[].isEmpty()', true],
  ['["quick", "brown", "fox"].isEmpty()', false],
  ['["quick", "brown", "fox"].isNotEmpty()', true],
  ['[].isNotEmpty()', false],
  ['["quick", "brown", "fox"].first()', 'quick'],
  ['["quick", "brown", "fox"].last()', 'fox'],
  ['[].first()', undefined],
  ['[1, 12, 5].max()', 12],
  ['[12, 1, 5].min()', 1],
  ['[1, "2"].max()', { error: 'max(): all array elements must be numbers' }],
  ['[1, null].min()', { error: 'min(): all array elements must be numbers' }],
  ['["only"].randomItem()', 'only'],
  ['[].randomItem()', undefined],
  ['[12, 1, 5].sum()', 18],
  ['[].sum()', 0],
  ['["1"].sum()', { error: 'sum(): all array elements must be numbers' }],
  [
    '[1, 2, 3, 4, 5, 6].chunk(2)',
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
  ],
  ['[1, 2, 3].chunk(2)', [[1, 2], [3]]],
  ['[1].chunk(0)', { error: 'chunk(): expected non-zero numeric arg, e.g. .chunk(5)' }],
  ['[1, 2, 3].difference([2, 3])', [1]],
  ['[1, 1, 2].difference([])', [1, 2]],
  ['[1].difference("x")', { error: 'difference(): expected array arg, e.g. .difference([1, 2, 3, 4])' }],
  ['[1, 2].intersection([2, 3])', [2]],
  ['[{ a: 1 }, { b: 2 }].intersection([{ a: 1 }])', [{ a: 1 }]],
  ['[1].intersection()', { error: 'intersection(): expected array arg, e.g. .intersection([1, 2, 3, 4])' }],
  ['[1, 2].union([2, 3])', [1, 2, 3]],
  ['[1].union(5)', { error: 'union(): expected array arg, e.g. .union([1, 2, 3, 4])' }],
  [
    "[{ name: 'Nathan' }, { age: 42 }].merge([{ city: 'Berlin' }, { country: 'Germany' }])",
    { name: 'Nathan', age: 42, city: 'Berlin', country: 'Germany' },
  ],
  ['[{ a: 1 }, { b: 2 }, { a: 3 }, 5].merge()', { a: 1, b: 2 }],
  ['[{ a: 1 }].merge("x")', { error: 'merge(): expected array arg, e.g. .merge([{ id: 1, otherValue: 3 }])' }],
  ["[{ name: 'Nathan', age: 42 }, { name: 'Jan', city: 'Berlin' }].pluck('name')", ['Nathan', 'Jan']],
  ["[{ name: 'Nathan', age: 42 }, { name: 'Jan', city: 'Berlin' }].pluck('age')", [42]],
  ["[{ name: 'Nathan', age: 42 }, { name: 'Jan', city: 'Berlin' }, 7].pluck('name', 'age')", [['Nathan', 42], 'Jan']],
  ['[1, 2].pluck()', [1, 2]],
  ["[{ name: 'bob' }, { name: 'meg' }, 3].renameKeys('name', 'x')", [{ x: 'bob' }, { x: 'meg' }, 3]],
  [
    "[{ name: 'bob' }].renameKeys('name')",
    { error: 'renameKeys(): expected an even amount of args: from1, to1 [, from2, to2, ...]. e.g. .renameKeys("name", "title")' },
  ],
  ["[{ field: 'age', value: 2 }, { field: 'city', value: 'Berlin' }].smartJoin('field', 'value')", { age: 2, city: 'Berlin' }],
  ["[{ field: 'age' }].smartJoin('field')", { error: 'smartJoin(): expected two string args, e.g. .smartJoin("name", "value")' }],
  ["['quick', 'brown', 'quick'].unique()", ['quick', 'brown']],
  ['[{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 2 }].unique("a")', [{ a: 1, b: 2 }, { a: 2 }]],
  ['[{ a: 1 }, { a: 1 }, [1], [1]].removeDuplicates()', [{ a: 1 }, [1]]],
  ["['forget', 'me'].append('not')", ['forget', 'me', 'not']],
  ['[9, 0, 2].append(1, 0)', [9, 0, 2, 1, 0]],
  ['[1, "a"].toJsonString()', '[1,"a"]'],
  ['[1].toInt()', undefined],
  ['[1].toFloat()', undefined],
  ['[1].toBoolean()', undefined],
  ['[1].toDateTime()', undefined],
  ['$json.list.sum()', 6],
  ['$json.list.first()', 3],
  ['$input.all().first().json.n', 21],
  ['[5, 6].keys().next().value', 0],
  ['({ a: 1 }).sum()', onlyOn('sum', 'Array')],
  ['$json.missing.first()', { error: "first can't be used on undefined value" }],
]);

table('number functions', [
  ['(1.234).ceil()', 2],
  ['(1.234).floor()', 1],
  ['(-1.7).abs()', 1.7],
  ["(123456.789).format('de-DE')", '123.456,789'],
  ["(123456.789).format('de-DE', { style: 'currency', currency: 'EUR' })", '123.456,79\u00a0€'],
  ['(1234.5).format()', '1,234.5'],
  ['(33).isEven()', false],
  ['(42).isEven()', true],
  ['(33).isOdd()', true],
  ['(-3).isOdd()', true],
  ['(42).isOdd()', false],
  ['(1.5).isEven()', { error: 'isEven() is only callable on integers' }],
  ['(1.5).isOdd()', { error: 'isOdd() is only callable on integers' }],
  ['(4).isInteger()', true],
  ['(4.12).isInteger()', false],
  ['(-4).isInteger()', true],
  ['(1.256).round()', 1],
  ['(1.256).round(1)', 1.3],
  ['(1.256).round(2)', 1.26],
  ['(12).toBoolean()', true],
  ['(0).toBoolean()', false],
  ['(-1.3).toBoolean()', true],
  ['(3.7).toInt()', 4],
  ['(3.7).toFloat()', 3.7],
  ["(1708695471).toDateTime('s').toMillis()", 1708695471000],
  ["(1708695471000).toDateTime('ms').toMillis()", 1708695471000],
  ['(1708695471000).toDateTime().toMillis()', 1708695471000],
  ["(1708695471000000).toDateTime('us').toMillis()", 1708695471000],
  ["(45345).toDateTime('excel')", '2024-02-23T00:00:00.000Z'],
  ["(1).toDateTime('days')", { error: "Unsupported format 'days'. toDateTime() supports 'ms', 's', 'us' and 'excel'." }],
  ['(5).isEmpty()', false],
  ['(0).isEmpty()', true],
  ['(5).isNotEmpty()', true],
  ['$json.n.isOdd()', true],
  ['(5).keys()', onlyOn('keys', 'Object')],
  ['"abc".round()', onlyOn('round', 'Number')],
  ['$json.name.format()', { error: 'format() is only callable on types "Date", and "Number"' }],
]);

table('object functions', [
  ["({ name: 'Nathan' }).isEmpty()", false],
  ['({}).isEmpty()', true],
  ["({ name: 'Nathan' }).isNotEmpty()", true],
  ['({}).isNotEmpty()', false],
  ["({ x: null, y: 2, z: '' }).compact()", { y: 2 }],
  // A nested object is dropped when it has no fields before its own compaction, as in n8n.
  ["({ a: { b: null }, c: { d: 'nil', e: 1 }, f: 'nil', g: {} }).compact()", { a: {}, c: { e: 1 } }],
  ["({ name: 'Mr Nathan', city: 'hanoi' }).urlEncode()", 'name=Mr+Nathan&city=hanoi'],
  ["({ q: 'a&b=c!' }).urlEncode()", 'q=a%26b%3Dc%21'],
  ["({ name: 'Nathan', age: 42 }).hasField('name')", true],
  ["({ name: 'Nathan', age: 42 }).hasField('Name')", false],
  ["({ name: 'Nathan', city: 'hanoi' }).removeField('name')", { city: 'hanoi' }],
  ["({ name: 'Nathan' }).removeField('other')", { name: 'Nathan' }],
  ["({ name: 'Mr Nathan', city: 'hanoi', age: 42 }).removeFieldsContaining('Nathan')", { city: 'hanoi', age: 42 }],
  ["({ name: 'Mr Nathan', city: 'hanoi', age: 42 }).removeFieldsContaining('nathan')", { name: 'Mr Nathan', city: 'hanoi', age: 42 }],
  ["({ a: 'x' }).removeFieldsContaining('')", { error: 'removeFieldsContaining(): expected non-empty string arg' }],
  ["({ name: 'Mr Nathan', city: 'hanoi', age: 42 }).keepFieldsContaining('Nathan')", { name: 'Mr Nathan' }],
  ["({ name: 'Mr Nathan', city: 'hanoi', age: 42 }).keepFieldsContaining('nathan')", {}],
  ["({ name: 'Mr Nathan', city: 'hanoi', age: 42 }).keepFieldsContaining('han')", { name: 'Mr Nathan', city: 'hanoi' }],
  ["({ a: 'x' }).keepFieldsContaining(5)", { error: 'argument of keepFieldsContaining must be a non-empty string' }],
  ["({ name: 'Mr Nathan', age: 42 }).keys()", ['name', 'age']],
  ["({ name: 'Mr Nathan', age: 42 }).values()", ['Mr Nathan', 42]],
  ["({ name: 'Mr Nathan', age: 42 }).toJsonString()", '{"name":"Mr Nathan","age":42}'],
  ['$json.person.keys()', ['name', 'age']],
  ['({ a: 1 }).toInt()', undefined],
  ['({ a: 1 }).toFloat()', undefined],
  ['({ a: 1 }).toBoolean()', undefined],
  ['({ a: 1 }).toDateTime()', undefined],
  ['({ a: 1 }).toTitleCase()', onlyOn('toTitleCase', 'String')],
  ['null.keys()', { error: "keys can't be used on null value" }],
]);

table('boolean functions', [
  ['true.toNumber()', 1],
  ['false.toNumber()', 0],
  ['true.toInt()', 1],
  ['false.toFloat()', 0],
  ['true.toBoolean()', true],
  ['true.toDateTime()', undefined],
  ['false.isEmpty()', true],
  ['true.isNotEmpty()', true],
  ['true.toTitleCase()', onlyOn('toTitleCase', 'String')],
]);

const dt = (iso: string) => `DateTime.fromISO('${iso}')`;

table('date functions', [
  ["DateTime.fromISO('2024-01-01').plus(3, 'days').toISODate()", '2024-01-04'],
  ["DateTime.fromISO('2024-01-01').plus(3, 'days')", '2024-01-04T00:00:00.000Z'],
  ["DateTime.fromISO('2024-01-01').plus({ days: 3 }).toISODate()", '2024-01-04'],
  [`${dt('2024-03-30T18:49')}.plus(7, 'days')`, '2024-04-06T18:49:00.000Z'],
  [`${dt('2024-03-30T18:49')}.plus(4, 'years')`, '2028-03-30T18:49:00.000Z'],
  [`${dt('2024-03-30T18:49')}.plus(1, 'day')`, '2024-03-31T18:49:00.000Z'],
  [`${dt('2024-03-30T18:49')}.plus(5)`, '2024-03-30T18:49:00.005Z'],
  [`${dt('2024-03-30T18:49')}.plus(2, 'hrs')`, '2024-03-30T20:49:00.000Z'],
  [`${dt('2024-03-30T18:49')}.minus(7, 'days')`, '2024-03-23T18:49:00.000Z'],
  [`${dt('2024-03-30T18:49')}.minus(4, 'years')`, '2020-03-30T18:49:00.000Z'],
  [`${dt('2024-03-30T18:49')}.minus(30, 'min')`, '2024-03-30T18:19:00.000Z'],
  ["'2024-04-30T18:49'.toDateTime().format('dd/LL/yyyy')", '30/04/2024'],
  ["'2024-04-30T18:49'.toDateTime().format('dd LLL yy')", '30 Apr 24'],
  ["'2024-04-30T18:49'.toDateTime().setLocale('fr').format('dd LLL yyyy')", '30 avr. 2024'],
  [`'2024-04-30T18:49'.toDateTime().format("HH 'hours and' mm 'minutes'")`, '18 hours and 49 minutes'],
  ["'2024-03-30T18:49'.toDateTime().extract('month')", 3],
  ["'2024-03-30T18:49'.toDateTime().extract('hour')", 18],
  ["'2024-03-30T18:49'.toDateTime().extract()", 13],
  ["'2024-03-30T18:49'.toDateTime().extract('years')", 2024],
  ["'2024-03-30T18:49'.toDateTime().extract('yearDayNumber')", 90],
  [`${dt('2024-03-30T18:49')}.beginningOf('month')`, '2024-03-01T00:00:00.000Z'],
  [`${dt('2024-03-30T18:49')}.beginningOf()`, '2024-03-25T00:00:00.000Z'],
  [`${dt('2024-03-30T18:49')}.beginningOf('hours')`, '2024-03-30T18:00:00.000Z'],
  [`${dt('2024-03-30T18:49')}.endOfMonth()`, '2024-03-31T23:59:59.999Z'],
  ["'2024-03-30T18:49'.toDateTime().isBetween('2020-06-01', '2025-06-01')", true],
  ["'2024-03-30T18:49'.toDateTime().isBetween('2020', '2025')", true],
  ["'2024-03-30T18:49'.toDateTime().isBetween('2025', '2020')", true],
  ["'2024-03-30T18:49'.toDateTime().isBetween('2025', '2026')", false],
  ["'2024-03-30T18:49'.toDateTime().isBetween('2020', 5)", undefined],
  ["'2024-03-30T18:49'.toDateTime().isBetween('2020')", { error: 'isBetween(): expected exactly two args' }],
  [`${dt('2024-03-30')}.isWeekend()`, true],
  [`${dt('2024-03-27')}.isWeekend()`, false],
  [`${dt('2024-03-30')}.isDst()`, false],
  ["DateTime.now().minus(1, 'hours').isInLast(2, 'hours')", true],
  ["DateTime.now().minus(3, 'days').isInLast(2, 'days')", false],
  ["'2025-01-01'.toDateTime().diffTo('2024-03-30T18:49:07.234', 'days')", { close: 276.2159 }],
  ["'2025-01-01T00:00:00.000'.toDateTime().diffTo('2024-03-30T18:49:07.234'.toDateTime(), ['months', 'days']).months", 9],
  ["'2025-01-01T00:00:00.000'.toDateTime().diffTo('2024-03-30T18:49:07.234'.toDateTime(), ['months', 'days']).days", { close: 1.2159 }],
  [`${dt('2024-01-02')}.diffTo('2024-01-01')`, 1],
  [
    `${dt('2024-01-02')}.diffTo('2024-01-01', 'fortnights')`,
    {
      error:
        "Unsupported unit 'fortnights'. Supported: 'milliseconds', 'seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'quarters', 'years'.",
    },
  ],
  ["Math.round(DateTime.now().minus(2, 'days').diffToNow('days'))", -2],
  ['DateTime.fromMillis(5).toInt()', 5],
  ['DateTime.fromMillis(5).toFloat()', 5],
  ['new Date(7).toInt()', 7],
  ['new Date(0).toDateTime().toMillis()', 0],
  ["new Date('2024-03-30T18:49:00.000Z').plus(1, 'days')", '2024-03-31T18:49:00.000Z'],
  ["new Date('2024-03-30T18:49:00.000Z').beginningOf('day')", '2024-03-30T00:00:00.000Z'],
  [`${dt('2024-03-30')}.toDateTime().toISODate()`, '2024-03-30'],
  [`${dt('2024-03-30')}.toBoolean()`, undefined],
  [`${dt('2024-03-30')}.isEmpty()`, false],
  [`${dt('2024-03-30')}.isNotEmpty()`, true],
  ['$json.missing.isEmpty()', true],
  ['$json.missing.isNotEmpty()', false],
  ['null.isEmpty()', true],
  // A string in Date#toISOString's form is a date to the date functions (and to nothing else).
  ["'2024-03-30T18:49:00.000Z'.plus(7, 'days')", '2024-04-06T18:49:00.000Z'],
  ["'2024-03-30T18:49:00.000Z'.format('yyyy')", '2024'],
  ["'2024-03-30T18:49:00.000Z'.isEmpty()", false],
  ["'2024-03-30T18:49:00.000Z'.toDateTime().year", 2024],
  ["'2024-03-30T18:49:00.000Z'.toTitleCase()", onlyOn('toTitleCase', 'String')],
  ["'2024-03-30'.plus(1, 'days')", onlyOn('plus', 'Date')],
  ['DateTime.now().toTitleCase()', onlyOn('toTitleCase', 'String')],
]);

table('calls through optional chains and chains of calls', [
  ['$json.missing?.toTitleCase()', undefined],
  ['$json.missing?.toTitleCase().length', undefined],
  ['$json.name?.toTitleCase()', 'Ada Lovelace'],
  ['$json.person?.name.toSnakeCase().toTitleCase()', 'Mr_nathan'],
  ['$json.name.toTitleCase?.()', 'Ada Lovelace'],
  ['(5).toTitleCase?.()', undefined],
  ['$json.name.toUpperCase?.()', 'ADA LOVELACE'],
  ['$json.list.map((n) => (n * 1.5).round()).sum()', 10],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression is a template literal.
  ['`${$json.name.toTitleCase()}!`', 'Ada Lovelace!'],
  ['$json.missing.toTitleCase()', { error: "toTitleCase can't be used on undefined value" }],
  ['null.toSnakeCase()', { error: "toSnakeCase can't be used on null value" }],
]);
