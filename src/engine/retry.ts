import type { ExecutionData } from './types.ts';

/**
 * The state a retry starts from, as n8n retries: every node that succeeded keeps its saved output, the node
 * that failed (first on the saved stack) loses its failed run and runs again. Null when the data holds no
 * saved stack to continue from.
 */
export function prepareRetry(original: ExecutionData): ExecutionData | null {
  const saved = original.executionData;
  const failed = saved?.nodeExecutionStack[0];
  if (!saved || !failed) return null;
  const runData = structuredClone(original.resultData.runData);
  const runs = runData[failed.node];
  if (runs?.length && runs[runs.length - 1]?.executionStatus !== 'success') runs.pop();
  if (runs && runs.length === 0) delete runData[failed.node];
  return {
    version: 1,
    startData: {},
    resultData: { runData, ...(original.resultData.lastNodeExecuted ? { lastNodeExecuted: original.resultData.lastNodeExecuted } : {}) },
    executionData: structuredClone({
      ...saved,
      nodeExecutionStack: saved.nodeExecutionStack.map((entry) => ({ ...entry, resume: false })),
    }),
  };
}
