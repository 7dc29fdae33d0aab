import { EXECUTE_WORKFLOW_TRIGGER_TYPE, type SubWorkflowCall, type SubWorkflowRunner } from '../../engine/nodes/execute-workflow.ts';
import type { Item, WorkflowDefinition } from '../../engine/types.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { ExecutionRunner } from './execution-runner.ts';
import type { WorkflowLoader } from './workflow-loader.ts';

/** How deep sub-workflows may call each other: a workflow calling itself stops here instead of running forever. */
export const MAX_SUB_WORKFLOW_DEPTH = 10;

/** n8n's callerPolicy: which workflows may call this one (default: those of the same owner, here its project). */
function assertCallerAllowed(child: WorkflowDefinition, parent: SubWorkflowCall['parent']) {
  const policy = String(child.settings.callerPolicy ?? 'workflowsFromSameOwner');
  const allowed =
    policy === 'any' ||
    (policy === 'workflowsFromSameOwner' && child.projectId === parent.projectId) ||
    (policy === 'workflowsFromAList' &&
      String(child.settings.callerIds ?? '')
        .split(',')
        .map((id) => id.trim())
        .includes(parent.workflowId));
  if (!allowed) {
    throw new Error(
      `The workflow "${child.name}" (${child.id}) does not allow being called by workflow ${parent.workflowId} (its settings.callerPolicy is "${policy}")`,
    );
  }
}

/**
 * A workflow given as JSON in the node: it runs in the caller's project, as the caller's own code, and its execution
 * is recorded under the calling workflow (an execution belongs to a stored workflow).
 */
function inlineWorkflow(json: unknown, parent: SubWorkflowCall['parent']): WorkflowDefinition {
  const doc = json as Partial<WorkflowDefinition> | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.nodes))
    throw new Error('The workflow JSON must be an object with a "nodes" list');
  return {
    id: parent.workflowId,
    name: typeof doc.name === 'string' ? doc.name : 'Inline sub-workflow',
    active: false,
    nodes: doc.nodes,
    connections: (doc.connections ?? {}) as WorkflowDefinition['connections'],
    settings: (doc.settings ?? {}) as WorkflowDefinition['settings'],
    staticData: null,
    pinData: null,
    ...(parent.projectId ? { projectId: parent.projectId } : {}),
  } as WorkflowDefinition;
}

/**
 * Runs the Execute Workflow node's calls: each child is an execution of its own (mode `integrated`, with
 * `parentExecution` in its data), started in this process by the runner (never queued: a worker waiting for a
 * child behind it in the queue could wait forever), from the child's Execute Workflow Trigger.
 */
export function createSubWorkflowRunner(deps: {
  loader: WorkflowLoader;
  runner: () => Pick<ExecutionRunner, 'start' | 'cancel'>;
}): SubWorkflowRunner {
  return {
    async run(call): Promise<Item[]> {
      const depth = call.parent.depth + 1;
      if (depth > MAX_SUB_WORKFLOW_DEPTH) {
        throw new Error(
          `Sub-workflows may call each other at most ${MAX_SUB_WORKFLOW_DEPTH} deep: workflow ${call.parent.workflowId} went deeper`,
        );
      }
      let child: WorkflowDefinition;
      if ('workflowId' in call.source) {
        const { workflowId } = call.source;
        child = await deps.loader.current(workflowId).catch((err: unknown) => {
          if (err instanceof NotFoundError) throw new Error(`Workflow ${workflowId} does not exist`);
          throw err;
        });
        assertCallerAllowed(child, call.parent);
      } else {
        child = inlineWorkflow(call.source.workflowJson, call.parent);
      }
      const trigger = child.nodes.find((node) => node.type === EXECUTE_WORKFLOW_TRIGGER_TYPE && !node.disabled);
      if (!trigger) {
        throw new Error(`The workflow "${child.name}" has no "Execute Workflow Trigger" node, so another workflow cannot call it`);
      }
      const handle = await deps.runner().start({
        workflow: child,
        mode: 'integrated',
        start: { node: trigger.name, items: call.items },
        parentExecution: { executionId: call.parent.executionId, workflowId: call.parent.workflowId, depth },
      });
      if (!call.wait) {
        handle.done.catch(() => undefined);
        return [];
      }
      // A caller stopped while it waits stops its child: no run is left going that nobody waits for.
      const stopChild = () => deps.runner().cancel(handle.id);
      call.signal?.addEventListener('abort', stopChild, { once: true });
      const finished = await handle.done.finally(() => call.signal?.removeEventListener('abort', stopChild));
      if (finished.status !== 'success') {
        const message = finished.data.resultData.error?.message ?? `the sub-workflow ended ${finished.status}`;
        throw new Error(`Sub-workflow "${child.name}" (execution ${finished.id}) failed: ${message}`);
      }
      const last = finished.data.resultData.lastNodeExecuted;
      const output = last ? finished.data.resultData.runData[last]?.at(-1)?.data?.main?.[0] : undefined;
      return (output ?? []) as Item[];
    },
  };
}
