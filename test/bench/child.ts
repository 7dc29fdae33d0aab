import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ServersReady } from './servers.ts';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServersHandle {
  ready: Promise<ServersReady>;
  /** Safe at any time, also while starting: asks the child to close, then kills it if it does not exit. */
  stop(): Promise<void>;
}

export function startServers(databaseUrl: string): ServersHandle {
  const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  const ready = new Promise<ServersReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`servers not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    child.on('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`servers failed to start: ${message.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`servers exited before they were ready (code ${code}, signal ${signal})`));
    });
  });
  // A rejection nobody awaits yet (stop() during start-up) must not crash the parent.
  ready.catch(() => {});

  return {
    ready,
    async stop() {
      if (!isRunning()) return;
      if (child.connected) child.send('stop');
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
