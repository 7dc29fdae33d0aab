import { randomUUID } from 'node:crypto';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { admit, type Grant } from '../roles/grant.ts';
import { findStructureProblems } from './workflow-structure.ts';
import type { WorkflowNode } from './workflows.schemas.ts';
import type { WorkflowRecord, WorkflowState } from './workflows.types.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function notFound(): never {
  throw new NotFoundError();
}

/** Admits a request to a workflow in `projectId`; one its user may not see is answered as missing (no existence leak). */
export const admitToWorkflow = (grant: Grant, projectId: string): void => admit(grant, projectId, 'workflow:read', notFound);

export class ArchivedWorkflowError extends AppError {
  constructor(workflow: { id: string; name: string }) {
    super(
      400,
      'WORKFLOW_ARCHIVED',
      `Workflow "${workflow.name}" (ID: ${workflow.id}) is archived. Unarchive it (POST /workflows/${workflow.id}/unarchive) before changing or activating it.`,
    );
  }
}

export function noTriggerError(workflow: { id: string; name: string }) {
  return new AppError(
    400,
    'VALIDATION_ERROR',
    `Workflow "${workflow.name}" (ID: ${workflow.id}) has no node to start the workflow - at least one trigger, poller or webhook node is required`,
  );
}

/**
 * Rejects structurally broken workflows with the reason, then gives nodes without an id (or with an empty one) a
 * uuid, as n8n does. Ids are compared before that, so several nodes sharing the empty id are duplicates, as in n8n.
 */
export function normaliseNodes(state: Pick<WorkflowState, 'nodes' | 'connections'>): WorkflowNode[] {
  const problems = findStructureProblems(state.nodes, state.connections);
  if (problems.length) {
    const first = problems[0]!;
    throw new ValidationError(`${first.path} ${first.message}`, problems);
  }
  return state.nodes.map((node) => (node.id ? node : { ...node, id: randomUUID() }));
}

export function stateOf(workflow: WorkflowRecord): WorkflowState {
  return {
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes,
    connections: workflow.connections,
    settings: workflow.settings,
    staticData: workflow.staticData ?? null,
    pinData: workflow.pinData ?? null,
    meta: workflow.meta ?? null,
    nodeGroups: workflow.nodeGroups ?? [],
  };
}

export function assertEditable<T extends { id: string; name: string; isArchived: boolean }>(workflow: T): T {
  if (workflow.isArchived) throw new ArchivedWorkflowError(workflow);
  return workflow;
}
