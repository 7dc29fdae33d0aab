import type { FastifyBaseLogger } from 'fastify';
import type { ExecutionData, WorkflowDefinition } from '../../engine/types.ts';
import type { ExecutionRunner } from './execution-runner.ts';
import type { WorkflowLoader } from './workflow-loader.ts';

export const ERROR_TRIGGER_TYPE = 'n8n-nodes-base.errorTrigger';

/** A run that failed, as its error workflow hears of it. */
export interface FailedRun {
  workflow: Pick<WorkflowDefinition, 'id' | 'name' | 'settings' | 'projectId'>;
  executionId: number;
  mode: string;
  retryOf?: number;
  data: ExecutionData;
}

/** n8n's error payload: the failed execution (or, when the trigger itself failed, the trigger) and its workflow. */
function payloadOf(run: FailedRun, baseUrl: string) {
  const { error, lastNodeExecuted } = run.data.resultData;
  return {
    execution: {
      id: String(run.executionId),
      url: `${baseUrl.replace(/\/+$/, '')}/workflow/${run.workflow.id}/executions/${run.executionId}`,
      ...(run.retryOf !== undefined ? { retryOf: String(run.retryOf) } : {}),
      error: { message: error?.message ?? 'The execution failed', ...(error?.stack ? { stack: error.stack } : {}) },
      lastNodeExecuted: lastNodeExecuted ?? null,
      mode: run.mode,
    },
    workflow: { id: run.workflow.id, name: run.workflow.name },
  };
}

/**
 * n8n's error workflows: when a production run (not a manual one, and not itself an error workflow's run) fails,
 * the workflow of the same project named by its `settings.errorWorkflow` runs from its Error Trigger with n8n's error payload, as an
 * execution of mode `error`. Started in the background: the failed run's caller is not held up, and a problem with
 * the error workflow is logged, never thrown.
 */
export function createErrorWorkflows(deps: {
  loader: WorkflowLoader;
  runner: () => Pick<ExecutionRunner, 'start'>;
  baseUrl: string;
  log: FastifyBaseLogger;
}) {
  return {
    onFailed(run: FailedRun): void {
      const target = run.workflow.settings.errorWorkflow;
      if (typeof target !== 'string' || !target || run.mode === 'manual' || run.mode === 'error') return;
      void (async () => {
        const workflow = await deps.loader.current(target);
        // Only a workflow of the same project: whoever may edit a workflow's settings must not be able to start
        // another project's workflows with it.
        if (workflow.projectId !== run.workflow.projectId) {
          deps.log.warn({ workflowId: run.workflow.id, errorWorkflow: target }, 'the error workflow is in another project; it was not run');
          return;
        }
        const trigger = workflow.nodes.find((node) => node.type === ERROR_TRIGGER_TYPE && !node.disabled);
        if (!trigger) {
          deps.log.warn(
            { workflowId: run.workflow.id, errorWorkflow: target },
            'the error workflow has no Error Trigger node; it was not run',
          );
          return;
        }
        const handle = await deps.runner().start({
          workflow,
          mode: 'error',
          start: { node: trigger.name, items: [{ json: payloadOf(run, deps.baseUrl) as never }] },
        });
        await handle.done;
      })().catch((err: unknown) =>
        deps.log.warn({ err, workflowId: run.workflow.id, errorWorkflow: target }, 'the error workflow could not be run'),
      );
    },
  };
}
