import { describe, expect, it } from 'vitest';
import { applyOperations } from '../apply.ts';
import { applyOne, nodeNamed, onlyError, testDoc } from './test-support.ts';

const addNode = (node: Record<string, unknown>) => ({ type: 'addNode', node });
const slack = { name: 'Slack', type: 'n8n-nodes-base.slack', position: [400, 200] };

describe('addNode', () => {
  it('adds a node with a generated uuid id, typeVersion 1 and empty parameters by default', () => {
    const result = applyOne(testDoc(), addNode(slack));
    expect(result.ok).toBe(true);
    const node = nodeNamed(result.doc, 'Slack');
    expect(node).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      name: 'Slack',
      type: 'n8n-nodes-base.slack',
      typeVersion: 1,
      position: [400, 200],
      parameters: {},
    });
    expect(result.doc.nodes).toHaveLength(4);
  });

  it('keeps a given id, typeVersion, parameters and other node fields', () => {
    const result = applyOne(
      testDoc(),
      addNode({
        ...slack,
        id: 'my-id',
        typeVersion: 2.2,
        parameters: { channel: '#ops' },
        notes: 'n',
        disabled: true,
        credentials: { slackApi: { id: '1', name: 'Slack' } },
      }),
    );
    expect(nodeNamed(result.doc, 'Slack')).toEqual({
      id: 'my-id',
      name: 'Slack',
      type: 'n8n-nodes-base.slack',
      typeVersion: 2.2,
      position: [400, 200],
      parameters: { channel: '#ops' },
      notes: 'n',
      disabled: true,
      credentials: { slackApi: { id: '1', name: 'Slack' } },
    });
  });

  it('generates an id when the given one is empty', () => {
    const result = applyOne(testDoc(), addNode({ ...slack, id: '' }));
    expect(nodeNamed(result.doc, 'Slack').id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts scoped package types such as @n8n/n8n-nodes-langchain.agent', () => {
    const result = applyOne(testDoc(), addNode({ name: 'Agent', type: '@n8n/n8n-nodes-langchain.agent', position: [0, 0] }));
    expect(result.ok).toBe(true);
  });

  it('shares nothing with the operation: editing the result leaves the request untouched', () => {
    const operation = addNode({ ...slack, position: [1, 2], parameters: { nested: { value: 1 } } });
    const result = applyOne(testDoc(), operation);
    const node = nodeNamed(result.doc, 'Slack');
    (node.parameters.nested as { value: number }).value = 2;
    node.position[0] = 99;
    expect(operation.node).toMatchObject({ position: [1, 2], parameters: { nested: { value: 1 } } });
  });

  it('rejects a duplicate name, comparing whitespace-normalised names', () => {
    for (const name of ['Set', '  Set ', 'Set\t']) {
      expect(onlyError(applyOne(testDoc(), addNode({ ...slack, name })))).toEqual({
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: 'A node named "Set" already exists: node names must be unique. Choose another name.',
      });
    }
    const doc = testDoc();
    doc.nodes[2]!.name = 'Set  Values';
    expect(onlyError(applyOne(doc, addNode({ ...slack, name: ' Set Values' }))).message).toBe(
      'A node named "Set  Values" already exists: node names must be unique. Choose another name.',
    );
  });

  it('rejects a missing or blank name', () => {
    for (const name of [undefined, '', '   ', 5]) {
      expect(onlyError(applyOne(testDoc(), addNode({ ...slack, name })))).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'addNode: the node needs a non-empty string "name"',
      });
    }
  });

  it('rejects a missing type', () => {
    for (const type of [undefined, '', 3]) {
      expect(onlyError(applyOne(testDoc(), addNode({ ...slack, type })))).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'addNode: the node needs a string "type" such as "n8n-nodes-base.set"',
      });
    }
  });

  it('rejects a type without its package as OPERATION_FAILED', () => {
    expect(onlyError(applyOne(testDoc(), addNode({ ...slack, type: 'httpRequest' })))).toEqual({
      operation: 0,
      code: 'OPERATION_FAILED',
      message: 'addNode: invalid node type "httpRequest": it must include its package, e.g. "n8n-nodes-base.httpRequest"',
    });
    expect(onlyError(applyOne(testDoc(), addNode({ ...slack, type: 'n8n-nodes-base.http request' }))).code).toBe('OPERATION_FAILED');
  });

  it('rejects the short "nodes-base." prefix as OPERATION_FAILED, naming the full type', () => {
    expect(onlyError(applyOne(testDoc(), addNode({ ...slack, type: 'nodes-base.x' })))).toEqual({
      operation: 0,
      code: 'OPERATION_FAILED',
      message: 'addNode: invalid node type "nodes-base.x": use "n8n-nodes-base.x"',
    });
  });

  it('rejects a missing or malformed position', () => {
    for (const position of [undefined, [1], [1, 2, 3], ['1', '2'], [0, Number.NaN], { x: 0, y: 0 }, [1e10, 0], [0, -1e10]]) {
      expect(onlyError(applyOne(testDoc(), addNode({ ...slack, position })))).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'addNode: "position" must be [x, y]: an array of two numbers, each between -1000000000 and 1000000000',
      });
    }
    expect(applyOne(testDoc(), addNode({ ...slack, position: [1e9, -1e9] })).ok).toBe(true);
  });

  it('rejects a non-positive or non-numeric typeVersion', () => {
    for (const typeVersion of [0, -1, '2', null]) {
      expect(onlyError(applyOne(testDoc(), addNode({ ...slack, typeVersion })))).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'addNode: "typeVersion" must be a positive number',
      });
    }
  });

  it('rejects parameters that are not an object', () => {
    for (const parameters of [null, [], 'x']) {
      expect(onlyError(applyOne(testDoc(), addNode({ ...slack, parameters })))).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'addNode: "parameters" must be an object',
      });
    }
  });

  it('rejects unknown node fields, listing them', () => {
    expect(onlyError(applyOne(testDoc(), addNode({ ...slack, foo: 1, bar: 2 })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'addNode: unknown node field(s) "foo", "bar"',
    });
  });

  it('rejects an id another node already has', () => {
    expect(onlyError(applyOne(testDoc(), addNode({ ...slack, id: 'id-Set' })))).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: 'addNode: a node with id "id-Set" already exists',
    });
  });

  it('rejects an operation without a node object', () => {
    expect(onlyError(applyOperations(testDoc(), [{ type: 'addNode' }]))).toMatchObject({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^operations\[0\]: .* at node$/),
    });
  });

  it('may re-add a node removed earlier in the batch, and connect it', () => {
    const result = applyOperations(testDoc(), [
      { type: 'removeNode', nodeName: 'Set' },
      addNode({ name: 'Set', type: 'n8n-nodes-base.noOp', position: [0, 0] }),
      { type: 'addConnection', source: 'IF', target: 'Set', branch: 'false' },
    ]);
    expect(result.ok).toBe(true);
    expect(nodeNamed(result.doc, 'Set').type).toBe('n8n-nodes-base.noOp');
    expect(result.doc.connections.IF?.main).toEqual([[], [{ node: 'Set', type: 'main', index: 0 }]]);
  });
});
