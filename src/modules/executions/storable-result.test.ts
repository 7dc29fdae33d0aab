import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../engine/run-workflow.ts';
import { storable } from './storable-result.ts';

function resultWith(items: unknown): RunResult {
  return {
    status: 'success',
    data: {
      version: 1,
      startData: {},
      resultData: {
        runData: {
          Fetch: [
            {
              startTime: 1,
              executionIndex: 0,
              executionTime: 2,
              executionStatus: 'success',
              source: [],
              hints: [],
              data: { main: [[{ json: { items } as never }]] },
            },
          ],
        },
        lastNodeExecuted: 'Fetch',
      },
    },
  };
}

describe('storable', () => {
  it('stores a result as its JSON text', () => {
    const result = resultWith([1, 2]);
    expect(storable(result)).toEqual({ result, json: JSON.stringify(result.data) });
  });

  it('turns data that cannot be serialised into an error that says so, keeping the runs without their items', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { result, json } = storable(resultWith(deep));
    expect(result.status).toBe('error');
    expect(JSON.parse(json)).toEqual(result.data);
    expect(result.data.resultData.error?.message).toMatch(
      /^The execution finished "success", but its data could not be saved \(Maximum call stack size exceeded\); the node outputs were dropped\.$/,
    );
    expect(result.data.resultData.runData.Fetch).toEqual([
      { startTime: 1, executionIndex: 0, executionTime: 2, executionStatus: 'success', source: [], hints: [] },
    ]);
    expect(result.data.resultData.lastNodeExecuted).toBe('Fetch');
  });
});
