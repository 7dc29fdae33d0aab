import { afterAll, describe, expect, it } from 'vitest';
import type { ExpressionOutcome } from './protocol.ts';
import { createTestUserCode, evaluateForOneItem } from './test-user-code.ts';

/**
 * The extension library is joined from parts (isolate/extensions/*.js) by a registration helper of its loader
 * (isolate-scripts.ts). Whether the library is loaded before the expression context's global object is frozen (the
 * first batch calls an extension function) or after (a later batch does), an expression sees the same globals as in a
 * context without it: no `__extensionPart`, nothing else.
 */
const userCode = createTestUserCode({ expressionTimeoutMs: 2000, memoryLimitMb: 64, codeTimeoutMs: 5000 });
afterAll(() => userCode.pool.close(0));

const GLOBALS = 'Object.getOwnPropertyNames(globalThis).sort()';
// Read in the global scope (a Function's body), not through the expression's own scope, so a top-level `const` of a
// loaded script (a binding of the global scope, not a property of the global object) shows too.
const HELPERS = 'Function("return [typeof __extensionPart, typeof parts, typeof shared, typeof makeExtensions]")()';
const UNDEFINED = ['undefined', 'undefined', 'undefined', 'undefined'];

let executions = 0;

/** One batch of expressions in `executionId` (kept until released), over one item. */
function evaluate(executionId: string, codes: string[]): Promise<ExpressionOutcome[]> {
  return evaluateForOneItem(userCode, executionId, { name: 'ada lovelace' }, codes);
}

/** A fresh execution's outcomes, batch by batch. */
async function inFreshExecution(batches: string[][]): Promise<ExpressionOutcome[][]> {
  const executionId = `extension-globals-${++executions}`;
  try {
    const results: ExpressionOutcome[][] = [];
    for (const codes of batches) results.push(await evaluate(executionId, codes));
    return results;
  } finally {
    userCode.release(executionId);
  }
}

describe('the extension library leaves no global behind', () => {
  it('loaded with the first batch, before the global object is frozen', async () => {
    const [plain] = (await inFreshExecution([[GLOBALS]]))[0]!;
    const [called, globals, helpers, frozen] = (
      await inFreshExecution([['$json.name.toTitleCase()', GLOBALS, HELPERS, 'Object.isFrozen(globalThis)']])
    )[0]!;
    expect(called).toEqual({ ok: true, value: 'Ada Lovelace' });
    expect(plain!.ok).toBe(true);
    expect(globals).toEqual(plain);
    expect(helpers).toEqual({ ok: true, value: UNDEFINED });
    expect(frozen).toEqual({ ok: true, value: true });
  });

  it('loaded by a later batch, after the global object is frozen', async () => {
    const [first, second] = await inFreshExecution([[GLOBALS], ['$json.name.toSnakeCase()', GLOBALS, HELPERS]]);
    const [before] = first!;
    const [called, after, helpers] = second!;
    expect(called).toEqual({ ok: true, value: 'ada_lovelace' });
    expect(after).toEqual(before);
    expect(helpers).toEqual({ ok: true, value: UNDEFINED });
  });
});
