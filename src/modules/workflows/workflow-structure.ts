import { forEachEdge } from '../../engine/connections.ts';
import type { StoredConnections, WorkflowNode } from '../../workflow-model/index.ts';
import { WORKFLOW_LIMITS } from './workflows.schemas.ts';

/**
 * The structural checks n8n 2.39 makes on a saved workflow (unique node names and ids, connections between nodes
 * that exist), plus a bound on connection indexes, which n8n does not have. Pure: no I/O, so the diff engine's
 * result goes through the same checks.
 */
export interface StructureProblem {
  path: string;
  message: string;
}

export function findStructureProblems(
  nodes: readonly Pick<WorkflowNode, 'name' | 'id'>[],
  // As stored (any object): forEachEdge visits the well-formed edges and skips the rest, as the engine does.
  connections: StoredConnections,
  base = 'request/body',
): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const names = new Set<string>();
  const ids = new Map<string, string>();
  nodes.forEach((node, i) => {
    if (names.has(node.name)) {
      problems.push({
        path: `${base}/nodes/${i}/name`,
        message: `duplicate node name "${node.name}": node names must be unique within a workflow; rename one of them`,
      });
    }
    names.add(node.name);
    const other = node.id === undefined ? undefined : ids.get(node.id);
    if (other !== undefined) {
      problems.push({
        path: `${base}/nodes/${i}/id`,
        message: `node "${node.name}" has the id "${node.id}" of node "${other}": node ids must be unique; change one, or leave it out to get a new one`,
      });
    } else if (node.id !== undefined) ids.set(node.id, node.name);
  });
  for (const source of Object.keys(connections)) {
    if (!names.has(source)) {
      problems.push({
        path: `${base}/connections/${source}`,
        message: `connections come from node "${source}", which is not in nodes: add the node or remove its connections`,
      });
    }
  }
  forEachEdge(connections, (source, type, output, position, edge) => {
    const path = `${base}/connections/${source}/${type}/${output}/${position}`;
    if (!names.has(edge.node)) {
      problems.push({
        path,
        message: `connection from "${source}" goes to node "${edge.node}", which is not in nodes: add the node or remove the connection`,
      });
    }
    if (output > WORKFLOW_LIMITS.connectionIndex || edge.index > WORKFLOW_LIMITS.connectionIndex) {
      problems.push({
        path,
        message: `connection from "${source}" output ${output} to input ${edge.index} of "${edge.node}": output and input indexes are at most ${WORKFLOW_LIMITS.connectionIndex}`,
      });
    }
  });
  return problems;
}
