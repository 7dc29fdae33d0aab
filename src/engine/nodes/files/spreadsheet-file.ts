import type { NodeContext, NodeType } from '../../node-types.ts';
import { convertToFileNode } from './convert-to-file.ts';
import { extractFromFileNode } from './extract-from-file.ts';

/**
 * The legacy Spreadsheet File node (v1, v2), which Extract from File and Convert to File replaced: `fromFile`
 * reads, `toFile` writes, its `fileFormat` being their operation.
 */
export const spreadsheetFileNode: NodeType = {
  type: 'n8n-nodes-base.spreadsheetFile',
  typeVersions: [1, 2],
  operations: ['fromFile', 'toFile'],
  async execute(ctx) {
    const writing = ctx.getParam<string>('operation', 0, 'fromFile') === 'toFile';
    const format = ctx.getParam<string>('fileFormat', 0, writing ? 'xlsx' : 'csv');
    const asNewNode: NodeContext = {
      ...ctx,
      getParam: <T>(name: string, itemIndex: number, fallback?: T) =>
        (name === 'operation' ? format : ctx.getParam<T>(name, itemIndex, fallback)) as T,
    };
    return (writing ? convertToFileNode : extractFromFileNode).execute(asNewNode);
  },
};
