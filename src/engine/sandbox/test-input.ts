import type { CodeSandboxInput } from './code-sandbox.ts';

/** A complete sandbox input for tests; `overrides` replace any field. */
export function sandboxInput(overrides: Partial<CodeSandboxInput> & Pick<CodeSandboxInput, 'code'>): CodeSandboxInput {
  return {
    mode: 'runOnceForAllItems',
    items: [{ json: { name: 'Ada', n: 1 } }, { json: { name: 'Grace', n: 2 } }],
    nodeOutputs: {},
    workflow: { id: 'wf-1', name: 'Sandbox test', active: false },
    execution: { id: '42', mode: 'manual' },
    timeoutMs: 5_000,
    memoryLimitMb: 32,
    signal: new AbortController().signal,
    ...overrides,
  };
}
