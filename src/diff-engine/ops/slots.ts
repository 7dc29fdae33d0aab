import type { Connections, WorkflowNode } from '../../workflow-model/index.ts';
import { slotsOf } from '../connections.ts';
import { indexTooHigh, MAX_CONNECTION_INDEX } from '../limits.ts';
import { OperationError } from '../types.ts';

export const IF_TYPE = 'n8n-nodes-base.if';

/** How a connection operation names its source slot. */
export interface SlotSpec {
  sourceOutput?: string | number;
  sourceIndex?: number;
  branch?: 'true' | 'false' | boolean;
  case?: number;
}

/** True when the operation names one output index (sourceIndex, branch or case) rather than every slot. */
export const hasExplicitSlot = (spec: SlotSpec) => spec.sourceIndex !== undefined || spec.branch !== undefined || spec.case !== undefined;

/** Resolves output type and index: explicit sourceIndex, then IF `branch`, then Switch `case`, then 0. */
export function resolveSlot(source: WorkflowNode, spec: SlotSpec, opType: string): { output: string; index: number } {
  let output = spec.sourceOutput === undefined ? 'main' : String(spec.sourceOutput);
  let index = spec.sourceIndex;
  // A numeric output ("1") means main output 1, as n8n-mcp's callers send it.
  if (/^\d+$/.test(output)) {
    // Bounded here too (the schema checks it first): the index sizes the slot array addConnection pads.
    if (Number(output) > MAX_CONNECTION_INDEX)
      throw new OperationError('VALIDATION_ERROR', `${opType}: sourceOutput "${output}" ${indexTooHigh('output')}`);
    index ??= Number(output);
    output = 'main';
  }
  if (index !== undefined && index > MAX_CONNECTION_INDEX)
    throw new OperationError('VALIDATION_ERROR', `${opType}: sourceIndex ${index} ${indexTooHigh('output')}`);
  if (spec.branch !== undefined) {
    if (source.type !== IF_TYPE)
      throw new OperationError(
        'VALIDATION_ERROR',
        `${opType}: "branch" applies to IF nodes only; "${source.name}" is ${source.type}. Use sourceIndex or case.`,
      );
    const branchIndex = String(spec.branch) === 'true' ? 0 : 1;
    if (index !== undefined && index !== branchIndex)
      throw new OperationError(
        'VALIDATION_ERROR',
        `${opType}: branch "${spec.branch}" is output ${branchIndex}, but sourceIndex says ${index}`,
      );
    index = branchIndex;
  }
  if (spec.case !== undefined) {
    if (index !== undefined && index !== spec.case)
      throw new OperationError('VALIDATION_ERROR', `${opType}: case ${spec.case} conflicts with sourceIndex ${index}`);
    if (spec.case > MAX_CONNECTION_INDEX)
      throw new OperationError('VALIDATION_ERROR', `${opType}: case ${spec.case} ${indexTooHigh('output')}`);
    index = spec.case;
  }
  return { output, index: index ?? 0 };
}

/** Whether `source`'s slot (output, index) already has an edge to `target`; a malformed slot has none. */
export function slotHas(connections: Connections, source: string, output: string, index: number, target: string) {
  const slot = slotsOf(connections, source, output)?.[index];
  return Array.isArray(slot) && slot.some((e) => e?.node === target);
}
