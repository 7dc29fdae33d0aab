import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { JsonObject } from '../types.ts';

/** Fails the workflow on purpose, with the configured message (n8n's "Stop and Error"). It has no outputs. */
export const stopAndErrorNode: NodeType = {
  type: 'n8n-nodes-base.stopAndError',
  outputs: () => 0,
  async execute(ctx) {
    const errorType = ctx.getParam<string>('errorType', 0, 'errorMessage');
    if (errorType === 'errorObject') throw errorFromObject(parseErrorObject(ctx.getParam('errorObject', 0, '')));
    throw new NodeOperationError(String(ctx.getParam('errorMessage', 0, '')));
  },
};

function parseErrorObject(value: unknown): JsonObject {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch (error) {
    throw new NodeOperationError(`Error Object is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new NodeOperationError('Error Object must be a JSON object');
  }
  return parsed as JsonObject;
}

/** The message comes from the first non-empty of message, description, error (n8n's order), else the whole object. */
function errorFromObject(errorObject: JsonObject): NodeOperationError {
  const text = (key: string) => {
    const value = errorObject[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const message = text('message') ?? text('description') ?? text('error') ?? `Error: ${JSON.stringify(errorObject)}`;
  return new NodeOperationError(message, { description: text('description') });
}
