import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { glob } from 'tinyglobby';
import { binaryProperty } from '../../binary-data.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../../node-types.ts';
import type { Item } from '../../types.ts';

/** Where nodes may read and write files on this machine (N8N_RESTRICT_FILE_ACCESS_TO), and this server's own folder. */
export interface FileAccess {
  allowed: string[];
  /** DATA_DIR: its files (the key, binary data, the embedded database) are never reachable, but for allowed folders in it. */
  ownDir: string;
}

const MAX_FILES = 1000;
const isInside = (child: string, parent: string) =>
  child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** The real path `requested` names (symbolic links followed as far as the path exists), if the node may use it. */
async function permittedPath(access: FileAccess, requested: string, itemIndex: number): Promise<string> {
  if (!requested) throw new NodeOperationError('No file path given', { itemIndex });
  const base = access.allowed[0] ?? process.cwd();
  let probe = path.resolve(base, requested);
  const rest: string[] = [];
  let real: string | undefined;
  while (!real) {
    real = await realpath(probe).catch(() => undefined);
    if (real) break;
    const parent = path.dirname(probe);
    if (parent === probe) break;
    rest.unshift(path.basename(probe));
    probe = parent;
  }
  const resolved = path.join(real ?? probe, ...rest);
  const allowed = await Promise.all(access.allowed.map((dir) => realpath(dir).catch(() => path.resolve(dir))));
  const ownDir = await realpath(access.ownDir).catch(() => path.resolve(access.ownDir));
  const inAllowed = allowed.filter((dir) => isInside(resolved, dir));
  const reachable =
    inAllowed.length > 0 && (!isInside(resolved, ownDir) || inAllowed.some((dir) => dir !== ownDir && isInside(dir, ownDir)));
  if (!reachable) {
    throw new NodeOperationError(`Access to the file is not allowed: ${requested}`, {
      itemIndex,
      description: `Files can only be read and written in ${access.allowed.join(', ') || 'no folder'} (N8N_RESTRICT_FILE_ACCESS_TO).`,
    });
  }
  return resolved;
}

async function readFiles(ctx: NodeContext, access: FileAccess, selector: string, property: string, itemIndex: number): Promise<Item[]> {
  const single = !/[*?[\]{}]/.test(selector);
  const candidates = single
    ? [selector]
    : (await glob([selector], { absolute: true, onlyFiles: true, cwd: access.allowed[0] ?? process.cwd() })).sort().slice(0, MAX_FILES + 1);
  if (candidates.length > MAX_FILES) throw new NodeOperationError(`More than ${MAX_FILES} files match "${selector}"`, { itemIndex });
  const items: Item[] = [];
  for (const candidate of candidates) {
    const file = await permittedPath(access, candidate, itemIndex);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      if (single) throw new NodeOperationError(`The file "${selector}" could not be found`, { itemIndex });
      continue;
    }
    const binary = await ctx.binary.prepare(createReadStream(file), { fileName: path.basename(file), directory: path.dirname(file) });
    const { data: _data, id: _id, ...described } = binary;
    items.push({ json: described, binary: { [property]: binary }, pairedItem: { item: itemIndex } });
  }
  return items;
}

async function writeFile(
  ctx: NodeContext,
  access: FileAccess,
  item: Item,
  itemIndex: number,
  names: { file: string; property: string; append: boolean },
) {
  const target = await permittedPath(access, names.file, itemIndex);
  const binary = binaryProperty(item, names.property, itemIndex);
  await mkdir(path.dirname(target), { recursive: true });
  await pipeline(await ctx.binary.stream(binary), createWriteStream(target, { flags: names.append ? 'a' : 'w' }));
  return { json: { ...item.json, fileName: target }, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: itemIndex } };
}

/** n8n's Read/Write Files from Disk, limited to the allowed folders. */
export function createReadWriteFileNode(access: FileAccess): NodeType {
  return {
    type: 'n8n-nodes-base.readWriteFile',
    typeVersions: [1],
    operations: ['read', 'write'],
    async execute(ctx) {
      const output: Item[] = [];
      for (const [itemIndex, item] of ctx.items.entries()) {
        if (ctx.getParam<string>('operation', itemIndex, 'read') === 'write') {
          output.push(
            await writeFile(ctx, access, item, itemIndex, {
              file: ctx.getParam<string>('fileName', itemIndex, ''),
              property: ctx.getParam<string>('dataPropertyName', itemIndex, 'data'),
              append: ctx.getParam<boolean>('options.append', itemIndex, false) === true,
            }),
          );
        } else {
          const property = ctx.getParam<string>('options.dataPropertyName', itemIndex, 'data');
          output.push(...(await readFiles(ctx, access, ctx.getParam<string>('fileSelector', itemIndex, ''), property, itemIndex)));
        }
      }
      return [output];
    },
  };
}

/** The nodes Read/Write Files replaced, which older workflows still contain. */
export function createLegacyFileNodes(access: FileAccess): NodeType[] {
  const reader = (type: string, selectorParameter: string): NodeType => ({
    type,
    async execute(ctx) {
      const output: Item[] = [];
      for (const [itemIndex, item] of ctx.items.entries()) {
        const property = ctx.getParam<string>('dataPropertyName', itemIndex, 'data');
        const files = await readFiles(ctx, access, ctx.getParam<string>(selectorParameter, itemIndex, ''), property, itemIndex);
        // readBinaryFile adds the file to the incoming item; readBinaryFiles makes an item per file.
        output.push(
          ...(type.endsWith('readBinaryFile')
            ? files.map((file) => ({ ...file, json: item.json, binary: { ...item.binary, ...file.binary } }))
            : files),
        );
      }
      return [output];
    },
  });
  return [
    reader('n8n-nodes-base.readBinaryFile', 'filePath'),
    reader('n8n-nodes-base.readBinaryFiles', 'fileSelector'),
    {
      type: 'n8n-nodes-base.writeBinaryFile',
      async execute(ctx) {
        const output: Item[] = [];
        for (const [itemIndex, item] of ctx.items.entries()) {
          output.push(
            await writeFile(ctx, access, item, itemIndex, {
              file: ctx.getParam<string>('fileName', itemIndex, ''),
              property: ctx.getParam<string>('dataPropertyName', itemIndex, 'data'),
              append: ctx.getParam<boolean>('options.append', itemIndex, false) === true,
            }),
          );
        }
        return [output];
      },
    },
  ];
}
