import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createWorkflow, eventually } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * User code that tries to take the server down, in expressions and in Code nodes, run by real runner processes.
 * Each attack must fail only its own node with a clear error; a normal execution right after succeeds; the
 * server's /healthz answers all along; the pool is back at its size afterwards.
 */
const RUNNERS = 2;
let t: TestApp;
let healthz: { worstMs: number; failures: number; stop(): void };

beforeAll(async () => {
  t = await buildTestApp({
    N8N_RUNNERS_MAX_CONCURRENCY: String(RUNNERS),
    // Long enough that the allocation attacks reach the memory limit first even on a loaded 2-core machine (filling
    // 1e8 slots took over 3 s there once), short enough that the endless-loop cases stay quick.
    N8N_RUNNERS_TASK_TIMEOUT: '6',
    N8N_EXPRESSION_TIMEOUT_MS: '500',
    N8N_RUNNERS_MAX_OLD_SPACE_SIZE: '64',
  });
  healthz = watchHealthz();
});
afterAll(async () => {
  healthz.stop();
  await t.close();
});

/** Polls /healthz in this process every 20 ms: user code must never stall the server's event loop. */
function watchHealthz() {
  const state = { worstMs: 0, failures: 0, running: true, stop: () => {} };
  const loop = async () => {
    while (state.running) {
      const started = performance.now();
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      state.worstMs = Math.max(state.worstMs, performance.now() - started);
      if (res.statusCode !== 200) state.failures++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const done = loop();
  state.stop = () => {
    state.running = false;
    void done;
  };
  return state;
}

const manual = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

function expressionWorkflow(expression: string) {
  return {
    name: 'expression attack',
    nodes: [
      manual,
      {
        name: 'Attack',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [200, 0],
        parameters: { assignments: { assignments: [{ id: 'a', name: 'out', value: `={{ ${expression} }}`, type: 'string' }] } },
      },
    ],
    connections: { Manual: { main: [[{ node: 'Attack', type: 'main', index: 0 }]] } },
    settings: {},
  };
}

function codeWorkflow(code: string) {
  return {
    name: 'code attack',
    nodes: [manual, { name: 'Attack', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: code } }],
    connections: { Manual: { main: [[{ node: 'Attack', type: 'main', index: 0 }]] } },
    settings: {},
  };
}

async function runOnce(body: object) {
  const id = await createWorkflow(t, body);
  const res = await api(t, 'POST', `/workflows/${id}/run`, { wait: true });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { status: string; data: { resultData: { runData: Record<string, { error?: { message: string } }[]> } } };
}

async function expectNodeFailure(body: object, message: RegExp) {
  const execution = await runOnce(body);
  expect(execution.status).toBe('error');
  expect(execution.data.resultData.runData.Attack?.[0]?.error?.message).toMatch(message);
  // The server and the runners go on: a normal run right after succeeds.
  const after = await runOnce(expressionWorkflow('$json.n === undefined ? "fine" : "?"'));
  expect(after.status).toBe('success');
  const code = await runOnce(codeWorkflow('return [{ json: { ok: 1 + 1 } }]'));
  expect(code.status).toBe('success');
  await eventually(
    async () => (t.app.runtime.runners.readyCount === RUNNERS ? true : undefined),
    'the pool to be back at its size',
    15_000,
  );
}

const OUT_OF_MEMORY = /memory|runner process .* ended/i;

describe('attacks in expressions fail only their node', () => {
  it.each([
    ['a single huge allocation', 'new Array(1e8).fill(1).length', OUT_OF_MEMORY],
    ['a string past the limit', "'x'.repeat(2 ** 29).length", /Invalid string length|memory|runner process/i],
    [
      'a sparse array sent out whole',
      'new Array(2 ** 31)',
      /Invalid array length|Invalid string length|took longer|memory|runner process/i,
    ],
    ['gradual memory growth', '(() => { const a = []; while (true) a.push(new Array(1e5).fill(a.length)); })()', OUT_OF_MEMORY],
    ['an endless loop', '(() => { while (true) {} })()', /Expression took longer than 500 ms and was stopped/],
    ['deep recursion', '(function f() { return f() + 1 })()', /Maximum call stack size exceeded/],
    ['Atomics.wait', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)', /took longer than 500 ms/],
  ])('%s', async (_name, expression, message) => {
    await expectNodeFailure(expressionWorkflow(expression), message);
  });

  it('reaching process gets nothing: the ReferenceError empties the value, as any runtime error inside {{ }} does in n8n', async () => {
    const execution = await runOnce(expressionWorkflow('this.constructor.constructor("return process")().pid'));
    expect(execution.status).toBe('success');
    expect(JSON.stringify(execution.data.resultData.runData.Attack)).toContain('"out":null');
  });
});

describe('attacks in Code nodes fail only their node', () => {
  it.each([
    ['a single huge allocation', 'return [{ json: { n: new Array(1e8).fill(1).length } }]', OUT_OF_MEMORY],
    ['a string past the limit', "return [{ json: { n: 'x'.repeat(2 ** 29).length } }]", /Invalid string length|memory|runner process/i],
    [
      'a sparse array sent out whole',
      'return [{ json: { a: new Array(2 ** 31) } }]',
      /Invalid array length|Invalid string length|timed out|memory|runner process/i,
    ],
    ['gradual memory growth', 'const kept = []; while (true) kept.push("x".repeat(10000) + kept.length)', OUT_OF_MEMORY],
    ['an endless loop', 'while (true) {}', /Task execution timed out after 6 seconds/],
    ['deep recursion', 'function f() { return f() + 1 }\nreturn [{ json: { n: f() } }]', /Maximum call stack size exceeded/],
    ['Atomics.wait', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return []', /timed out/],
    ['a promise that never settles', 'await new Promise(() => {})', /timed out/],
    ['reaching process', "return [{ json: { pid: this.constructor.constructor('return process')().pid } }]", /process is not defined/],
  ])('%s', async (_name, code, message) => {
    await expectNodeFailure(codeWorkflow(code), message);
  });

  it('a prototype changed by one execution is not there for the next', async () => {
    const polluted = await runOnce(
      codeWorkflow('Object.prototype.polluted = "yes"; Array.prototype.map = () => "hijacked"; return [{ json: {} }]'),
    );
    expect(polluted.status).toBe('success');
    const clean = await runOnce(codeWorkflow('return [{ json: { polluted: ({}).polluted ?? "no", mapped: [1, 2].map((x) => x * 2) } }]'));
    expect(clean.status).toBe('success');
    expect(JSON.stringify(clean.data.resultData.runData.Attack)).toContain('"polluted":"no","mapped":[2,4]');
  });
});

describe('the server throughout', () => {
  it('answered /healthz every time, promptly, while the attacks ran', () => {
    expect(healthz.failures).toBe(0);
    // Generous for a loaded 2-core machine: what matters is that no attack blocked the loop for seconds.
    expect(healthz.worstMs).toBeLessThan(1000);
  });
});
