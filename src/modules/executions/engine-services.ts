import type { Config } from '../../config/env.ts';
import { createExpressionSandbox } from '../../engine/expressions/expression-sandbox.ts';
import { executionModeLabel } from '../../engine/node-context.ts';
import type { NodeType } from '../../engine/node-types.ts';
import { createHttpRequestNode } from '../../engine/nodes/http-request.ts';
import type { NodeTypeRegistry } from '../../engine/nodes/registry.ts';
import type { EngineServices } from '../../engine/run-workflow.ts';
import { runCodeInSandbox } from '../../engine/sandbox/code-sandbox.ts';
import { createAddressPolicy } from '../../lib/net/address-policy.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';

/**
 * The engine's view of the server: node types (the HTTP Request node with the configured address policy and response
 * size limit), the sandboxes with their configured limits, credentials.
 */
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
  const httpRequest = createHttpRequestNode({
    maxResponseBytes: config.httpRequest.maxResponseBytes,
    addressPolicy: createAddressPolicy({ ...config.httpRequest.ssrf, internalPorts: config.httpRequest.internalPorts }),
  });
  return {
    nodeTypes: withNode(deps.nodeTypes, httpRequest),
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

/** The registry with `node` in place of the built-in node of its type (one made from this server's configuration). */
function withNode(registry: NodeTypeRegistry, node: NodeType): NodeTypeRegistry {
  return { get: (type) => (type === node.type ? node : registry.get(type)), types: () => registry.types() };
}
