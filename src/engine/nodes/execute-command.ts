import { spawn } from 'node:child_process';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item } from '../types.ts';
import { commandOutput, tooMuchOutputMessage } from './command-output.ts';

/**
 * Only what a shell needs: the command does not see this server's environment (its database URL, encryption key
 * and API key would be one `env` away).
 */
const commandEnv = () => ({
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  HOME: process.env.HOME ?? '/',
  LANG: process.env.LANG ?? 'C.UTF-8',
});

/** Runs `command` in /bin/sh; resolves with its exit code and output; stopping the execution kills it. */
export function runShell(command: string, signal: AbortSignal): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env: commandEnv(), signal, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = commandOutput(() => {
      child.kill('SIGKILL');
      reject(new NodeOperationError(tooMuchOutputMessage));
    });
    child.stdout.on('data', output.stdout);
    child.stderr.on('data', output.stderr);
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, ...output.text() }));
  });
}

/**
 * n8n's Execute Command: runs the command on this machine (once, or per item when `executeOnce` is off) and outputs
 * `{ exitCode, stderr, stdout }`; a command that fails (non-zero exit) fails the node with its stderr. Off by
 * default (NODES_EXCLUDE), as in n8n 2.x.
 */
export const executeCommandNode: NodeType = {
  type: 'n8n-nodes-base.executeCommand',
  typeVersions: [1],
  async execute(ctx) {
    const once = ctx.getParam<boolean>('executeOnce', 0, true) !== false;
    const count = once ? Math.min(1, ctx.items.length || 1) : ctx.items.length;
    const output: Item[] = [];
    for (let itemIndex = 0; itemIndex < count; itemIndex++) {
      const command = ctx.getParam<string>('command', itemIndex, '');
      const result = await runShell(command, ctx.signal);
      if (result.exitCode !== 0) {
        throw new NodeOperationError(`Command failed: ${command}\n${result.stderr}`, { itemIndex });
      }
      output.push({ json: { exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout }, pairedItem: { item: itemIndex } });
    }
    return [output];
  },
};
