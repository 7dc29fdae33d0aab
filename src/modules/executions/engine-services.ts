import type { Config } from '../../config/env.ts';
import { createExpressionSandbox } from '../../engine/expressions/expression-sandbox.ts';
import { executionModeLabel } from '../../engine/node-context.ts';
import type { NodeTypeRegistry } from '../../engine/nodes/registry.ts';
import type { EngineServices } from '../../engine/run-workflow.ts';
import { runCodeInSandbox } from '../../engine/sandbox/code-sandbox.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';

/** The engine's view of the server: node types, the sandboxes with their configured limits, credentials. */
export function createEngineServices(deps: {
  config: Config;
  nodeTypes: NodeTypeRegistry;
  credentials: Pick<CredentialsService, 'decryptForNode'>;
}): EngineServices & { dispose(): void } {
  const { config } = deps;
  const expressions = createExpressionSandbox({
    memoryLimitMb: config.sandbox.expressionMemoryMb,
    timeoutMs: config.sandbox.expressionTimeoutMs,
  });
  return {
    nodeTypes: deps.nodeTypes,
    expressions,
    getCredentials: (workflow, node, type) =>
      deps.credentials.decryptForNode(node.credentials?.[type], type, node.name, workflow.projectId),
    runCode: (request) =>
      runCodeInSandbox({
        code: request.code,
        mode: request.mode,
        items: request.items,
        ...(request.itemIndex !== undefined ? { itemIndex: request.itemIndex } : {}),
        nodeOutputs: request.nodeOutputs,
        workflow: { id: request.workflow.id, name: request.workflow.name, active: request.workflow.active },
        execution: { id: request.executionId, mode: executionModeLabel(request.executionMode) },
        timeoutMs: config.sandbox.codeTimeoutMs,
        memoryLimitMb: config.sandbox.codeMemoryMb,
        signal: request.signal,
        timezone: request.timezone,
      }),
    now: () => new Date(),
    defaultTimezone: config.timezone,
    envAllowed: config.sandbox.envAccess,
    inProcessWaitMs: config.executions.inProcessWaitMs,
    dispose: () => expressions.dispose(),
  };
}
