import { boundedPortCount } from '../connections.ts';
import type { NodeType } from '../node-types.ts';
import type { Item, WorkflowNode } from '../types.ts';
import { mergeV1 } from './merge/v1.ts';
import { mergeV2, mergeV3 } from './merge/v2-v3.ts';

/**
 * n8n's Merge node, all three generations of parameters:
 * - v3: `mode` append | combine (`combineBy`: combineByFields | combineByPosition | combineAll) | chooseBranch,
 *   with `numberInputs` inputs;
 * - v2: `mode` append | combine (`combinationMode`: mergeByFields | mergeByPosition | multiplex) | chooseBranch;
 * - v1: `mode` append | mergeByIndex | mergeByKey | keepKeyMatches | removeKeyMatches | multiplex | passThrough | wait.
 *
 * Every input item is first paired with its position (`{ item, input }`, input omitted for the first input), which
 * is what n8n's engine does to a node's input before running it; items passed through keep that pairing.
 */
export const mergeNode: NodeType = {
  type: 'n8n-nodes-base.merge',
  inputs: inputCount,
  // n8n's Merge v2+: chooseBranch runs only once both inputs have data; the other modes run with any input.
  requiredInputs: (node) => (node.typeVersion >= 2 && node.parameters.mode === 'chooseBranch' ? [0, 1] : 1),
  async execute(ctx) {
    const inputs = Array.from({ length: inputCount(ctx.node) }, (_, input) =>
      (ctx.inputs[input] ?? []).map((item, index): Item => ({ ...item, pairedItem: input ? { item: index, input } : { item: index } })),
    );
    const version = ctx.node.typeVersion;
    if (version < 2) return [mergeV1(ctx, inputs)];
    if (version < 3) return [mergeV2(ctx, inputs) ?? []];
    // v3 ends a match-or-enrich with nothing to match against without any output (run data `main: []`).
    const output = mergeV3(ctx, inputs);
    return output ? [output] : [];
  },
};

function inputCount(node: WorkflowNode): number {
  if (node.typeVersion < 3) return 2;
  const configured = Number(node.parameters.numberInputs ?? 2);
  return Number.isInteger(configured) && configured >= 2 ? boundedPortCount(configured) : 2;
}
