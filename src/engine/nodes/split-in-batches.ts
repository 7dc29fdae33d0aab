import type { NodeType } from '../node-types.ts';
import type { Item, JsonObject, WorkflowNode } from '../types.ts';

/**
 * What the node keeps between its runs within one execution (ctx.getNodeState(), n8n's node context): the items
 * still to hand out and, from v2 on, the items that came back through the loop. `noItemsLeft` and `done` are kept
 * because workflows read them in expressions (`$node["Loop"].context["noItemsLeft"]`).
 */
interface BatchState extends JsonObject {
  items: Item[];
  processedItems: Item[];
  currentRunIndex: number;
  maxRunIndex: number;
  noItemsLeft: boolean;
  done: boolean;
}

/**
 * "Loop Over Items (Split in Batches)". v3 outputs [done, loop], v2 [loop, done]; v1 has a single output that gets
 * one batch per run and nothing once the items are used up.
 */
export const splitInBatchesNode: NodeType = {
  type: 'n8n-nodes-base.splitInBatches',
  outputs: (node) => (node.typeVersion >= 2 ? 2 : 1),
  async execute(ctx) {
    const version = ctx.node.typeVersion;
    const batchSize = Math.max(1, Number(ctx.getParam('batchSize', 0, defaultBatchSize(ctx.node))) || 1);
    const state = ctx.getNodeState() as Partial<BatchState>;
    const incoming = ctx.items.map((item, index) => ({ ...item, pairedItem: { item: index } }));

    let batch: Item[];
    if (state.items === undefined || ctx.getParam<unknown>('options.reset', 0, false) === true) {
      batch = incoming.slice(0, batchSize);
      Object.assign(state, {
        items: incoming.slice(batchSize),
        processedItems: [],
        currentRunIndex: 0,
        maxRunIndex: Math.ceil(incoming.length / batchSize),
      });
    } else {
      batch = state.items.splice(0, batchSize);
      state.currentRunIndex = (state.currentRunIndex ?? 0) + 1;
      // What comes back in is the result of the previous batch's trip through the loop (v1 does not collect it).
      if (version >= 2) state.processedItems = [...(state.processedItems ?? []), ...incoming];
    }
    state.noItemsLeft = state.items?.length === 0;
    state.done = batch.length === 0;

    // v1 pairs each item with its position in the batch, as n8n's v1 does.
    if (version < 2) return [batch.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
    const finished = state.done ? (state.processedItems ?? []) : [];
    const loop = state.done ? [] : batch;
    return version >= 3 ? [finished, loop] : [loop, finished];
  },
};

function defaultBatchSize(node: WorkflowNode): number {
  return node.typeVersion >= 3 ? 1 : 10;
}
