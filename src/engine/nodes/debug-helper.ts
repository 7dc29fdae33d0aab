import { NodeApiError, NodeOperationError, type NodeType } from '../node-types.ts';

/**
 * n8n's Debug Helper: `doNothing` passes items on, `throwError` fails with the chosen error type and message. Running
 * out of memory on purpose is refused (it would take the server down with it), as is random data generation.
 */
export const debugHelperNode: NodeType = {
  type: 'n8n-nodes-base.debugHelper',
  typeVersions: [1],
  operations: ['doNothing', 'throwError'],
  async execute(ctx) {
    const category = ctx.getParam<string>('category', 0, 'doNothing');
    if (category === 'doNothing') return [ctx.items];
    if (category === 'throwError') {
      const message = ctx.getParam<string>('throwErrorMessage', 0, 'Node has thrown an error');
      const type = ctx.getParam<string>('throwErrorType', 0, 'NodeApiError');
      if (type === 'NodeApiError') throw new NodeApiError(message, { httpCode: '500' });
      if (type === 'Error') throw new Error(message);
      throw new NodeOperationError(message);
    }
    throw new NodeOperationError(`The Debug Helper category "${category}" is not supported by this server`, {
      description: 'Use "Do Nothing" or "Throw Error".',
    });
  },
};
