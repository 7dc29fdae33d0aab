import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunView } from '../data-context.ts';
import { successfulRun } from '../engine-test-support.ts';
import { runMetadata } from '../node-context.ts';
import { createTestUserCode } from '../runner/test-user-code.ts';
import type { Item, RunData } from '../types.ts';
import { evaluateHere, type FastScope, mayEvaluateHere } from './fast-path.ts';

/**
 * The fast path answers in the server what a runner would answer; where it is not sure it must hand the expression
 * over. These tests check both halves against the real runner (its core, in this process).
 */
const userCode = createTestUserCode({ expressionTimeoutMs: 1000 });
afterAll(() => userCode.pool.close(0));

const meta = runMetadata({
  workflow: { id: 'wf', name: 'Fast', active: true },
  executionId: '9',
  mode: 'webhook',
  timezone: 'UTC',
  now: new Date(0),
  runIndex: 1,
  vars: { region: 'eu' },
  envAllowed: false,
});

function setup(items: Item[]) {
  const runData: RunData = { Source: [successfulRun([{ json: { id: 'src-0' } }, { json: { id: 'src-1', nested: { a: [1, 2] } } }])] };
  const nodes = new Map([
    ['Source', { parameters: { p: 1 } }],
    ['Current', { parameters: {} }],
    ['Never', { parameters: {} }],
  ]);
  const view: RunView = { nodes, connections: {}, runData, node: { name: 'Current', parameters: {} }, items, source: [] };
  const scope: FastScope = { items, meta, view: () => view };
  return { scope, runData, nodes };
}

let executions = 0;

async function inRunner(expression: string, items: Item[], runData: RunData, nodes: Map<string, { parameters: object }>) {
  const executionId = `fast-${++executions}`;
  try {
    const [outcomes] = await userCode.evaluate({
      executionId,
      workflow: {
        nodes: [...nodes].map(([name, n]) => ({ name, type: 't', typeVersion: 1, parameters: n.parameters as never })),
        connections: {},
      },
      runData,
      node: 'Current',
      runIndex: 1,
      items,
      source: [],
      meta,
      signal: new AbortController().signal,
      expressions: [expression],
      itemCount: items.length,
    });
    return outcomes!;
  } finally {
    userCode.release(executionId);
  }
}

const ITEMS: Item[] = [
  {
    json: {
      n: 2,
      s: 'abc',
      t: 'x',
      f: 1.5,
      z: 0,
      neg: -3,
      yes: true,
      no: false,
      nil: null,
      list: [1, 'two', null],
      obj: { k: 'v', deep: { x: 1 } },
    },
  },
  { json: { n: '7', s: '', list: [], obj: {} } },
];

async function expectAgreement(expression: string, items: Item[] = ITEMS) {
  const { scope, runData, nodes } = setup(items);
  const remote = await inRunner(expression, items, runData, nodes);
  for (let i = 0; i < items.length; i++) {
    const here = evaluateHere(expression, i, scope);
    if (here) expect(here, `${expression} for item ${i}`).toEqual(remote[i]);
  }
}

describe('the fast path agrees with the runner', () => {
  it.each([
    '={{ $json.n }}',
    '={{ $json.n + 1 }}',
    '={{ $json.n * 2 - $json.f / 4 % 3 }}',
    '={{ $json.s + $json.n }}',
    '=step {{ $json.n }} of {{ $json.list }} and {{ $json.obj }} {{ $json.nil }}|{{ $json.missing }}',
    '={{ $json.obj.deep.x }}',
    '={{ $json["obj"]["k"] }}',
    '={{ $json.list[1] }}',
    '={{ $json.list.length }}',
    '={{ $json.s.length }}',
    '={{ $json.s[0] }}',
    '={{ $json.obj }}',
    '={{ $json.list }}',
    '={{ $json.missing }}',
    '={{ $json.missing?.x }}',
    '={{ $json.obj?.deep?.x }}',
    '={{ $json.n > 1 && $json.s !== "" }}',
    '={{ $json.n == 2 ? "two" : $json.n === "7" ? "seven" : "other" }}',
    '={{ $json.nil ?? "fallback" }}',
    '={{ $json.z || $json.t }}',
    '={{ !$json.yes }}',
    '={{ -$json.neg + +$json.n }}',
    '={{ $itemIndex }}-{{ $runIndex }}',
    '={{ $workflow.name }} {{ $execution.mode }} {{ $vars.region }}',
    '={{ $input.item.json.n }}',
    '={{ $input.first().json.s }}',
    '={{ $input.last().json }}',
    '={{ $input.all().length }}',
    '={{ $("Source").first().json.id }}',
    '={{ $("Source").last().json.nested.a[1] }}',
    '={{ $("Source").item.json.id }}',
    '={{ $("Source").all().length }}',
    '={{ $("Source").isExecuted }} {{ $("Never").isExecuted }}',
    '={{ $("Source").params.p }}',
    '={{ $node["Source"].json.id }}',
    '={{ $("Never").first() }}',
    '={{ $("Nowhere").item }}',
    '={{ $json.obj.constructor }}',
    '={{ $json.list.map }}',
    '={{ $json.s.toUpperCase() }}',
    '={{ $json.obj + 1 }}',
    '={{ $json.list == "1,two," }}',
    '={{ $json.missing.deeper }}',
    '={{ $json.nil ?? $json.z || 5 }}',
    '={{ ($json.nil ?? $json.z) || 5 }}',
    '={{ "a\\"b" + \'c\\\'d\' + "\\n" }}',
    '={{ 1e3 + 2.5 }}',
    '={{ $json.hasOwnProperty }}',
    '={{ $json.toString }}',
    '={{ $binary }}',
    '={{ $json.s.trim().toUpperCase() }} {{ $json.t.toLowerCase() }}',
    '={{ $json.s.includes("b") }} {{ $json.s.startsWith("a") }} {{ $json.s.endsWith(1) }}',
    '={{ $json.s.split("") }} {{ $json.s.split("b", 1) }} {{ $json.s.split() }}',
    '={{ $json.s.replace("b", "-") }} {{ $json.s.replace("b", "$&$&") }}',
    '={{ $json.s.slice(1) }} {{ $json.s.substring(0, 2) }} {{ $json.s.at(-1) }} {{ $json.s.charAt(9) }}',
    '={{ $json.s.concat("!", $json.n) }} {{ $json.s.indexOf("c") }} {{ $json.s.padStart(5) }}',
    '={{ $json.f.toFixed(2) }} {{ $json.f.toFixed(101) }} {{ $json.n.toString(2) }} {{ $json.f.toPrecision(2) }}',
    '={{ $json.yes.toString() }} {{ $json.n.valueOf() }}',
    '={{ $json.list.includes(null) }} {{ $json.list.indexOf("two") }} {{ $json.list.join("-") }} {{ $json.list.at(1) }}',
    '={{ $json.list.slice(1) }} {{ $json.list.join() }} {{ $json.list.map((x) => x) }}',
    '={{ Math.round($json.f) }} {{ Math.max($json.n, 5) }} {{ Math.min() }} {{ Math.pow(2, 10) }} {{ Math.max("3", 1) }}',
    '={{ Math.random }} {{ Math.PI }} {{ Math.floor }}',
    '={{ Number($json.n) + 1 }} {{ String($json.nil) }} {{ Boolean($json.s) }} {{ isNaN($json.s) }}',
    '={{ parseInt("42px") }} {{ parseInt($json.n, 16) }} {{ parseFloat("1.5e3") }} {{ parseInt(5) }}',
    '={{ $json.s.toUpperCase }} {{ $json.s.nope() }} {{ $json.n.toFixed(2).length }}',
  ])('%s', async (expression) => {
    await expectAgreement(expression);
  });

  it('answers the common expressions itself, and hands over what it does not know', () => {
    for (const expression of ['={{ $json.body.n }}', '={{ $json.n + 1 }}', '=Hi {{ $json.name }}', "={{ $('Webhook').item.json.email }}"]) {
      expect(mayEvaluateHere(expression), expression).toBe(true);
    }
    for (const expression of [
      '={{ $now }}',
      '={{ DateTime.now() }}',
      '={{ Math.max(1, 2) }}'.replace('Math', 'Reflect'),
      '={{ [1, 2] }}',
      '={{ --$json.n }}',
      '={{ 2 ** 3 }}',
    ]) {
      expect(mayEvaluateHere(expression), expression).toBe(false);
    }
    // Parsed, but only some calls are answered here: pure built-ins within bounds; anything else goes to a runner.
    const { scope } = setup(ITEMS);
    expect(evaluateHere('={{ $json.s.toUpperCase() }}', 0, scope)).toEqual({ ok: true, value: 'ABC' });
    for (const expression of ['={{ $json.s.repeat(3) }}', '={{ Math.random() }}', '={{ $json.s.replaceAll("a", "b") }}']) {
      expect(evaluateHere(expression, 0, scope), expression).toBeUndefined();
    }
  });

  it('agrees on generated expressions over generated data', async () => {
    const json = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', 'n', 's', 'constructor', 'length'),
      fc.oneof(
        fc.integer({ min: -5, max: 5 }),
        fc.constantFrom('', 'x', '3', 'abc'),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b'), fc.integer(), { maxKeys: 2 }),
      ),
      { maxKeys: 5 },
    );
    const leaf = fc.oneof(
      fc.constantFrom(
        '$json.a',
        '$json.b',
        '$json.c',
        '$json.n',
        '$json.s',
        '$json.a.length',
        '$json.b[0]',
        '$json["c"]',
        '$json.a?.b',
        '$itemIndex',
        '1',
        '2.5',
        '"x"',
        "'3'",
        'null',
        'undefined',
        'true',
        '$json.s.trim()',
        '$json.s.toUpperCase()',
        '$json.a.split("")',
        '$json.b.toFixed(1)',
        'Math.round($json.n)',
        'Math.max($json.a, $json.b)',
        'Number($json.c)',
        'String($json.a)',
        '$json.a.includes("x")',
        '$json.s.slice(1)',
        '$json.b.join("|")',
        'parseInt($json.s)',
      ),
    );
    const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc
          .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '<', '>=', '===', '!=', '&&', '||'), tie('e'))
          .map(([a, op, b]) => `(${a} ${op} ${b})`),
        fc.tuple(fc.constantFrom('!', '-'), tie('e')).map(([op, a]) => `${op}${a}`),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
      ),
    })).e;
    await fc.assert(
      fc.asyncProperty(fc.array(json, { minLength: 1, maxLength: 3 }), expression, fc.boolean(), async (jsons, code, asText) => {
        const items = jsons.map((j) => ({ json: j }));
        await expectAgreement(asText ? `=v: {{ ${code} }}` : `={{ ${code} }}`, items);
      }),
      { numRuns: 150 },
    );
  }, 30_000);
});
