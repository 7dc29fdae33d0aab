import type { Item, PairedItem, RunData, TaskSource } from './types.ts';

/**
 * `$('Name').item`: follows the current item's `pairedItem` links back through the nodes it came from until it
 * reaches `target`, as n8n does. Returns undefined when the chain is broken (the caller falls back to the same
 * index).
 */
export function findPairedItem(args: {
  runData: RunData;
  items: Item[];
  source: (TaskSource | null)[];
  itemIndex: number;
  target: string;
}): Item | undefined {
  let item: Item | undefined = args.items[args.itemIndex];
  let src: TaskSource | null | undefined = args.source[0];
  for (let hops = 0; item && src && hops < 1000; hops++) {
    if (src.previousNode === args.target) return item;
    const task = args.runData[src.previousNode]?.[src.previousNodeRun ?? 0];
    if (!task) return undefined;
    const link = firstLink(item.pairedItem);
    const parentSource: TaskSource | null | undefined = task.source[link.input ?? 0];
    if (!parentSource) return undefined;
    const parentTask = args.runData[parentSource.previousNode]?.[parentSource.previousNodeRun ?? 0];
    item = parentTask?.data?.main[parentSource.previousNodeOutput ?? 0]?.[link.item] ?? undefined;
    src = parentSource;
  }
  return undefined;
}

function firstLink(paired: Item['pairedItem']): PairedItem {
  if (typeof paired === 'number') return { item: paired };
  if (Array.isArray(paired)) return paired[0] ?? { item: 0 };
  return paired ?? { item: 0 };
}
