import { readPath, removePath, writePath } from '../field-paths.ts';
import { type NodeType, paired } from '../node-types.ts';
import type { JsonObject } from '../types.ts';

type Rename = { currentKey?: string; newKey?: string };

/**
 * n8n's Rename Keys node (typeVersion 1): each `keys.key` pair moves a field (a dot path) to its new name in a copy
 * of every item, in order; a field that is not there is left alone.
 */
export const renameKeysNode: NodeType = {
  type: 'n8n-nodes-base.renameKeys',
  typeVersions: [1],
  async execute(ctx) {
    return [
      ctx.items.map((item, itemIndex) => {
        const json = structuredClone(item.json) as JsonObject;
        for (const { currentKey, newKey } of ctx.getParam<Rename[]>('keys.key', itemIndex, []) ?? []) {
          if (!currentKey || !newKey || currentKey === newKey) continue;
          const value = readPath(json, currentKey);
          if (value === undefined) continue;
          writePath(json, newKey, value);
          removePath(json, currentKey);
        }
        return paired(json, itemIndex, item.binary);
      }),
    ];
  },
};
