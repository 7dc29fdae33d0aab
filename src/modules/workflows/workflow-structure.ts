import type { Connections, WorkflowNode } from './workflows.schemas.ts';

/**
 * Structural checks n8n does not make but every client benefits from: a workflow that saves must also make
 * sense. Pure: no I/O, so the diff engine can run the same checks on its result.
 */
export interface StructureProblem {
  path: string;
  message: string;
}

export function findStructureProblems(nodes: readonly WorkflowNode[], connections: Connections, base = 'request/body'): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const names = new Set<string>();
  // Duplicate node ids are allowed: n8n accepts and keeps them (its own tests save such workflows), and
  // connections refer to nodes by name, which must be unique.
  nodes.forEach((node, i) => {
    if (names.has(node.name)) {
      problems.push({
        path: `${base}/nodes/${i}/name`,
        message: `duplicate node name "${node.name}": node names must be unique within a workflow`,
      });
    }
    names.add(node.name);
  });
  for (const [source, byType] of Object.entries(connections)) {
    if (!names.has(source)) {
      problems.push({
        path: `${base}/connections/${source}`,
        message: `connections come from node "${source}", which is not in nodes: add the node or remove its connections`,
      });
    }
    for (const [type, outputs] of Object.entries(byType)) {
      outputs.forEach((targets, output) => {
        targets?.forEach((target, j) => {
          if (!names.has(target.node)) {
            problems.push({
              path: `${base}/connections/${source}/${type}/${output}/${j}`,
              message: `connection from "${source}" goes to node "${target.node}", which is not in nodes: add the node or remove the connection`,
            });
          }
        });
      });
    }
  }
  return problems;
}

/** Node types that can start a run on their own (n8n: trigger, poller or webhook nodes). */
export function isTriggerNode(node: Pick<WorkflowNode, 'type' | 'disabled'>): boolean {
  if (node.disabled) return false;
  const type = node.type.toLowerCase();
  return type.endsWith('trigger') || type.endsWith('.webhook') || type.endsWith('.cron') || type.endsWith('.interval');
}

export function countTriggers(nodes: readonly Pick<WorkflowNode, 'type' | 'disabled'>[]): number {
  return nodes.filter(isTriggerNode).length;
}
