import { forEachEdge } from '../../engine/connections.ts';
import { type Connections, WORKFLOW_LIMITS, type WorkflowNode } from './workflows.schemas.ts';

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
  connections: Connections,
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

/**
 * Start nodes a person clicks in the editor (n8n's STARTING_NODES), and trigger-named nodes that only run when
 * another workflow or an error calls them: none of them lets a workflow run on its own, so none allows activation.
 */
const NOT_ACTIVATING = new Set([
  'n8n-nodes-base.manualtrigger',
  'n8n-nodes-base.start',
  '@n8n/n8n-nodes-langchain.manualchattrigger',
  'n8n-nodes-base.errortrigger',
  'n8n-nodes-base.executeworkflowtrigger',
]);

/** Nodes that can start a run on their own once the workflow is active (n8n: trigger, poller or webhook nodes). */
export function isTriggerNode(node: Pick<WorkflowNode, 'type' | 'disabled'>): boolean {
  if (node.disabled) return false;
  const type = node.type.toLowerCase();
  if (NOT_ACTIVATING.has(type)) return false;
  return type.endsWith('trigger') || type.endsWith('.webhook') || type.endsWith('.cron') || type.endsWith('.interval');
}

export function countTriggers(nodes: readonly Pick<WorkflowNode, 'type' | 'disabled'>[]): number {
  return nodes.filter(isTriggerNode).length;
}
