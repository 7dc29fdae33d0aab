import { z } from 'zod';
import { indexTooHigh, MAX_CONNECTION_INDEX, MAX_POSITION, POSITION_RANGE } from './limits.ts';

const description = z.string().max(2000).optional().describe('Why this operation is in the batch; kept in the history entry');

/** Node-targeting operations accept `nodeName`, `nodeId`, or n8n-mcp's `name`/`id` aliases. */
const nodeRef = {
  nodeName: z.string().optional(),
  nodeId: z.string().optional(),
  name: z.string().optional().describe('Alias of nodeName'),
  id: z.string().optional().describe('Alias of nodeId'),
  description,
};

const coordinate = z
  .number()
  .min(-MAX_POSITION, `a coordinate must be ${POSITION_RANGE}`)
  .max(MAX_POSITION, `a coordinate must be ${POSITION_RANGE}`);
const position = z.tuple([coordinate, coordinate], { error: 'must be [x, y]: an array of two numbers' });

/** An output (or input) index: bounded, because addConnection pads the slot array up to it. */
const connectionIndex = (kind: 'output' | 'input') => z.number().int().min(0).max(MAX_CONNECTION_INDEX, indexTooHigh(kind));
const outputIndex = connectionIndex('output');
const inputIndex = connectionIndex('input');

/** An output type ("main", "ai_tool") or a number meaning main output (input) of that index, also as a string ("1"). */
const slotName = (kind: 'output' | 'input') =>
  z.union([
    z
      .string()
      .min(1)
      .refine((name) => !/^\d+$/.test(name) || Number(name) <= MAX_CONNECTION_INDEX, indexTooHigh(kind)),
    connectionIndex(kind),
  ]);
const outputName = slotName('output');
const inputName = slotName('input');

const op = <T extends string, S extends z.ZodRawShape>(type: T, shape: S, title: string) =>
  z.strictObject({ type: z.literal(type), ...shape }).meta({ title });

export const OperationSchema = z.discriminatedUnion('type', [
  op('addNode', { node: z.record(z.string(), z.unknown()), description }, 'Add a node'),
  op('removeNode', nodeRef, 'Remove a node and its connections'),
  op(
    'updateNode',
    {
      ...nodeRef,
      changes: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Dot-notation paths (parameters.url, rules.values[0].value) → new values; null deletes'),
      updates: z.record(z.string(), z.unknown()).optional().describe('Alias of changes (n8n-mcp)'),
    },
    'Update node fields by path',
  ),
  op('moveNode', { ...nodeRef, position }, 'Move a node on the canvas'),
  op('enableNode', nodeRef, 'Enable a node'),
  op('disableNode', nodeRef, 'Disable a node'),
  op(
    'addConnection',
    {
      source: z.string().min(1),
      target: z.string().min(1),
      sourceOutput: outputName.optional(),
      targetInput: inputName.optional(),
      sourceIndex: outputIndex.optional(),
      targetIndex: inputIndex.optional(),
      branch: z
        .union([z.enum(['true', 'false']), z.boolean()])
        .optional()
        .describe('IF nodes: the true (0) or false (1) output'),
      case: outputIndex.optional().describe('Switch nodes: the 0-based output of that case'),
      description,
    },
    'Connect two nodes',
  ),
  op(
    'removeConnection',
    {
      source: z.string().min(1),
      target: z.string().min(1),
      sourceOutput: outputName.optional(),
      targetInput: inputName.optional(),
      sourceIndex: outputIndex.optional(),
      branch: z.union([z.enum(['true', 'false']), z.boolean()]).optional(),
      case: outputIndex.optional(),
      ignoreErrors: z.boolean().optional().describe('Do nothing, rather than fail, when the connection or a node is missing'),
      description,
    },
    'Remove a connection',
  ),
  op(
    'rewireConnection',
    {
      source: z.string().min(1),
      from: z.string().min(1),
      to: z.string().min(1),
      sourceOutput: outputName.optional(),
      sourceIndex: outputIndex.optional(),
      branch: z.union([z.enum(['true', 'false']), z.boolean()]).optional(),
      case: outputIndex.optional(),
      description,
    },
    'Move a connection to another target',
  ),
  op('cleanStaleConnections', { dryRun: z.boolean().optional(), description }, 'Remove connections to or from nodes that do not exist'),
  op('replaceConnections', { connections: z.record(z.string(), z.unknown()), description }, 'Replace all connections'),
  op('activateWorkflow', { description }, 'Activate the workflow'),
  op('deactivateWorkflow', { description }, 'Deactivate the workflow'),
  op('updateSettings', { settings: z.record(z.string(), z.unknown()), description }, 'Merge settings'),
  op('updateName', { name: z.string().trim().min(1).max(128), description }, 'Rename the workflow'),
  op('addTag', { tag: z.string().trim().min(1).max(24), description }, 'Add a tag (created when missing)'),
  op('removeTag', { tag: z.string().trim().min(1).max(24), description }, 'Remove a tag'),
]);

export type Operation = z.infer<typeof OperationSchema>;
export type OperationOf<T extends Operation['type']> = Extract<Operation, { type: T }>;

/** Operations that change nodes run first (pass 1), so a batch may add nodes and connect them in any order. */
export const NODE_OPERATIONS = new Set<Operation['type']>(['addNode', 'removeNode', 'updateNode', 'moveNode', 'enableNode', 'disableNode']);

export const nodeRefOf = (op: { nodeName?: string; nodeId?: string; name?: string; id?: string }) =>
  op.nodeId ?? op.id ?? op.nodeName ?? op.name;
