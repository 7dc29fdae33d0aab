import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Connections, WorkflowNode } from '../workflow-model/index.ts';
import { applyOperations, type WorkflowDoc } from './index.ts';
import { findInvariantProblems } from './invariants.ts';

/*
 * Property-based tests of applyOperations. Documents and batches are generated from plain arbitraries; a batch is
 * made valid by a small model ("sim") that replays the steps in the engine's execution order: node operations
 * first, then the rest, each pass in request order.
 */

const IF = 'n8n-nodes-base.if';
const SWITCH = 'n8n-nodes-base.switch';
const SET = 'n8n-nodes-base.set';
const HTTP = 'n8n-nodes-base.httpRequest';
const WEBHOOK = 'n8n-nodes-base.webhook';
const TYPES = [IF, SWITCH, SET, HTTP, WEBHOOK] as const;
const TAGS = ['prod', 'Prod', 'staging', 'crm', 'billing', 'ops', 'beta'];
const SETTING_KEYS = ['executionOrder', 'timezone', 'saveManualExecutions', 'errorWorkflow'];
const RUNS = 200;
const TIMEOUT = 30_000;

// ---------------------------------------------------------------------------------------------------------------
// Documents

function parametersFor(type: string, rules: number, value: string): Record<string, unknown> {
  switch (type) {
    case IF:
      return { conditions: { string: [{ value1: value, operation: 'isNotEmpty' }] } };
    case SWITCH:
      return { mode: 'rules', rules: { values: Array.from({ length: rules }, (_, k) => ({ outputKey: `case ${k}`, value: k })) } };
    case HTTP:
      return { url: `https://example.com/${encodeURIComponent(value)}`, method: 'GET' };
    case WEBHOOK:
      return { path: value || 'hook', httpMethod: 'POST' };
    default:
      return { values: { string: [{ name: 'field', value }] } };
  }
}

/** How many main outputs a node may use: IF 2, Switch one per rule, anything else 1 (for these generators). */
function outputsOf(node: Pick<WorkflowNode, 'type' | 'parameters'>): number {
  if (node.type === IF) return 2;
  if (node.type === SWITCH) {
    const values = (node.parameters.rules as { values?: unknown[] } | undefined)?.values;
    return Array.isArray(values) ? values.length : 1;
  }
  return 1;
}

const positionArb = fc.tuple(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 }));

const nodeSpecArb = fc.record({
  type: fc.constantFrom(...TYPES),
  rules: fc.integer({ min: 2, max: 4 }),
  position: positionArb,
  disabled: fc.option(fc.boolean(), { nil: undefined }),
  word: fc.constantFrom('Node', 'Step', 'Route', 'Check', 'Fetch', 'Hook'),
  value: fc.string({ maxLength: 12 }),
});

const settingValueArb = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());

const docArb: fc.Arbitrary<WorkflowDoc> = fc
  .integer({ min: 3, max: 30 })
  .chain((n) =>
    fc.record({
      specs: fc.array(nodeSpecArb, { minLength: n, maxLength: n }),
      edges: fc.array(fc.record({ s: fc.nat(n - 1), t: fc.nat(n - 1), slot: fc.nat(3) }), { maxLength: 2 * n, size: 'max' }),
      nullHoles: fc.boolean(),
      name: fc.string({ maxLength: 20 }),
      settings: fc.dictionary(fc.constantFrom(...SETTING_KEYS), settingValueArb, { maxKeys: 3 }),
      active: fc.boolean(),
      tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 4, selector: (t) => t.toLowerCase() }),
    }),
  )
  .map(({ specs, edges, nullHoles, name, settings, active, tags }) => {
    const nodes: WorkflowNode[] = specs.map((spec, i) => {
      const node: WorkflowNode = {
        id: `id-${i}`,
        // The index keeps names unique; batches only ever add names starting with "Added" or "Renamed".
        name: `${spec.word} ${i + 1}`,
        type: spec.type,
        typeVersion: spec.type === SWITCH ? 3 : 1,
        position: spec.position,
        parameters: parametersFor(spec.type, spec.rules, spec.value),
      };
      if (spec.disabled !== undefined) node.disabled = spec.disabled;
      return node;
    });
    const slotsBySource = new Map<string, { node: string; type: string; index: number }[][]>();
    const seen = new Set<string>();
    for (const { s, t, slot } of edges) {
      if (s === t) continue;
      const source = nodes[s]!;
      const target = nodes[t]!;
      const index = slot % outputsOf(source);
      const key = `${s}|${index}|${t}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const slots = slotsBySource.get(source.name) ?? [];
      slotsBySource.set(source.name, slots);
      while (slots.length <= index) slots.push([]);
      slots[index]!.push({ node: target.name, type: 'main', index: 0 });
    }
    const connections: Connections = {};
    for (const [source, slots] of slotsBySource) {
      // n8n stores unused inner outputs as [] or null; both must be accepted.
      connections[source] = { main: slots.map((slot) => (slot.length || !nullHoles ? slot : null)) };
    }
    return { name: `Workflow ${name}`.trim(), nodes, connections, settings, active, tags };
  });

// ---------------------------------------------------------------------------------------------------------------
// The model used to build valid batches

interface SimNode {
  id: string;
  name: string;
  /** Names this node had earlier in the batch; the engine must still resolve them. */
  aliases: string[];
  type: string;
  outputs: number;
}
interface SimEdge {
  src: string;
  slot: number;
  tgt: string;
}
interface Sim {
  nodes: SimNode[];
  edges: SimEdge[];
  counter: number;
}

/** Edges of a document as "source|slot|target" names, main output only. */
function edgeSet(doc: WorkflowDoc): string[] {
  const edges: string[] = [];
  for (const [source, outputs] of Object.entries(doc.connections)) {
    (outputs.main ?? []).forEach((slot, index) => {
      for (const edge of slot ?? []) edges.push(`${source}|${index}|${edge.node}`);
    });
  }
  return edges.sort();
}

function simFromDoc(doc: WorkflowDoc): Sim {
  const idOf = new Map(doc.nodes.map((n) => [n.name, n.id!]));
  const edges = edgeSet(doc).map((e) => {
    const [src, slot, tgt] = e.split('|');
    return { src: idOf.get(src!)!, slot: Number(slot), tgt: idOf.get(tgt!)! };
  });
  return {
    nodes: doc.nodes.map((n) => ({ id: n.id!, name: n.name, aliases: [], type: n.type, outputs: outputsOf(n) })),
    edges,
    counter: 0,
  };
}

function simEdgeSet(sim: Sim): string[] {
  const nameOf = new Map(sim.nodes.map((n) => [n.id, n.name]));
  return sim.edges.map((e) => `${nameOf.get(e.src)}|${e.slot}|${nameOf.get(e.tgt)}`).sort();
}

/** Same name with extra surrounding and inner whitespace: the engine normalises names when it looks them up. */
const mangle = (name: string) => `  ${name.replace(/ /g, ' \t ')} `;

/** A reference to a node: its name, id, a whitespace-mangled name, or a name it had before a rename in this batch. */
function ref(node: SimNode, pick: number): string {
  const variants = [node.name, node.id, mangle(node.name), ...node.aliases, ...node.aliases.map(mangle)];
  return variants[pick % variants.length]!;
}

function nodeRef(node: SimNode, pick: number, field: number): Record<string, string> {
  return { [['nodeName', 'name', 'nodeId', 'id'][field % 4]!]: ref(node, pick) };
}

const NODE_KINDS = ['addNode', 'removeNode', 'updateParams', 'rename', 'moveNode', 'enableNode', 'disableNode'] as const;
const OTHER_KINDS = [
  'addConnection',
  'addConnection',
  'addConnection',
  'removeConnection',
  'removeConnection',
  'updateSettings',
  'updateName',
  'addTag',
  'removeTag',
  'activateWorkflow',
  'deactivateWorkflow',
] as const;
type StepKind = (typeof NODE_KINDS)[number] | (typeof OTHER_KINDS)[number];
const isNodeKind = (kind: StepKind) => (NODE_KINDS as readonly string[]).includes(kind);

interface Step {
  kind: StepKind;
  a: number;
  b: number;
  c: number;
  flag: boolean;
  text: string;
  x: number;
  y: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<StepKind>(...NODE_KINDS, ...OTHER_KINDS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  flag: fc.boolean(),
  text: fc.string({ maxLength: 10 }),
  x: fc.integer({ min: -5000, max: 5000 }),
  y: fc.integer({ min: -5000, max: 5000 }),
});

const stepsArb = fc.array(stepArb, { maxLength: 30, size: 'medium' });

function nodeStep(sim: Sim, s: Step): unknown {
  if (s.kind === 'addNode') {
    const k = ++sim.counter;
    const type = TYPES[s.a % TYPES.length]!;
    const node = { id: `nid-${k}`, name: `Added ${k}`, type, position: [s.x, s.y], parameters: parametersFor(type, 2 + (s.b % 3), s.text) };
    sim.nodes.push({ id: node.id, name: node.name, aliases: [], type, outputs: outputsOf(node) });
    return { type: 'addNode', node: s.flag ? { ...node, typeVersion: 2 } : node };
  }
  if (!sim.nodes.length) return undefined;
  const node = sim.nodes[s.a % sim.nodes.length]!;
  const target = nodeRef(node, s.b, s.c);
  switch (s.kind) {
    case 'removeNode':
      sim.nodes = sim.nodes.filter((n) => n !== node);
      sim.edges = sim.edges.filter((e) => e.src !== node.id && e.tgt !== node.id);
      return { type: 'removeNode', ...target };
    case 'updateParams': {
      // Never touches the number of Switch rules, so connections stay within range.
      // An index only into an array the node has: an index never creates one.
      const paths = ['parameters.note', 'parameters.options.timeout', 'notes', 'parameters.extra'];
      if (node.type === SET) paths.push('parameters.values.string[0].value');
      if (node.type === SWITCH && s.flag) paths.push(`parameters.rules.values[${s.c % node.outputs}].outputKey`);
      const path = paths[s.c % paths.length]!;
      const value = path.startsWith('parameters.rules') || s.c % 5 ? s.text : null;
      return { type: 'updateNode', ...target, [s.flag ? 'changes' : 'updates']: { [path]: value } };
    }
    case 'rename': {
      const name = `Renamed ${++sim.counter}`;
      node.aliases.push(node.name);
      node.name = name;
      const changes: Record<string, unknown> = { name };
      if (s.flag) changes.position = [s.x, s.y];
      return { type: 'updateNode', ...target, changes };
    }
    case 'moveNode':
      return { type: 'moveNode', ...target, position: [s.x, s.y] };
    case 'enableNode':
    case 'disableNode':
      return { type: s.kind, ...target };
    default:
      throw new Error(`not a node step: ${s.kind}`);
  }
}

/** How an operation names output `slot` of `node`: sourceIndex, IF branch, Switch case, or main output 0 by default. */
function slotSpec(node: SimNode, slot: number, pick: number, removing: boolean): Record<string, unknown> {
  if (node.type === IF && pick % 3 === 0) return { branch: pick % 2 ? slot === 0 : slot === 0 ? 'true' : 'false' };
  if (node.type === SWITCH && pick % 3 === 0) return { case: slot };
  if (pick % 3 === 1 || slot > 0) return { sourceIndex: slot };
  // Main output 0 by default (when removing, without a slot: every main slot to that target).
  if (removing) return {};
  return [{}, { sourceOutput: 'main' }, { sourceOutput: 0 }][pick % 3]!;
}

function otherStep(sim: Sim, s: Step): unknown {
  switch (s.kind) {
    case 'addConnection': {
      const n = sim.nodes.length;
      if (n < 2) return undefined;
      const source = sim.nodes[s.a % n]!;
      const slot = s.c % source.outputs;
      for (let offset = 0; offset < n; offset++) {
        const target = sim.nodes[(s.b + offset) % n]!;
        if (target === source) continue;
        if (sim.edges.some((e) => e.src === source.id && e.slot === slot && e.tgt === target.id)) continue;
        sim.edges.push({ src: source.id, slot, tgt: target.id });
        return { type: 'addConnection', source: ref(source, s.b), target: ref(target, s.c), ...slotSpec(source, slot, s.a, false) };
      }
      return undefined;
    }
    case 'removeConnection': {
      if (!sim.edges.length) return undefined;
      const edge = sim.edges[s.a % sim.edges.length]!;
      const source = sim.nodes.find((n) => n.id === edge.src)!;
      const target = sim.nodes.find((n) => n.id === edge.tgt)!;
      const spec = slotSpec(source, edge.slot, s.b, true);
      const explicit = Object.keys(spec).length > 0;
      sim.edges = sim.edges.filter((e) => !(e.src === edge.src && e.tgt === edge.tgt && (!explicit || e.slot === edge.slot)));
      return {
        type: 'removeConnection',
        source: ref(source, s.c),
        target: ref(target, s.b),
        ...spec,
        ...(s.flag ? { ignoreErrors: s.c % 2 === 0 } : {}),
      };
    }
    case 'updateSettings':
      return {
        type: 'updateSettings',
        settings: {
          [SETTING_KEYS[s.a % SETTING_KEYS.length]!]: s.flag ? null : s.text,
          ...(s.b % 2 ? { saveDataErrorExecution: 'all' } : {}),
        },
      };
    case 'updateName':
      return { type: 'updateName', name: `Workflow ${s.text}` };
    case 'addTag':
    case 'removeTag':
      return { type: s.kind, tag: TAGS[s.a % TAGS.length]! };
    case 'activateWorkflow':
    case 'deactivateWorkflow':
      return { type: s.kind };
    default:
      throw new Error(`not a workflow step: ${s.kind}`);
  }
}

/** Turns arbitrary steps into a batch valid against `doc`, and returns the model of the expected result. */
function makeBatch(doc: WorkflowDoc, steps: Step[]): { ops: unknown[]; sim: Sim } {
  const sim = simFromDoc(doc);
  const ops: unknown[] = steps.map(() => undefined);
  steps.forEach((s, i) => {
    if (isNodeKind(s.kind)) ops[i] = nodeStep(sim, s);
  });
  steps.forEach((s, i) => {
    if (!isNodeKind(s.kind)) ops[i] = otherStep(sim, s);
  });
  return { ops: ops.filter((op) => op !== undefined), sim };
}

const validCaseArb = fc.tuple(docArb, stepsArb).map(([doc, steps]) => ({ doc, ...makeBatch(doc, steps) }));

// ---------------------------------------------------------------------------------------------------------------
// Operations that must fail whatever the state (no generated name starts with "__missing__")

const MISSING = '__missing__ node';
const poisonArb: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  { type: 'removeNode', nodeName: MISSING },
  { type: 'updateNode', nodeName: MISSING, changes: { 'parameters.url': 'https://example.com' } },
  { type: 'updateNode', nodeName: 'Node 1', changes: {} },
  { type: 'moveNode', nodeId: MISSING, position: [0, 0] },
  { type: 'disableNode', name: MISSING },
  { type: 'addNode', node: { name: 'Poison', type: 'nodes-base.set', position: [0, 0] } },
  { type: 'addNode', node: { name: 'Poison', type: SET } },
  { type: 'addConnection', source: MISSING, target: `${MISSING} 2` },
  { type: 'removeConnection', source: MISSING, target: `${MISSING} 2` },
  { type: 'rewireConnection', source: MISSING, from: `${MISSING} 2`, to: `${MISSING} 3` },
  { type: 'frobnicate' },
  { type: 'moveNode', nodeName: MISSING, position: 'nowhere' },
  { type: 'updateName', name: '   ' },
  { type: 'addTag', tag: 'a-tag-name-that-is-far-too-long' },
);

const poisonedCaseArb = validCaseArb.chain((valid) =>
  fc.record({ poison: poisonArb, at: fc.integer({ min: 0, max: valid.ops.length }) }).map(({ poison, at }) => ({
    ...valid,
    at,
    poisoned: [...valid.ops.slice(0, at), poison, ...valid.ops.slice(at)],
  })),
);

// ---------------------------------------------------------------------------------------------------------------
// Arbitrary (mostly invalid) operations, for the no-mutation property

function wildOpArb(names: string[]): fc.Arbitrary<unknown> {
  const name = fc.oneof(fc.constantFrom(...names, 'id-0', MISSING), fc.string({ maxLength: 6 }));
  const value = fc.oneof(name, fc.jsonValue({ maxDepth: 2 }), fc.constant(null), positionArb);
  const path = fc.constantFrom(
    'name',
    'type',
    'id',
    'position',
    'disabled',
    'parameters.url',
    'parameters.rules.values',
    'parameters.rules.values[0].value',
    'parameters.items[3]',
    'parameters.items.0',
    'parameters.created[0].value',
    'parameters.values.string[0]',
    'credentials.httpBasicAuth.id',
    'parameters.a.b.c',
    '__proto__.polluted',
  );
  const slot = {
    sourceOutput: fc.constantFrom<string | number>('main', 'ai_tool', 0, 1, 2),
    sourceIndex: fc.nat(4),
    branch: fc.constantFrom<string | boolean>('true', 'false', true, false),
    case: fc.nat(4),
  };
  const opt = { requiredKeys: ['type'] as 'type'[] };
  return fc.oneof(
    fc.record(
      {
        type: fc.constant('addNode'),
        node: fc.record(
          {
            name,
            type: fc.constantFrom(...TYPES, 'nodes-base.set', 'bad type'),
            position: fc.oneof(positionArb, fc.constant('x')),
            parameters: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })), fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
      },
      opt,
    ),
    fc.record({ type: fc.constantFrom('removeNode', 'enableNode', 'disableNode'), nodeName: name }, opt),
    fc.record({ type: fc.constant('updateNode'), nodeName: name, changes: fc.dictionary(path, value, { maxKeys: 3 }) }, opt),
    fc.record({ type: fc.constant('moveNode'), nodeName: name, position: positionArb }, opt),
    fc.record({ type: fc.constantFrom('addConnection', 'removeConnection'), source: name, target: name, ...slot }, opt),
    fc.record({ type: fc.constant('rewireConnection'), source: name, from: name, to: name, ...slot }, opt),
    fc.record({ type: fc.constant('cleanStaleConnections'), dryRun: fc.boolean() }, opt),
    fc.record(
      {
        type: fc.constant('replaceConnections'),
        connections: fc.dictionary(
          name,
          fc.oneof(
            fc.record({
              main: fc.array(fc.array(fc.record({ node: name, type: fc.constant('main'), index: fc.nat(2) }), { maxLength: 2 }), {
                maxLength: 3,
              }),
            }),
            // Malformed maps too: they must be reported, not crash the engine or touch the input.
            fc.jsonValue({ maxDepth: 3 }),
          ),
          { maxKeys: 3 },
        ),
      },
      opt,
    ),
    fc.record({ type: fc.constantFrom('activateWorkflow', 'deactivateWorkflow') }, opt),
    fc.record({ type: fc.constant('updateSettings'), settings: fc.dictionary(fc.constantFrom(...SETTING_KEYS), value) }, opt),
    fc.record({ type: fc.constant('updateName'), name: fc.string({ maxLength: 6 }) }, opt),
    fc.record({ type: fc.constantFrom('addTag', 'removeTag'), tag: fc.string({ maxLength: 6 }) }, opt),
  );
}

const anyBatchCaseArb = fc.oneof(
  validCaseArb.map(({ doc, ops }) => ({ doc, ops })),
  poisonedCaseArb.map(({ doc, poisoned }) => ({ doc, ops: poisoned })),
  docArb.chain((doc) => fc.array(wildOpArb(doc.nodes.map((n) => n.name)), { maxLength: 15 }).map((ops) => ({ doc, ops }))),
);

// ---------------------------------------------------------------------------------------------------------------

describe('applyOperations (properties)', () => {
  it('P0: generated documents satisfy the invariants', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        expect(findInvariantProblems(doc)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it(
    'P1: a valid batch applies and the result satisfies the invariants (and matches the model)',
    () => {
      fc.assert(
        fc.property(validCaseArb, ({ doc, ops, sim }) => {
          const result = applyOperations(doc, ops);
          expect(result.errors).toEqual([]);
          expect(result.ok).toBe(true);
          expect(findInvariantProblems(result.doc)).toEqual([]);
          expect(result.applied).toEqual(ops.map((_, i) => i));
          expect(result.doc.nodes.map((n) => [n.id, n.name])).toEqual(sim.nodes.map((n) => [n.id, n.name]));
          expect(edgeSet(result.doc)).toEqual(simEdgeSet(sim));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'P2: the input document is never mutated, whatever the batch',
    () => {
      fc.assert(
        fc.property(anyBatchCaseArb, fc.boolean(), ({ doc, ops }, continueOnError) => {
          const snapshot = structuredClone(doc);
          applyOperations(doc, ops, { continueOnError });
          expect(doc).toEqual(snapshot);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'P3: an atomic batch with one failing operation changes nothing and reports that operation',
    () => {
      fc.assert(
        fc.property(poisonedCaseArb, ({ doc, poisoned, at }) => {
          const snapshot = structuredClone(doc);
          const result = applyOperations(doc, poisoned);
          expect(result.ok).toBe(false);
          expect(result.errors).toHaveLength(1);
          expect(result.errors[0]!.operation).toBe(at);
          expect(result.failed).toEqual([at]);
          expect(result.doc).toBe(doc);
          expect(result.doc).toEqual(snapshot);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'P4: with continueOnError only the failing operation is skipped, and the result is as if it were absent',
    () => {
      fc.assert(
        fc.property(poisonedCaseArb, ({ doc, ops, poisoned, at }) => {
          const result = applyOperations(doc, poisoned, { continueOnError: true });
          expect(result.ok).toBe(ops.length > 0);
          expect(result.failed).toEqual([at]);
          expect(result.applied).toEqual(poisoned.map((_, i) => i).filter((i) => i !== at));
          expect(result.errors.map((e) => e.operation)).toEqual([at]);
          expect(findInvariantProblems(result.doc)).toEqual([]);
          if (ops.length) expect(result.doc).toEqual(applyOperations(doc, ops).doc);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'P5: a node renamed in the batch may be connected by any of its old names, with the same result',
    () => {
      const caseArb = fc
        .tuple(validCaseArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.nat(), fc.nat(), fc.nat())
        .map(([{ doc, ops, sim }, a, b, renames, renameTarget, pickSource, pickTarget, connectAt]) => {
          const n = sim.nodes.length;
          if (n < 2) return undefined;
          const source = sim.nodes[a % n]!;
          const targets = sim.nodes.filter(
            (t) => t !== source && !sim.edges.some((e) => e.src === source.id && e.slot === 0 && e.tgt === t.id),
          );
          if (!targets.length) return undefined;
          const target = targets[b % targets.length]!;
          const tail: unknown[] = [];
          const rename = (node: SimNode) => {
            const name = `Renamed ${++sim.counter}`;
            tail.push({ type: 'updateNode', nodeName: node.name, changes: { name } });
            node.aliases.push(node.name);
            node.name = name;
          };
          for (let i = 0; i < renames; i++) rename(source);
          if (renameTarget) rename(target);
          const oldSource = source.aliases[pickSource % source.aliases.length]!;
          const oldTarget = renameTarget ? target.aliases[pickTarget % target.aliases.length]! : target.name;
          const at = connectAt % (tail.length + 1);
          const withConnect = (source: string, target: string) => [
            ...ops,
            ...tail.slice(0, at),
            { type: 'addConnection', source, target },
            ...tail.slice(at),
          ];
          return {
            doc,
            byOldName: withConnect(oldSource, oldTarget),
            byNewName: withConnect(source.name, target.name),
            edge: `${source.name}|0|${target.name}`,
          };
        })
        .filter((c) => c !== undefined);
      fc.assert(
        fc.property(caseArb, ({ doc, byOldName, byNewName, edge }) => {
          const old = applyOperations(doc, byOldName);
          const current = applyOperations(doc, byNewName);
          expect(old.errors).toEqual([]);
          expect(current.errors).toEqual([]);
          expect(old.ok && current.ok).toBe(true);
          expect(old.doc.connections).toEqual(current.doc.connections);
          expect(edgeSet(current.doc)).toContain(edge);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
