import type { RunResult } from '../../engine/run-workflow.ts';
import type { RunData, SerializedError } from '../../engine/types.ts';

/**
 * A run's result as the JSON text that is stored. Data that cannot be serialised (nested deeper than the stack
 * allows, or larger than a JavaScript string can hold: an HTTP response or Code output can be either) must still
 * end the execution: it is then recorded as an error that says why, with each node's runs kept but their items
 * dropped.
 */
export function storable(result: RunResult): { result: RunResult; json: string } {
  try {
    return { result, json: JSON.stringify(result.data) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const truncated = truncatedResult(result, reason);
    return { result: truncated, json: JSON.stringify(truncated.data) };
  }
}

function truncatedResult(result: RunResult, reason: string): RunResult {
  const { resultData } = result.data;
  // fromEntries: node names are client text, and `__proto__` must stay an ordinary key.
  const runData: RunData = Object.fromEntries(
    Object.entries(resultData.runData).map(([name, runs]) => [
      name,
      runs.map(({ startTime, executionIndex, executionTime, executionStatus, source }) => ({
        startTime,
        executionIndex,
        executionTime,
        executionStatus,
        source: JSON.parse(safeJson(source, '[]')),
        hints: [],
      })),
    ]),
  );
  const error: SerializedError = {
    name: 'ExecutionDataError',
    message: `The execution finished "${result.status}", but its data could not be saved (${reason}); the node outputs were dropped.`,
    description:
      'A node produced data nested too deeply or too large to store. Limit what the node returns (fewer fields, a flatter shape).',
    timestamp: Date.now(),
  };
  return {
    status: 'error',
    data: {
      version: 1,
      startData: {},
      resultData: { runData, ...(resultData.lastNodeExecuted ? { lastNodeExecuted: resultData.lastNodeExecuted } : {}), error },
    },
  };
}

function safeJson(value: unknown, fallback: string): string {
  try {
    return JSON.stringify(value) ?? fallback;
  } catch {
    return fallback;
  }
}
