import { boundedPortCount } from '../connections.ts';
import { type NodeContext, NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject, NodeOutput, WorkflowNode } from '../types.ts';
import { compareLegacy, legacyDateTime } from './conditions/legacy.ts';
import { evaluateNodeFilter } from './conditions.ts';

/**
 * n8n-nodes-base.switch. v3+: `mode: 'rules'` routes each item to the output of the first rule whose
 * conditions (filter format) pass — or of every passing rule with `options.allMatchingOutputs` — with
 * `options.fallbackOutput` for the unmatched; `mode: 'expression'` routes to the index `output` gives.
 * v1/v2: one `value1` compared by each rule of `rules.rules` (v1 has four fixed outputs).
 */

const DEFAULT_EXPRESSION_OUTPUTS = 4;
const LEGACY_V1_OUTPUTS = 4;

/** The filter format version n8n's editor stores for a Switch node version. */
function switchFilterVersion(nodeVersion: number): number {
  if (nodeVersion >= 3.4) return 3;
  return nodeVersion >= 3.2 ? 2 : 1;
}

function asCount(value: unknown, fallback: number): number {
  const count = Number(value);
  return Number.isInteger(count) && count >= 0 ? boundedPortCount(count) : fallback;
}

function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function rulesOutputCount(rules: unknown, fallbackOutput: unknown): number {
  return listLength(rules) + (fallbackOutput === 'extra' ? 1 : 0);
}

/** How many outputs the node has, from its stored parameters (the editor draws as many). */
function outputCount(node: WorkflowNode): number {
  const parameters = node.parameters as {
    mode?: unknown;
    numberOutputs?: unknown;
    outputsAmount?: unknown;
    rules?: JsonObject;
    options?: JsonObject;
  };
  const expressionMode = parameters.mode === 'expression';
  if (node.typeVersion >= 3) {
    if (expressionMode) return asCount(parameters.numberOutputs, DEFAULT_EXPRESSION_OUTPUTS);
    return rulesOutputCount(parameters.rules?.values, parameters.options?.fallbackOutput);
  }
  if (node.typeVersion >= 2)
    return expressionMode ? asCount(parameters.outputsAmount, DEFAULT_EXPRESSION_OUTPUTS) : listLength(parameters.rules?.rules);
  return LEGACY_V1_OUTPUTS;
}

function emptyOutputs(count: number): NodeOutput {
  // n8n answers a Switch with no outputs at all with one empty output
  return Array.from({ length: Math.max(count, 1) }, () => []);
}

/** An output index from a parameter, or n8n's error (its "ouput" typo included, so messages match). */
function outputIndex(value: unknown, count: number, itemIndex: number): number {
  const index = Number(value);
  if (index === count) {
    throw new NodeOperationError(`The ouput ${String(value)} is not allowed. `, {
      itemIndex,
      description: `Output indexes are zero based, if you want to use the extra output use ${index - 1}`,
    });
  }
  if (!Number.isInteger(index) || index < 0 || index > count) {
    throw new NodeOperationError(`The ouput ${String(value)} is not allowed`, {
      itemIndex,
      description: `It has to be between 0 and ${count - 1}`,
    });
  }
  return index;
}

function routed(item: Item, itemIndex: number): Item {
  return { ...item, pairedItem: { item: itemIndex } };
}

function routeByExpression(ctx: NodeContext, count: number, outputs: NodeOutput): NodeOutput {
  for (const [itemIndex, item] of ctx.items.entries()) {
    outputs[outputIndex(ctx.getParam('output', itemIndex), count, itemIndex)]?.push(routed(item, itemIndex));
  }
  return outputs;
}

function routeByRules(ctx: NodeContext, outputs: NodeOutput): NodeOutput {
  for (const [itemIndex, item] of ctx.items.entries()) {
    const rules = ctx.getParam<unknown[]>('rules.values', itemIndex, []) ?? [];
    const options = ctx.getParam<JsonObject>('options', itemIndex, {}) ?? {};
    let matched = false;
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
      if (!evaluateNodeFilter(ctx, `rules.values.${ruleIndex}.conditions`, itemIndex, switchFilterVersion)) continue;
      matched = true;
      outputs[ruleIndex]?.push(routed(item, itemIndex));
      if (!options.allMatchingOutputs) break;
    }
    const { fallbackOutput } = options;
    if (matched || rules.length === 0 || fallbackOutput === undefined || fallbackOutput === 'none') continue;
    const target = fallbackOutput === 'extra' ? outputs.length - 1 : outputIndex(fallbackOutput, outputs.length, itemIndex);
    outputs[target]?.push(routed(item, itemIndex));
  }
  return outputs;
}

// ---------------------------------------------------------------------------------------------------------------
// Versions 1 and 2
// ---------------------------------------------------------------------------------------------------------------

/** Values n8n fills into a v1/v2 rule (and `value1`) that leaves them out, per data type. */
const LEGACY_DEFAULTS: Record<string, { value1: unknown; operation: string; value2: unknown }> = {
  boolean: { value1: false, operation: 'equal', value2: false },
  dateTime: { value1: '', operation: 'after', value2: 0 },
  number: { value1: 0, operation: 'smaller', value2: 0 },
  string: { value1: '', operation: 'equal', value2: '' },
};

function legacyOutputIndex(value: unknown, count: number, itemIndex: number): number {
  const index = Number(value);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new NodeOperationError(`The ouput ${String(value)} is not allowed. It has to be between 0 and ${count - 1}!`, { itemIndex });
  }
  return index;
}

function legacyMatchingOutput(ctx: NodeContext, itemIndex: number, count: number): number | undefined {
  const dataType = ctx.getParam<string>('dataType', 0, 'number');
  const defaults = LEGACY_DEFAULTS[dataType] ?? LEGACY_DEFAULTS.number!;
  const asOperand = (value: unknown) => (dataType === 'dateTime' ? legacyDateTime(value) : value);
  const value1 = asOperand(ctx.getParam('value1', itemIndex, defaults.value1));
  const rules = ctx.getParam<JsonObject[]>('rules.rules', itemIndex, []) ?? [];
  for (const [ruleIndex, rule] of rules.entries()) {
    const operation = typeof rule.operation === 'string' ? rule.operation : defaults.operation;
    if (!compareLegacy(operation, value1, asOperand(rule.value2 ?? defaults.value2))) continue;
    // v2 gives every rule its own output; v1 rules name one of the four
    return ctx.node.typeVersion >= 2 ? ruleIndex : legacyOutputIndex(rule.output ?? 0, count, itemIndex);
  }
  const fallback = Number(ctx.getParam('fallbackOutput', itemIndex, -1));
  return fallback === -1 ? undefined : legacyOutputIndex(fallback, count, itemIndex);
}

function routeLegacy(ctx: NodeContext, count: number, outputs: NodeOutput): NodeOutput {
  const expressionMode = ctx.getParam<string>('mode', 0, 'rules') === 'expression';
  for (const [itemIndex, item] of ctx.items.entries()) {
    try {
      const target = expressionMode
        ? legacyOutputIndex(ctx.getParam('output', itemIndex), count, itemIndex)
        : legacyMatchingOutput(ctx, itemIndex, count);
      if (target !== undefined) outputs[target]?.push(routed(item, itemIndex));
    } catch (error) {
      if (error instanceof NodeOperationError) error.itemIndex ??= itemIndex;
      throw error;
    }
  }
  return outputs;
}

/** Output count as resolved for the first item (n8n sizes the outputs once, from item 0). */
function resolvedOutputCount(ctx: NodeContext): number {
  const version = ctx.node.typeVersion;
  const expressionMode = ctx.getParam<string>('mode', 0, 'rules') === 'expression';
  if (version >= 3) {
    if (expressionMode) return asCount(ctx.getParam('numberOutputs', 0, DEFAULT_EXPRESSION_OUTPUTS), DEFAULT_EXPRESSION_OUTPUTS);
    return rulesOutputCount(ctx.getParam('rules.values', 0, []), ctx.getParam('options.fallbackOutput', 0));
  }
  if (version >= 2) {
    if (expressionMode) return asCount(ctx.getParam('outputsAmount', 0, DEFAULT_EXPRESSION_OUTPUTS), DEFAULT_EXPRESSION_OUTPUTS);
    return listLength(ctx.getParam('rules.rules', 0, []));
  }
  return LEGACY_V1_OUTPUTS;
}

export const switchNode: NodeType = {
  type: 'n8n-nodes-base.switch',
  outputs: outputCount,
  async execute(ctx) {
    if (ctx.items.length === 0) return emptyOutputs(outputCount(ctx.node));
    const count = resolvedOutputCount(ctx);
    const outputs = emptyOutputs(count);
    if (ctx.node.typeVersion < 3) return routeLegacy(ctx, count, outputs);
    if (ctx.getParam<string>('mode', 0, 'rules') === 'expression') return routeByExpression(ctx, count, outputs);
    return routeByRules(ctx, outputs);
  },
};
