import { chainWorkflowBody } from './workflow-fixtures.ts';

export const DIFF_WORKFLOW_NODES = 200;

/** The 200-node workflow the PATCH scenario edits (same chain as the GET scenario's, longer). */
export const diffWorkflowBody = () => chainWorkflowBody(DIFF_WORKFLOW_NODES, 'Bench diff target');

/**
 * `count` operations an agent might send (ten by default): four in five are parameter edits, the rest moves.
 * Repeating them is valid (each run writes the same values), so every request of the load test succeeds and
 * saves a new version.
 */
export function diffOperations(nodeNames: string[], count = 10) {
  const names = nodeNames.slice(1, count + 1);
  const edits = Math.round(count * 0.8);
  return [
    ...names.slice(0, edits).map((name, i) => ({
      type: 'updateNode',
      nodeName: name,
      changes: { notes: `reviewed ${i}`, 'parameters.options.timeout': 1000 * (i + 1) },
      description: `tune ${name}`,
    })),
    ...names.slice(edits, count).map((name, i) => ({ type: 'moveNode', nodeName: name, position: [5000 + i * 200, 600] })),
  ];
}

/** The full workflow after those operations, as a client without PATCH would have to PUT it. */
export function equivalentPutBody(workflow: ReturnType<typeof diffWorkflowBody>, count = 10) {
  const ops = diffOperations(
    workflow.nodes.map((n) => n.name),
    count,
  ) as {
    nodeName: string;
    position?: number[];
    changes?: Record<string, unknown>;
  }[];
  const nodes = structuredClone(workflow.nodes) as unknown as Record<string, unknown>[];
  for (const op of ops) {
    const node = nodes.find((n) => n.name === op.nodeName)!;
    if (op.position) node.position = op.position;
    if (op.changes) {
      node.notes = op.changes.notes;
      const parameters = node.parameters as Record<string, unknown>;
      parameters.options = { ...(parameters.options as object), timeout: op.changes['parameters.options.timeout'] };
    }
  }
  return { name: workflow.name, nodes, connections: workflow.connections, settings: workflow.settings };
}
