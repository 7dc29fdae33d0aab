import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import { CRON_TYPE, INTERVAL_TYPE } from '../triggers.ts';
import { codeNode } from './code.ts';
import { manualTriggerNode } from './manual-trigger.ts';

/**
 * Nodes older workflows still contain, run as their successors: Start (before the Manual Trigger) starts a manual
 * run, and Function (before the Code node) runs its `functionCode` once for all items, with `items` as the Code
 * node gives it.
 */
export const startNode: NodeType = { ...manualTriggerNode, type: 'n8n-nodes-base.start' };

/**
 * Runs a legacy code node's `functionCode` as the Code node does, in `mode`; `prelude` comes before it (Function Item
 * names its item).
 */
function runAsCode(ctx: NodeContext, mode: 'runOnceForAllItems' | 'runOnceForEachItem', prelude = '') {
  const code = ctx.getRawParam<string>('functionCode', '');
  if (typeof code !== 'string' || code.trim() === '') throw new NodeOperationError('No code to execute');
  // The Code node's own run, reading functionCode as its jsCode.
  const asCode = Object.create(ctx, {
    getRawParam: {
      value: <T>(path: string, fallback?: T) =>
        path === 'jsCode'
          ? (`${prelude}${code}` as T)
          : path === 'mode'
            ? (mode as T)
            : path === 'language'
              ? ('javaScript' as T)
              : ctx.getRawParam(path, fallback),
    },
  });
  return codeNode.execute(asCode);
}

export const functionNode: NodeType = {
  type: 'n8n-nodes-base.function',
  execute: (ctx) => runAsCode(ctx, 'runOnceForAllItems'),
};

/**
 * n8n's Error Trigger: an error workflow's run starts here, with the failed execution's payload as its one item
 * (the executions module starts such runs; see error-workflows.ts).
 */
export const errorTriggerNode: NodeType = { ...manualTriggerNode, type: 'n8n-nodes-base.errorTrigger' };

/**
 * n8n's Cron node (the Schedule Trigger before it): the triggers module fires it by its trigger times
 * (schedule-rules.ts); a tick starts the run with one empty item, as the Cron node emitted.
 */
export const cronNode: NodeType = {
  type: CRON_TYPE,
  trigger: true,
  inputs: () => 0,
  execute: async () => [[{ json: {}, pairedItem: { item: 0 } }]],
};

/** n8n's Interval node: fired every N seconds, minutes or hours by the triggers module, with one empty item. */
export const intervalNode: NodeType = { ...cronNode, type: INTERVAL_TYPE };

/**
 * Function Item (before the Code node's "once for each item" mode): its `functionCode` runs per item with `item`
 * being that item's json, and returns the item's new json.
 */
export const functionItemNode: NodeType = {
  type: 'n8n-nodes-base.functionItem',
  execute: (ctx) => runAsCode(ctx, 'runOnceForEachItem', 'const item = $input.item.json;\n'),
};
