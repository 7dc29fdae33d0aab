import { describe, expect, it } from 'vitest';
import { NodeOperationError } from '../node-types.ts';
import { stopAndErrorNode } from './stop-and-error.ts';
import { runNode } from './test-support.ts';

async function errorOf(parameters: Record<string, unknown>): Promise<NodeOperationError> {
  const error = await runNode(stopAndErrorNode, { parameters }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NodeOperationError);
  return error as NodeOperationError;
}

describe('stopAndError', () => {
  it('has no outputs', () => {
    expect(stopAndErrorNode.outputs?.({ name: 'S', type: stopAndErrorNode.type, typeVersion: 1, parameters: {} })).toBe(0);
  });

  it('throws the error message (the default error type)', async () => {
    expect(await errorOf({ errorMessage: 'boom' })).toMatchObject({ name: 'NodeOperationError', message: 'boom', description: undefined });
    expect((await errorOf({ errorType: 'errorMessage', errorMessage: 'bad input' })).message).toBe('bad input');
  });

  it('takes the message of an error object from message, then description, then error', async () => {
    const fromMessage = await errorOf({ errorType: 'errorObject', errorObject: '{"message":"m","description":"d","error":"e"}' });
    expect(fromMessage).toMatchObject({ message: 'm', description: 'd' });
    expect(await errorOf({ errorType: 'errorObject', errorObject: '{"message":"","description":"d","error":"e"}' })).toMatchObject({
      message: 'd',
      description: 'd',
    });
    expect(await errorOf({ errorType: 'errorObject', errorObject: { error: 'e', code: 404 } })).toMatchObject({
      message: 'e',
      description: undefined,
    });
  });

  it('falls back to the whole object as the message', async () => {
    expect((await errorOf({ errorType: 'errorObject', errorObject: '{"code":"404"}' })).message).toBe('Error: {"code":"404"}');
  });

  it('reports an error object that is not JSON', async () => {
    expect((await errorOf({ errorType: 'errorObject', errorObject: '{oops' })).message).toMatch(/^Error Object is not valid JSON: /);
    expect((await errorOf({ errorType: 'errorObject', errorObject: '[1]' })).message).toBe('Error Object must be a JSON object');
  });
});
