import { runMetadata } from '../node-context.ts';
import type { JsonObject } from '../types.ts';
import type { ExpressionOutcome } from './protocol.ts';
import { inProcessRunner } from './runner-handles.ts';
import { RunnerPool } from './runner-pool.ts';
import { createUserCodeClient, type UserCode } from './user-code-client.ts';

export interface TestUserCodeOptions {
  memoryLimitMb?: number;
  codeTimeoutMs?: number;
  expressionTimeoutMs?: number;
}

/**
 * User code for unit tests of the engine and its nodes: the real runner pool, client and RunnerCore, with the
 * runners inside this process (every message still copied as IPC copies it). The server always uses processes;
 * test/integration runs those.
 */
export function createTestUserCode(options: TestUserCodeOptions = {}): UserCode & { pool: RunnerPool } {
  const memoryLimitMb = options.memoryLimitMb ?? 64;
  const pool = new RunnerPool({
    size: 1,
    spawn: () => inProcessRunner({ memoryLimitMb, maxExecutions: 16 }),
    hangGraceMs: 5000,
    cancelGraceMs: 1000,
  });
  const client = createUserCodeClient(pool, {
    expressionTimeoutMs: options.expressionTimeoutMs ?? 1000,
    codeTimeoutMs: options.codeTimeoutMs ?? 5000,
  });
  return { ...client, pool };
}

/**
 * One batch of `{{ code }}` expressions for one item in `executionId` (kept by the runner until released), in a
 * one-node workflow, in UTC at 2024-01-15T10:30Z: each expression's outcome.
 */
export async function evaluateForOneItem(
  userCode: UserCode,
  executionId: string,
  json: JsonObject,
  codes: string[],
): Promise<ExpressionOutcome[]> {
  const outcomes = await userCode.evaluate({
    executionId,
    workflow: { nodes: [{ name: 'Current', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }], connections: {} },
    runData: {},
    node: 'Current',
    runIndex: 0,
    items: [{ json }],
    source: [],
    meta: runMetadata({
      workflow: { id: 'wf', name: 'Test', active: false },
      executionId: 'exec',
      mode: 'manual',
      timezone: 'UTC',
      now: new Date(Date.UTC(2024, 0, 15, 10, 30)),
      runIndex: 0,
      vars: {},
      envAllowed: false,
    }),
    signal: new AbortController().signal,
    expressions: codes.map((code) => `={{ ${code} }}`),
    itemCount: 1,
  });
  return outcomes.map((row) => row[0]!);
}
