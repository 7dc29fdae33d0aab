import { type NodeContext, NodeOperationError, type NodeType, paired } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { startItems } from './start-items.ts';

/** A call of another workflow, as the Execute Workflow node makes it. */
export interface SubWorkflowCall {
  parent: { workflowId: string; executionId: string; projectId?: string; depth: number };
  /** A saved workflow by id, or a workflow given as JSON in the node. */
  source: { workflowId: string } | { workflowJson: unknown };
  items: Item[];
  /** Wait for it to finish and take its output, or only start it. */
  wait: boolean;
  /** The caller's run: when it is stopped (or times out) while waiting, the child is stopped too. */
  signal?: AbortSignal;
}

/**
 * Runs sub-workflows: the executions module provides it (each call a separate execution linked to its parent,
 * run in this process). Answers the output of the child's last node, or [] when not waiting.
 */
export interface SubWorkflowRunner {
  run(call: SubWorkflowCall): Promise<Item[]>;
}

export const EXECUTE_WORKFLOW_TRIGGER_TYPE = 'n8n-nodes-base.executeWorkflowTrigger';

function sourceOf(ctx: NodeContext, itemIndex: number): SubWorkflowCall['source'] {
  const source = ctx.getParam<string>('source', itemIndex, 'database');
  if (source === 'parameter') {
    const json = ctx.getParam<unknown>('workflowJson', itemIndex, undefined);
    if (json === undefined || json === '') throw new NodeOperationError('No workflow JSON given (workflowJson)', { itemIndex });
    try {
      return { workflowJson: typeof json === 'string' ? JSON.parse(json) : json };
    } catch {
      throw new NodeOperationError('The workflow JSON (workflowJson) is not valid JSON', { itemIndex });
    }
  }
  if (source !== 'database')
    throw new NodeOperationError(`The workflow source "${source}" is not supported (database or parameter)`, { itemIndex });
  const locator = ctx.getParam<{ value?: unknown } | string>('workflowId', itemIndex, '');
  const workflowId = String(typeof locator === 'object' && locator !== null ? (locator.value ?? '') : locator);
  if (!workflowId) throw new NodeOperationError('No workflow to call is selected (workflowId)', { itemIndex });
  return { workflowId };
}

/** The item the child receives: the node's workflowInputs mapping when it defines one, else the item itself. */
function inputOf(ctx: NodeContext, item: Item, itemIndex: number): Item {
  const mapping = ctx.getParam<JsonObject | undefined>('workflowInputs.value', itemIndex, undefined);
  const mode = ctx.getParam<string>('workflowInputs.mappingMode', itemIndex, 'defineBelow');
  if (!mapping || mode !== 'defineBelow' || !Object.keys(mapping).length)
    return { json: item.json, ...(item.binary ? { binary: item.binary } : {}) };
  return { json: mapping };
}

/**
 * n8n's Execute Workflow node (typeVersions 1 to 1.2): calls a saved workflow (by id) or one given as JSON, with
 * all items at once (`once`, the default) or one call per item (`each`); waiting for it (the default) gives the
 * child's last node output, not waiting passes the input on.
 */
export function createExecuteWorkflowNode(runner: SubWorkflowRunner): NodeType {
  return {
    type: 'n8n-nodes-base.executeWorkflow',
    typeVersions: [1, 1.1, 1.2],
    operations: ['once', 'each'],
    async execute(ctx) {
      const wait = ctx.getParam<boolean>('options.waitForSubWorkflow', 0, true) !== false;
      const mode = ctx.getParam<string>('mode', 0, 'once');
      const parent = {
        workflowId: ctx.workflow.id,
        executionId: ctx.executionId,
        projectId: ctx.workflow.projectId,
        depth: ctx.subWorkflowDepth,
      };
      const call = (items: Item[], itemIndex: number) =>
        runner.run({ parent, source: sourceOf(ctx, itemIndex), items, wait, signal: ctx.signal });
      const items = ctx.items.length ? ctx.items : [{ json: {} }];
      if (mode === 'each') {
        const out: Item[] = [];
        for (const [itemIndex, item] of items.entries()) {
          const result = await call([inputOf(ctx, item, itemIndex)], itemIndex);
          out.push(...(wait ? result.map((r) => paired(r.json, itemIndex, r.binary)) : [paired(item.json, itemIndex, item.binary)]));
        }
        return [out];
      }
      if (mode !== 'once') throw new NodeOperationError(`The mode "${mode}" is not supported (once or each)`);
      const result = await call(
        items.map((item, i) => inputOf(ctx, item, i)),
        0,
      );
      if (!wait) return [items.map((item, i) => paired(item.json, i, item.binary))];
      return [result.map((r, i) => paired(r.json, Math.min(i, items.length - 1), r.binary))];
    },
  };
}

type InputField = { name?: string; type?: string };

/**
 * n8n's Execute Workflow Trigger ("When executed by another workflow"): the run starts here with the caller's
 * items. With defined inputs (`workflowInputs` or a JSON example) each item keeps exactly those fields (missing
 * ones null); `passthrough` (the default, and typeVersion 1) passes the items as they came.
 */
export const executeWorkflowTriggerNode: NodeType = {
  type: EXECUTE_WORKFLOW_TRIGGER_TYPE,
  typeVersions: [1, 1.1],
  trigger: true,
  inputs: () => 0,
  async execute(ctx) {
    const items = startItems(ctx);
    const source = ctx.getParam<string>('inputSource', 0, 'passthrough');
    let fields: string[] | undefined;
    if (source === 'workflowInputs') {
      fields = (ctx.getParam<InputField[]>('workflowInputs.values', 0, []) ?? []).map((f) => String(f.name ?? '')).filter(Boolean);
    } else if (source === 'jsonExample') {
      const example = ctx.getParam<unknown>('jsonExample', 0, '{}');
      try {
        const parsed = typeof example === 'string' ? JSON.parse(example) : example;
        fields = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
      } catch {
        throw new NodeOperationError('The JSON example (jsonExample) is not valid JSON');
      }
    }
    const shaped = fields
      ? items.map((item, i) =>
          paired(
            Object.fromEntries(
              fields.map((name) => [name, (Object.hasOwn(item.json, name) ? item.json[name] : null) as JsonObject[string]]),
            ),
            i,
          ),
        )
      : items;
    return [shaped.length ? shaped : [{ json: {}, pairedItem: { item: 0 } }]];
  },
};
