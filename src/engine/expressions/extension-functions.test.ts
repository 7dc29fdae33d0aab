import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { connect, node, outputJson, run, workflow } from '../engine-test-support.ts';
import { extensionsSource } from '../runner/isolate-scripts.ts';
import { EXTENSION_FUNCTIONS, GENERIC_FUNCTIONS } from './extension-names.ts';
import { prepareCode, prepareTemplate } from './extension-rewrite.ts';
import { evaluateHere, type FastScope } from './fast-path.ts';

/** The library's own tables, read by running its script with a stand-in for the bootstrap. */
function libraryTables(): Record<string, string[]> {
  let tables: Record<string, string[]> | undefined;
  const source = extensionsSource();
  vm.runInNewContext(source, {
    __useExtensions: (make: (tools: unknown) => { tables: Record<string, string[]> }) => {
      tables = make({ luxon: () => undefined, text: () => '', failing: (error: unknown) => error }).tables;
    },
  });
  if (!tables) throw new Error('the library did not hand itself over');
  return tables;
}

describe('extension function names', () => {
  it('are the ones the isolate library implements, type by type', () => {
    const tables = libraryTables();
    for (const [type, names] of Object.entries(EXTENSION_FUNCTIONS)) expect([...(tables[type] ?? [])].sort()).toEqual([...names].sort());
    expect(tables.generic).toEqual([...GENERIC_FUNCTIONS]);
  });
});

describe('the rewrite of extension calls', () => {
  it('routes x.name(args) through __extend and leaves other code as it is', () => {
    expect(prepareCode('$json.name.toTitleCase()')).toEqual({
      code: "__extend(($json.name), 'toTitleCase', [])",
      extensions: true,
      luxon: false,
    });
    expect(prepareCode("$now.plus(3, 'days')").code).toBe("__extend(($now), 'plus', [3, 'days'])");
    expect(prepareCode("$now.plus(3, 'days')").luxon).toBe(true);
    expect(prepareCode('$json.a.b.toUpperCase()')).toEqual({ code: '$json.a.b.toUpperCase()', extensions: false, luxon: false });
    // A name that is only mentioned, or computed, or not called, is not a call to route.
    expect(prepareCode('"x.first(" + $json["sum"]()').code).toBe('"x.first(" + $json["sum"]()');
    expect(prepareCode('$json.first').code).toBe('$json.first');
  });

  it('rewrites nested calls, arguments, template literals and callbacks', () => {
    expect(prepareCode('$json.list.map(x => x.name.toSnakeCase()).unique()').code).toBe(
      "__extend(($json.list.map(x => __extend((x.name), 'toSnakeCase', []))), 'unique', [])",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression is a template literal.
    expect(prepareCode('`${$json.s.quote()}`').code).toBe("`${__extend(($json.s), 'quote', [])}`");
    expect(prepareCode('f((1, 2), ...xs).first()').code).toBe("__extend((f((1, 2), ...xs)), 'first', [])");
    expect(prepareCode('{ a: $json.x.isEmpty(), b }').code).toBe("{ a: __extend(($json.x), 'isEmpty', []), b }");
  });

  it("leaves the data accessors' own first()/last() alone", () => {
    expect(prepareCode('$input.first().json.x').code).toBe('$input.first().json.x');
    expect(prepareCode("$('Webhook').last().json.x").code).toBe("$('Webhook').last().json.x");
    expect(prepareCode('$input.all().first()').code).toBe("__extend(($input.all()), 'first', [])");
  });

  it('lowers optional chains that hold such a call, and passes code JavaScript rejects through', () => {
    expect(prepareCode('$json.a?.toTitleCase().length').code).toBe(
      "((__tmp[0] = ($json).a) == null ? undefined : __extend(__tmp[0], 'toTitleCase', []).length)",
    );
    expect(prepareCode('$json.a.toTitleCase?.()').code).toBe(
      "((__tmp[0] = __extendOptional(($json).a, 'toTitleCase')) == null ? undefined : __tmp[0]())",
    );
    expect(prepareCode('$json.a.first(').code).toBe('$json.a.first(');
  });

  it('prepares every block of a template and says what the isolate needs', () => {
    const prepared = prepareTemplate('=Hi {{ $json.name.toTitleCase() }}, {{ $now.format("yyyy") }}');
    expect(prepared.segments).toEqual([
      'Hi ',
      ["__extend(($json.name), 'toTitleCase', [])"],
      ', ',
      ['__extend(($now), \'format\', ["yyyy"])'],
    ]);
    expect(prepared).toMatchObject({ extensions: true, luxon: true });
    expect(prepareTemplate('={{ $json.n + 1 }}')).toEqual({ segments: [['$json.n + 1']], extensions: false, luxon: false });
  });
});

describe('extension calls and the server-side fast path', () => {
  const scope: FastScope = {
    items: [{ json: { name: 'ada', list: [1, 2] } }],
    view: () => {
      throw new Error('no run view in this test');
    },
    meta: {} as FastScope['meta'],
  };

  it('are never answered by the fast path: they go to a runner', () => {
    for (const expression of [
      '={{ $json.name.toTitleCase() }}',
      '={{ $json.list.sum() }}',
      '={{ $json.name.isEmpty() }}',
      '={{ $json.list.first() }}',
    ]) {
      expect(evaluateHere(expression, 0, scope)).toBeUndefined();
    }
  });
});

describe('extension functions in a run', () => {
  it('a Set node uses toTitleCase() and friends on the incoming data', async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        node(
          'Set',
          'set',
          {
            assignments: {
              assignments: [
                { id: 'a', name: 'title', value: '={{ $json.name.toTitleCase() }}', type: 'string' },
                { id: 'b', name: 'total', value: '={{ $json.prices.sum().round(2) }}', type: 'number' },
                { id: 'c', name: 'due', value: "={{ DateTime.fromISO('2024-01-01').plus(3, 'days').toISODate() }}", type: 'string' },
              ],
            },
          },
          { typeVersion: 3.4 },
        ),
      ],
      connect(['Start', 'Set']),
    );
    const result = await run(wf, { items: [{ json: { name: 'ada lovelace', prices: [1.005, 2.5] } }] });
    expect(result.status).toBe('success');
    expect(outputJson(result, 'Set')).toEqual([{ title: 'Ada Lovelace', total: 3.5, due: '2024-01-04' }]);
  });

  it("a call on the wrong type fails the node with n8n's message", async () => {
    const wf = workflow(
      [
        node('Start', 'manualTrigger'),
        node(
          'Set',
          'set',
          { assignments: { assignments: [{ id: 'a', name: 'title', value: '={{ $json.n.toTitleCase() }}', type: 'string' }] } },
          { typeVersion: 3.4 },
        ),
      ],
      connect(['Start', 'Set']),
    );
    const result = await run(wf, { items: [{ json: { n: 5 } }] });
    expect(result.status).toBe('error');
    expect(JSON.stringify(result.data.resultData.error)).toContain('toTitleCase() is only callable on type \\"String\\"');
  });
});
