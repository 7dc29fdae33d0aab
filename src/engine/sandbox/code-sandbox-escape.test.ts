import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCodeInSandbox } from './code-sandbox.ts';
import { CodeExecutionError } from './sandbox-errors.ts';
import { sandboxInput } from './test-input.ts';

/** Sandbox escape attempts: each must fail, or find nothing of the host. */

const run = (code: string) => runCodeInSandbox(sandboxInput({ code }));

const hostPaths = [process.cwd(), path.dirname(process.execPath), 'node_modules', 'file://', '.ts:'];

describe('the sandbox keeps the host out of reach', () => {
  it('has no Node globals', async () => {
    const result = await run(`
      return ['require', 'process', 'module', 'exports', 'Buffer', 'fetch', 'setTimeout', 'global', '__dirname', 'XMLHttpRequest', 'WebSocket']
        .filter((name) => typeof globalThis[name] !== 'undefined');
    `);
    expect(result).toEqual([]);
  });

  it("does not reach process through the global object's constructor", async () => {
    await expect(run("return this.constructor.constructor('return process')()")).rejects.toThrow('process is not defined');
    await expect(run("return typeof this.constructor.constructor('return this')().process")).resolves.toBe('undefined');
  });

  it('does not reach process through Function', async () => {
    await expect(run("return Function('return this')().process")).resolves.toBeUndefined();
    await expect(run('return globalThis.process')).resolves.toBeUndefined();
    await expect(run("return eval('typeof process')")).resolves.toBe('undefined');
  });

  it('cannot require modules', async () => {
    await expect(run("return require('fs')")).rejects.toThrow('require is not defined');
    await expect(run("return require('child_process').execSync('id')")).rejects.toThrow('require is not defined');
  });

  it('cannot import modules', async () => {
    await expect(run("return await import('fs')")).rejects.toThrow(CodeExecutionError);
    await expect(run("import fs from 'fs';\nreturn fs")).rejects.toThrow(/Cannot use import statement/);
  });

  it('cannot use the network', async () => {
    await expect(run("return await fetch('http://127.0.0.1:1/')")).rejects.toThrow('fetch is not defined');
  });

  it("does not reach the host through a passed-in item's constructor chain", async () => {
    const result = await runCodeInSandbox(
      sandboxInput({
        nodeOutputs: { Other: [{ json: { x: 1 } }] },
        code: `
          const routes = [
            items[0].constructor.constructor('return typeof process')(),
            items[0].json.constructor.constructor('return typeof require')(),
            $input.all.constructor('return typeof process')(),
            $('Other').first().json.constructor.constructor('return typeof process')(),
            Object.getPrototypeOf(items).constructor.constructor('return typeof module')(),
            console.log.constructor('return typeof process')(),
          ];
          return routes;
        `,
      }),
    );
    expect(result).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('cannot see the values the sandbox set itself up with', async () => {
    await expect(run('return [typeof $0, typeof $1]')).resolves.toEqual(['undefined', 'undefined']);
  });

  it("does not pollute the host's prototypes", async () => {
    const result = await run(`
      Object.prototype.polluted = 1;
      Array.prototype.polluted = 2;
      Function.prototype.polluted = 3;
      return { own: 'value' };
    `);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((run as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(result).toEqual({ own: 'value' });
    expect((result as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not leak host paths through stack traces', async () => {
    const stack = (await run('return new Error("where am I").stack')) as string;
    expect(stack).toContain('code.js:1');
    for (const hostPath of hostPaths) expect(stack).not.toContain(hostPath);

    const frames = (await run(
      'Error.prepareStackTrace = (_error, frames) => frames.map((frame) => String(frame.getFileName())); return new Error().stack',
    )) as string[];
    expect(frames.every((file) => ['code.js', 'flowgate-globals.js'].includes(file))).toBe(true);
  });

  it("does not leak host paths through a failed run's error", async () => {
    const error = (await run('function inner() { throw new Error("x") }\ninner()').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('x [line 1]');
    for (const hostPath of hostPaths) expect(error.stack).not.toContain(hostPath);
  });

  it('cannot block the process with Atomics.wait', async () => {
    const started = Date.now();
    const code = 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1';
    await expect(runCodeInSandbox(sandboxInput({ timeoutMs: 300, code }))).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps the server alive when V8 gives up on an isolate', async () => {
    // V8 aborts the whole process on some allocations (a huge array filled at once) unless the isolate has an
    // onCatastrophicError handler; run it in a child process so a regression cannot take the test runner down.
    const moduleUrl = new URL('./code-sandbox.ts', import.meta.url).href;
    const script = `
      const { runCodeInSandbox } = await import(${JSON.stringify(moduleUrl)});
      const base = { mode: 'runOnceForAllItems', items: [], nodeOutputs: {}, workflow: { id: 'w', name: 'w', active: false },
        execution: { id: '1', mode: 'manual' }, timeoutMs: 10000, memoryLimitMb: 16, signal: new AbortController().signal };
      const outcome = await runCodeInSandbox({ ...base, code: 'return new Array(1e9).fill(0).length' })
        .then(() => 'returned', (error) => error.message);
      const after = await runCodeInSandbox({ ...base, code: 'return 1 + 1' });
      console.log(JSON.stringify({ outcome, after }));
    `;
    const report = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) {
          // The parked isolate thread keeps the child from exiting on its own.
          child.kill('SIGKILL');
          resolve(stdout.trim());
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited early (code ${code}, signal ${signal}): ${stdout}`));
      });
    });
    expect(JSON.parse(report)).toEqual({ outcome: 'Code execution ran out of memory (limit: 16 MB)', after: 2 });
  }, 30_000);
});
