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
