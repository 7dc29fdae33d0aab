import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/env.ts';
import type { BinaryStorage } from '../../engine/binary-data.ts';
import type { NodeType } from '../../engine/node-types.ts';
import { createDataTableNode, type DataTableStore } from '../../engine/nodes/data-table.ts';
import { createMySqlNode } from '../../engine/nodes/databases/mysql.ts';
import { createPostgresNode } from '../../engine/nodes/databases/postgres.ts';
import { createRedisNode } from '../../engine/nodes/databases/redis.ts';
import { createEmailReadImapNode } from '../../engine/nodes/email-read-imap.ts';
import { createExecuteWorkflowNode, type SubWorkflowRunner } from '../../engine/nodes/execute-workflow.ts';
import { createLegacyFileNodes, createReadWriteFileNode } from '../../engine/nodes/files/read-write-file.ts';
import { createGraphqlNode } from '../../engine/nodes/graphql.ts';
import { createHttpRequestNode } from '../../engine/nodes/http-request.ts';
import { createMqttNode } from '../../engine/nodes/mqtt.ts';
import { type NodeTypeRegistry, withoutTypes } from '../../engine/nodes/registry.ts';
import { createRssFeedTriggerNode, createRssReadNode } from '../../engine/nodes/rss-read.ts';
import type { EngineServices } from '../../engine/run-workflow.ts';
import { spawnRunnerProcess } from '../../engine/runner/runner-handles.ts';
import { RunnerPool } from '../../engine/runner/runner-pool.ts';
import { createUserCodeClient } from '../../engine/runner/user-code-client.ts';
import { createAddressPolicy } from '../../lib/net/address-policy.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';

/**
 * The engine's view of the server: node types (the HTTP Request node with the configured address policy and response
 * size limit), the runner processes that run user code with their configured limits, credentials.
 */
export function createEngineServices(deps: {
  config: Config;
  nodeTypes: NodeTypeRegistry;
  credentials: Pick<CredentialsService, 'decryptForNode' | 'patchForNode'>;
  /** The Data Table node's access to the running workflow's project's data tables. */
  dataTables: DataTableStore;
  /** The Execute Workflow node's calls of other workflows. */
  subWorkflows: SubWorkflowRunner;
  /** Where items' files are kept (undefined: n8n's in-memory "default" mode). */
  binaryData?: BinaryStorage;
  log: FastifyBaseLogger;
}): EngineServices & { close(graceMs: number): Promise<void>; pool: RunnerPool } {
  const { config } = deps;
  const { runners } = config;
  const pool = new RunnerPool({
    size: runners.count,
    spawn: () => spawnRunnerProcess({ memoryLimitMb: runners.memoryLimitMb, maxExecutions: runners.maxExecutionsPerRunner }),
    hangGraceMs: RUNNER_HANG_GRACE_MS,
    cancelGraceMs: RUNNER_CANCEL_GRACE_MS,
    log: deps.log,
  });
  const fileAccess = { allowed: [...config.fileAccess], ownDir: config.dataDir };
  // Every node that opens connections of its own (HTTP, databases) goes through the same address policy.
  const addressPolicy = createAddressPolicy({ ...config.httpRequest.ssrf, internalPorts: config.httpRequest.internalPorts });
  const httpRequest = createHttpRequestNode({ maxResponseBytes: config.httpRequest.maxResponseBytes, addressPolicy });
  return {
    nodeTypes: withoutTypes(
      [
        httpRequest,
        createDataTableNode(deps.dataTables),
        createExecuteWorkflowNode(deps.subWorkflows),
        createReadWriteFileNode(fileAccess),
        createPostgresNode(addressPolicy),
        createMySqlNode(addressPolicy),
        createRedisNode(addressPolicy),
        createMqttNode(addressPolicy),
        createEmailReadImapNode(addressPolicy),
        createGraphqlNode({ maxResponseBytes: config.httpRequest.maxResponseBytes, addressPolicy }),
        createRssReadNode({ maxResponseBytes: config.httpRequest.maxResponseBytes, addressPolicy }),
        createRssFeedTriggerNode({ maxResponseBytes: config.httpRequest.maxResponseBytes, addressPolicy }),
        ...createLegacyFileNodes(fileAccess),
      ].reduce(withNode, deps.nodeTypes),
      config.nodesExclude,
    ),
    userCode: createUserCodeClient(pool, { expressionTimeoutMs: runners.expressionTimeoutMs, codeTimeoutMs: runners.taskTimeoutMs }),
    getCredentials: (workflow, node, type) =>
      deps.credentials.decryptForNode(node.credentials?.[type], type, node.name, workflow.projectId),
    updateCredential: (workflow, node, type, patch) =>
      deps.credentials.patchForNode(node.credentials?.[type], type, node.name, workflow.projectId, patch),
    now: () => new Date(),
    defaultTimezone: config.timezone,
    envAllowed: runners.envAccess,
    // Read when allowed only: the runners themselves start with almost no environment.
    ...(runners.envAccess ? { env: { ...process.env } as Record<string, string> } : {}),
    limits: { codeTimeoutMs: runners.taskTimeoutMs, memoryLimitMb: runners.memoryLimitMb },
    inProcessWaitMs: config.executions.inProcessWaitMs,
    ...(deps.binaryData ? { binaryStorage: deps.binaryData } : {}),
    pool,
    close: (graceMs) => pool.close(graceMs),
  };
}

/** A runner that does not answer this long after a task's limit is killed; a stopped task gets this long to end. */
const RUNNER_HANG_GRACE_MS = 5000;
const RUNNER_CANCEL_GRACE_MS = 1000;

/** The registry with `node` in place of (or beside) the built-in node of its type (one made from this server's configuration or services). */
function withNode(registry: NodeTypeRegistry, node: NodeType): NodeTypeRegistry {
  return {
    get: (type) => (type === node.type ? node : registry.get(type)),
    types: () => [...new Set([...registry.types(), node.type])].sort(),
  };
}
