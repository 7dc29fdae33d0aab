import { MAX_CONNECTION_INDEX } from './limits.ts';
import { normaliseName } from './nodes.ts';
import type { ErrorCode, WorkflowDoc } from './types.ts';

export interface InvariantProblem {
  code: ErrorCode;
  message: string;
}

const IF_TYPE = 'n8n-nodes-base.if';
const SWITCH_TYPE = 'n8n-nodes-base.switch';

/** Outputs a Switch node has, when its parameters say (rules mode, v3+); undefined when it cannot be known. */
function switchOutputs(parameters: Record<string, unknown>): number | undefined {
  const rules = (parameters.rules as { values?: unknown[] } | undefined)?.values;
  if (Array.isArray(rules)) {
    const fallback = (parameters.options as { fallbackOutput?: unknown } | undefined)?.fallbackOutput;
    return rules.length + (fallback === 'extra' ? 1 : 0);
  }
  return typeof parameters.numberOutputs === 'number' ? parameters.numberOutputs : undefined;
}

/** Checks a whole document after a batch: any problem rejects the batch (nothing is saved). */
export function findInvariantProblems(doc: WorkflowDoc): InvariantProblem[] {
  const problems: InvariantProblem[] = [];
  const byName = new Map(doc.nodes.map((n) => [n.name, n]));
  const seen = new Map<string, string>();
  for (const node of doc.nodes) {
    const key = normaliseName(node.name);
    const other = seen.get(key);
    if (other !== undefined)
      problems.push({ code: 'VALIDATION_ERROR', message: `Duplicate node name: "${node.name}" and "${other}"; node names must be unique` });
    seen.set(key, node.name);
  }
  if (!doc.name.trim()) problems.push({ code: 'VALIDATION_ERROR', message: 'The workflow name must not be empty' });
  for (const [sourceName, outputs] of Object.entries(doc.connections)) {
    const source = byName.get(sourceName);
    if (!source) {
      problems.push({
        code: 'STRUCTURAL_INTEGRITY',
        message: `Connections come from "${sourceName}", which is not a node. Run cleanStaleConnections or remove them.`,
      });
      continue;
    }
    // replaceConnections takes any JSON: a malformed map is a problem to report, not a crash.
    if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
      problems.push({
        code: 'STRUCTURAL_INTEGRITY',
        message: `Connections of "${sourceName}" must be an object of output types, each an array of slots`,
      });
      continue;
    }
    for (const [output, slots] of Object.entries(outputs)) {
      if (!Array.isArray(slots)) {
        problems.push({
          code: 'STRUCTURAL_INTEGRITY',
          message: `Connections of "${sourceName}" output "${output}" must be an array of slots`,
        });
        continue;
      }
      // replaceConnections takes the map whole, so its bounds are checked here (addConnection checks its own).
      if (slots.length > MAX_CONNECTION_INDEX + 1) {
        problems.push({
          code: 'STRUCTURAL_INTEGRITY',
          message: `Connections of "${sourceName}" output "${output}" have ${slots.length} slots; a node may have at most ${MAX_CONNECTION_INDEX + 1} outputs (indexes 0 to ${MAX_CONNECTION_INDEX})`,
        });
        continue;
      }
      slots.forEach((slot, index) => {
        if (slot !== null && slot !== undefined && !Array.isArray(slot)) {
          problems.push({
            code: 'STRUCTURAL_INTEGRITY',
            message: `Malformed connection from "${sourceName}" output "${output}"[${index}]: a slot must be an array or null`,
          });
          return;
        }
        for (const edge of slot ?? []) {
          if (typeof edge?.node !== 'string' || typeof edge.type !== 'string' || !Number.isInteger(edge.index) || edge.index < 0) {
            problems.push({
              code: 'STRUCTURAL_INTEGRITY',
              message: `Malformed connection from "${sourceName}" output "${output}"[${index}]: expected {node, type, index}`,
            });
          } else if (edge.index > MAX_CONNECTION_INDEX) {
            problems.push({
              code: 'STRUCTURAL_INTEGRITY',
              message: `Connection from "${sourceName}" output "${output}"[${index}] to "${edge.node}" uses input index ${edge.index}; the highest allowed is ${MAX_CONNECTION_INDEX}`,
            });
          } else if (!byName.has(edge.node)) {
            problems.push({
              code: 'STRUCTURAL_INTEGRITY',
              message: `Stale connection from "${sourceName}" to "${edge.node}", which is not a node. Run cleanStaleConnections or remove it.`,
            });
          } else if (edge.node === sourceName) {
            problems.push({ code: 'OPERATION_FAILED', message: `Connection loop detected: "${sourceName}" is connected to itself` });
          }
        }
      });
      if (output !== 'main' || !slots.length) continue;
      if (source.type === IF_TYPE && slots.length > 2) {
        problems.push({
          code: 'STRUCTURAL_INTEGRITY',
          message: `IF node "${sourceName}" has two outputs (true = 0, false = 1) but has connections on output ${slots.length - 1}. Use branch: "true" or "false".`,
        });
      }
      const outputsOfSwitch = source.type === SWITCH_TYPE ? switchOutputs(source.parameters) : undefined;
      if (outputsOfSwitch !== undefined && slots.length > outputsOfSwitch) {
        problems.push({
          code: 'STRUCTURAL_INTEGRITY',
          message: `Switch node "${sourceName}" has ${outputsOfSwitch} output(s) but has connections on output ${slots.length - 1}: add a rule, or connect a case below ${outputsOfSwitch}.`,
        });
      }
    }
  }
  return problems;
}
