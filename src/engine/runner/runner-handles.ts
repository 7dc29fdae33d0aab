import { type ChildProcess, fork } from 'node:child_process';
import type { FromRunner, ToRunner } from './protocol.ts';
import { RunnerCore } from './runner-core.ts';

/** One runner as the pool sees it: messages in and out, and a way to end it. */
export interface RunnerHandle {
  send(message: ToRunner): void;
  /** Ends the runner at once (SIGKILL for a process). */
  kill(): void;
  onMessage(listener: (message: FromRunner) => void): void;
  /** Called once when the runner is gone, with why. */
  onExit(listener: (reason: string) => void): void;
}

export interface RunnerSettings {
  memoryLimitMb: number;
  maxExecutions: number;
}

/** Only what a runner needs to start: it must not see the server's secrets (database URL, encryption key, ...). */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'TZ', 'NODE_ENV'];

const TSX_LOADER = import.meta.resolve('tsx');

/** A runner in a child process of its own: a V8 fatal error or a hang there ends that process only. */
export function spawnRunnerProcess(settings: RunnerSettings): RunnerHandle {
  const env: NodeJS.ProcessEnv = { FLOWGATE_RUNNER_OPTIONS: JSON.stringify(settings) };
  for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  const child: ChildProcess = fork(new URL('./runner-main.ts', import.meta.url), [], {
    // isolated-vm needs --no-node-snapshot on Node 20+; tsx runs the TypeScript as it does for the server.
    execArgv: ['--no-node-snapshot', '--import', TSX_LOADER],
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send(message) {
      if (child.connected) child.send(message);
    },
    kill() {
      child.kill('SIGKILL');
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message as FromRunner));
    },
    onExit(listener) {
      let reported = false;
      const report = (reason: string) => {
        if (reported) return;
        reported = true;
        listener(reason);
      };
      child.once('exit', (code, signal) => report(signal ? `killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (error) => report(error.message));
    },
  };
}

/**
 * A runner inside this process, for tests of the engine that need no process boundary: the same RunnerCore, with
 * every message copied as IPC would copy it. Never used by the server.
 */
export function inProcessRunner(settings: RunnerSettings): RunnerHandle {
  const listeners: ((message: FromRunner) => void)[] = [];
  const exitListeners: ((reason: string) => void)[] = [];
  const emit = (message: FromRunner) =>
    queueMicrotask(() => {
      for (const listener of listeners) listener(structuredClone(message));
    });
  let alive = true;
  const core = new RunnerCore({
    ...settings,
    onDropped: (executionId) => emit({ type: 'dropped', executionId }),
    onCatastrophicError: () => {},
  });
  queueMicrotask(() => emit({ type: 'ready' }));
  return {
    send(raw) {
      if (!alive) return;
      const message = structuredClone(raw);
      if (message.type === 'release') return core.release(message.executionId);
      if (message.type === 'cancel') return core.cancel();
      const { taskId } = message;
      void core
        .handle(message.request, (line) => emit({ type: 'log', taskId, line }))
        .then((response) => emit({ type: 'result', taskId, response }));
    },
    kill() {
      if (!alive) return;
      alive = false;
      core.dispose();
      queueMicrotask(() => {
        for (const listener of exitListeners) listener('killed');
      });
    },
    onMessage: (listener) => void listeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
  };
}
