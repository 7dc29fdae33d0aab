import type { FromRunner, ToRunner } from './protocol.ts';
import { RunnerCore } from './runner-core.ts';

/**
 * A runner process: user code (expressions and Code nodes) of the executions the server hands it, in isolated-vm
 * isolates. Anything that goes wrong in here (a V8 fatal error, an isolate that cannot be reclaimed, a hang) ends
 * only this process; the server replaces it.
 */
const options = JSON.parse(process.env.FLOWGATE_RUNNER_OPTIONS ?? '{}') as { memoryLimitMb?: number; maxExecutions?: number };

const send = (message: FromRunner) => process.send?.(message);

let mustExit = false;
const core = new RunnerCore({
  memoryLimitMb: options.memoryLimitMb ?? 512,
  maxExecutions: options.maxExecutions ?? 64,
  onDropped: (executionId) => send({ type: 'dropped', executionId }),
  // The broken isolate's thread is parked for good: answer the task, then let the server start a fresh process.
  onCatastrophicError: () => {
    if (!mustExit) send({ type: 'retiring' });
    mustExit = true;
  },
});

process.on('message', (message: ToRunner) => {
  if (message.type === 'release') return core.release(message.executionId);
  if (message.type === 'cancel') return core.cancel();
  const { taskId, request } = message;
  // Sent before the server heard this runner is retiring: it goes to another runner, with everything.
  if (mustExit) {
    return send({ type: 'result', taskId, response: { ok: false, failure: { kind: 'needsSetup', message: 'this runner is retiring' } } });
  }
  core
    .handle(request, (line) => send({ type: 'log', taskId, line }))
    .then((response) => send({ type: 'result', taskId, response }))
    .catch((error: unknown) =>
      send({ type: 'result', taskId, response: { ok: false, failure: { kind: 'crashed', message: String(error) } } }),
    )
    .finally(() => {
      if (mustExit) setImmediate(() => process.exit(70));
    });
});

// The server went away: nothing is left to do.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
