import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { applyOne, nodeNamed, onlyError, testContext, testDoc, testNode } from './test-support.ts';
import { updateNode } from './update-node.ts';

const positionShape = 'an array of two numbers, each between -1000000000 and 1000000000';
const update = (changes: Record<string, unknown>, nodeName = 'Set') => ({ type: 'updateNode', nodeName, changes });

function withParameters(parameters: Record<string, unknown>) {
  const doc = testDoc();
  doc.nodes[2]!.parameters = parameters;
  return doc;
}

describe('updateNode', () => {
  it('sets dot paths, including array elements by index', () => {
    const input = withParameters({ assignments: { assignments: [{ name: 'a' }, { name: 'b' }] }, url: 'x' });
    const result = applyOne(input, update({ 'parameters.assignments.assignments[1].name': 'B', 'parameters.url': 'y', notes: 'n' }));
    expect(result.ok).toBe(true);
    expect(nodeNamed(result.doc, 'Set')).toMatchObject({
      parameters: { assignments: { assignments: [{ name: 'a' }, { name: 'B' }] }, url: 'y' },
      notes: 'n',
    });
  });

  it('creates intermediate objects, and may append at exactly the end of an array', () => {
    const input = withParameters({ items: ['a'] });
    const result = applyOne(input, update({ 'parameters.options.deep.flag': true, 'parameters.items[1]': 'b', 'parameters.items.2': 'c' }));
    expect(nodeNamed(result.doc, 'Set').parameters).toEqual({ items: ['a', 'b', 'c'], options: { deep: { flag: true } } });
  });

  it('rejects an array index past the end', () => {
    expect(onlyError(applyOne(withParameters({ items: ['a', 'b'] }), update({ 'parameters.items[5]': 'x' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'Invalid path "parameters.items[5]": index 5 is out of range for an array of 2 item(s)',
    });
  });

  it('rejects a name segment on an array, and malformed paths', () => {
    expect(onlyError(applyOne(withParameters({ items: [] }), update({ 'parameters.items.name': 'x' }))).message).toBe(
      'Invalid path "parameters.items.name": "name" is not an array index; address elements as items[0]',
    );
    for (const path of ['parameters..url', 'parameters.items[x]', 'parameters.]']) {
      expect(onlyError(applyOne(testDoc(), update({ [path]: 1 }))).message).toBe(
        `Invalid path "${path}": write it like "parameters.url" or "parameters.items[0].name"`,
      );
    }
  });

  it('deletes with null: an object key, an array element (spliced), and nothing below a missing parent', () => {
    const input = withParameters({ drop: 1, keep: 2, items: ['a', 'b', 'c'] });
    const result = applyOne(input, update({ 'parameters.drop': null, 'parameters.items[1]': null, 'parameters.missing.deep': null }));
    expect(result.ok).toBe(true);
    expect(nodeNamed(result.doc, 'Set').parameters).toEqual({ keep: 2, items: ['a', 'c'] });
  });

  it('rejects deleting an array element that does not exist', () => {
    expect(onlyError(applyOne(withParameters({ items: ['a', 'b'] }), update({ 'parameters.items[2]': null }))).message).toBe(
      'Invalid path "parameters.items[2]": index 2 is out of range for an array of 2 item(s)',
    );
  });

  it('rejects __proto__, constructor and prototype path segments', () => {
    for (const segment of ['__proto__', 'constructor', 'prototype']) {
      const path = `parameters.${segment}.polluted`;
      expect(onlyError(applyOne(testDoc(), update({ [path]: true })))).toEqual({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: `Invalid path "${path}": "${segment}" is not allowed`,
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the id immutable, but accepts the same id', () => {
    expect(onlyError(applyOne(testDoc(), update({ id: 'other' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'updateNode: the id of node "Set" cannot change; remove and re-add the node instead',
    });
    expect(applyOne(testDoc(), update({ id: 'id-Set', notes: 'n' })).ok).toBe(true);
  });

  it('validates the edited node: name, type, position and parameters', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'updateNode: a node name must be a non-empty string'],
      [{ name: '  ' }, 'updateNode: a node name must be a non-empty string'],
      [{ name: 5 }, 'updateNode: a node name must be a non-empty string'],
      [{ type: '' }, 'updateNode: a node type must be a non-empty string'],
      [{ type: null }, 'updateNode: a node type must be a non-empty string'],
      [{ position: [1] }, `updateNode: "position" must be [x, y]: ${positionShape}`],
      [{ 'position[1]': 'x' }, `updateNode: "position" must be [x, y]: ${positionShape}`],
      [{ 'position[0]': 1e10 }, `updateNode: "position" must be [x, y]: ${positionShape}`],
      [{ position: [0, -1e10] }, `updateNode: "position" must be [x, y]: ${positionShape}`],
      [{ parameters: null }, 'updateNode: "parameters" must be an object'],
      [{ parameters: [] }, 'updateNode: "parameters" must be an object'],
    ];
    for (const [changes, message] of cases) {
      expect(onlyError(applyOne(testDoc(), update(changes)))).toEqual({ operation: 0, code: 'VALIDATION_ERROR', message });
    }
  });

  it('deleting the parameters of a connected Switch node is an error, not a crash', () => {
    const input = testDoc(testNode('Switch', 'n8n-nodes-base.switch', { parameters: { rules: { values: [{}] } } }));
    input.connections.Switch = { main: [[{ node: 'Set', type: 'main', index: 0 }]] };
    expect(onlyError(applyOne(input, update({ parameters: null }, 'Switch'))).message).toBe('updateNode: "parameters" must be an object');
  });

  it('renames: every connection reference follows, across output types including ai_tool', () => {
    const input = testDoc(testNode('Agent', '@n8n/n8n-nodes-langchain.agent'), testNode('Tool', '@n8n/n8n-nodes-langchain.toolCode'));
    input.connections.Tool = { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] };
    input.connections.Set = { main: [[{ node: 'Agent', type: 'main', index: 0 }]] };
    const result = applyOperations(input, [
      update({ name: 'AI Agent' }, 'Agent'),
      update({ name: 'My Tool' }, 'Tool'),
      update({ name: 'Decide' }, 'IF'),
    ]);
    expect(result.ok).toBe(true);
    expect(result.doc.connections).toEqual({
      Webhook: { main: [[{ node: 'Decide', type: 'main', index: 0 }]] },
      Decide: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
      Set: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
      'My Tool': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
    });
  });

  it('rejects a rename onto another node name (whitespace-normalised), leaving connections as they were', () => {
    const input = testDoc();
    const result = applyOne(input, update({ name: ' IF ' }), { continueOnError: true });
    expect(result.errors).toEqual([
      {
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: 'A node named "IF" already exists: node names must be unique. Choose another name.',
      },
    ]);
    expect(result.doc).toBe(input);
  });

  it('records renames so later operations may use the old name, along a chain of renames', () => {
    const ctx = testContext();
    updateNode(ctx, { type: 'updateNode', nodeName: 'Set', changes: { name: ' Store  Data ' } });
    expect(ctx.renames).toEqual(new Map([['Set', ' Store  Data ']]));
    updateNode(ctx, { type: 'updateNode', nodeName: 'Set', changes: { name: 'Final' } });
    expect(ctx.renames.get(' Store  Data ')).toBe('Final');
    expect(ctx.renames.get('Store Data')).toBe('Final');
    updateNode(ctx, { type: 'updateNode', nodeName: 'Set', changes: { notes: 'found through Set → Store Data → Final' } });
    expect(nodeNamed(ctx.doc, 'Final').notes).toBe('found through Set → Store Data → Final');
    expect(ctx.doc.connections.IF?.main?.[0]).toEqual([{ node: 'Final', type: 'main', index: 0 }]);
  });

  it('accepts n8n-mcp\'s "updates" alias', () => {
    const result = applyOne(testDoc(), { type: 'updateNode', nodeName: 'Set', updates: { 'parameters.value': 1 } });
    expect(nodeNamed(result.doc, 'Set').parameters).toEqual({ value: 1 });
  });

  it('requires some changes', () => {
    for (const operation of [{ type: 'updateNode', nodeName: 'Set' }, update({})]) {
      expect(onlyError(applyOne(testDoc(), operation))).toEqual({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: 'updateNode needs "changes": an object of paths to new values, e.g. {"parameters.url": "https://…"}',
      });
    }
  });

  it('reports an unknown node', () => {
    expect(onlyError(applyOne(testDoc(), update({ notes: 'x' }, 'Ghost'))).message).toMatch(/^Node not found: "Ghost"\. Available nodes/);
  });

  it('a failing change leaves the node untouched, even after earlier paths succeeded', () => {
    const input = withParameters({ items: ['a'] });
    const ctx = testContext(structuredClone(input));
    const before = ctx.doc.nodes[2];
    expect(() =>
      updateNode(ctx, update({ 'parameters.items[0]': 'changed', name: 'Renamed', 'parameters.items[7]': 'x' }) as never),
    ).toThrow(/index 7 is out of range/);
    expect(ctx.doc.nodes[2]).toBe(before);
    expect(ctx.doc.nodes[2]).toEqual(input.nodes[2]);
    expect(ctx.doc.connections).toEqual(input.connections);
    expect(ctx.renames.size).toBe(0);

    const result = applyOperations(
      input,
      [update({ 'parameters.items[0]': 'changed', 'parameters.items[7]': 'x' }), update({ notes: 'ok' })],
      {
        continueOnError: true,
      },
    );
    expect(result.failed).toEqual([0]);
    expect(nodeNamed(result.doc, 'Set')).toMatchObject({ parameters: { items: ['a'] }, notes: 'ok' });
  });

  it('is atomic under continueOnError: a rename before a failing path renames nothing, and later operations see the old name', () => {
    const input = testDoc();
    const result = applyOperations(
      input,
      [
        update({ name: 'Store', 'parameters.value': 1, 'parameters.created[0].value': 'x' }),
        { type: 'addConnection', source: 'Set', target: 'Webhook' },
        { type: 'addConnection', source: 'Store', target: 'Webhook' },
        update({ notes: 'still Set' }),
      ],
      { continueOnError: true },
    );
    expect(result.failed).toEqual([0, 2]);
    expect(result.applied).toEqual([1, 3]);
    expect(result.errors.map((e) => [e.operation, e.message])).toEqual([
      [0, expect.stringMatching(/^Invalid path "parameters.created\[0\].value": "created" is not an array \(it is missing\)/)],
      [2, expect.stringMatching(/^Source node not found: "Store"/)],
    ]);
    expect(nodeNamed(result.doc, 'Set')).toMatchObject({ parameters: {}, notes: 'still Set' });
    expect(result.doc.nodes.map((n) => n.name)).toEqual(['Webhook', 'IF', 'Set']);
    expect(result.doc.connections).toEqual({
      ...input.connections,
      Set: { main: [[{ node: 'Webhook', type: 'main', index: 0 }]] },
    });
  });

  it('a rename followed by a failing path leaves the connections and the recorded renames alone', () => {
    const ctx = testContext();
    const connections = structuredClone(ctx.doc.connections);
    for (const changes of [
      { name: 'Store', 'parameters.created[0].value': 'x' },
      { name: 'Store', 'parameters.items[0]': null, 'parameters.items[0].name': 'x' },
      { name: 'Store', position: [1e12, 0] },
    ]) {
      expect(() => updateNode(ctx, update(changes) as never)).toThrow(/Invalid path|updateNode:/);
      expect(ctx.doc.connections).toEqual(connections);
      expect(ctx.renames.size).toBe(0);
      expect(nodeNamed(ctx.doc, 'Set')).toEqual(testDoc().nodes[2]);
    }
  });

  it('sets credentials as a whole entry, or by .id and .name paths (creating credentials and the entry)', () => {
    const whole = applyOne(testDoc(), update({ 'credentials.httpBasicAuth': { id: 'abc', name: 'My cred' } }));
    expect(whole.errors).toEqual([]);
    expect(nodeNamed(whole.doc, 'Set').credentials).toEqual({ httpBasicAuth: { id: 'abc', name: 'My cred' } });

    const byPaths = applyOne(testDoc(), update({ 'credentials.httpBasicAuth.id': 'abc', 'credentials.httpBasicAuth.name': 'My cred' }));
    expect(byPaths.errors).toEqual([]);
    expect(nodeNamed(byPaths.doc, 'Set').credentials).toEqual({ httpBasicAuth: { id: 'abc', name: 'My cred' } });

    const idOnly = applyOne(testDoc(), update({ 'credentials.httpBasicAuth.id': 'abc' }));
    expect(nodeNamed(idOnly.doc, 'Set').credentials).toEqual({ httpBasicAuth: { id: 'abc' } });

    const withCredentials = testDoc();
    withCredentials.nodes[2]!.credentials = { httpBasicAuth: { id: 'abc', name: 'Old' }, slackApi: { id: 's', name: 'Slack' } };
    const switched = applyOne(withCredentials, update({ 'credentials.httpBasicAuth.id': 'def', 'credentials.slackApi': null }));
    expect(nodeNamed(switched.doc, 'Set').credentials).toEqual({ httpBasicAuth: { id: 'def', name: 'Old' } });
  });

  it('refuses credentials that are not { [type]: { id, name } }, but leaves odd stored ones (and positions) alone when not touched', () => {
    const message =
      'updateNode: "credentials" must be an object of credential types, each {"id": "…", "name": "…"}, e.g. {"credentials.httpBasicAuth": {"id": "abc", "name": "My cred"}}';
    for (const changes of [
      { 'credentials.httpBasicAuth': 'abc' },
      { 'credentials.httpBasicAuth.id': 5 },
      { 'credentials.httpBasicAuth.name': false },
      { credentials: ['abc'] },
      { credentials: 'abc' },
    ]) {
      expect(onlyError(applyOne(testDoc(), update(changes)))).toEqual({ operation: 0, code: 'VALIDATION_ERROR', message });
    }
    const odd = testDoc();
    // A stored node older than the model's shape (a bare credential name): edits elsewhere must still apply.
    (odd.nodes[2] as Record<string, unknown>).credentials = 'legacy';
    odd.nodes[2]!.position = [5e9, 0];
    expect(applyOne(odd, update({ notes: 'n' })).errors).toEqual([]);
    expect(applyOne(odd, update({ credentials: null })).errors).toEqual([]);
    expect(onlyError(applyOne(odd, update({ 'position[1]': 1 }))).message).toBe(`updateNode: "position" must be [x, y]: ${positionShape}`);
  });

  it('never edits the input node in place', () => {
    const input = withParameters({ value: 1 });
    const original = input.nodes[2];
    applyOne(input, update({ 'parameters.value': 2 }));
    expect(original?.parameters).toEqual({ value: 1 });
  });
});
