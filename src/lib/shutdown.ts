/**
 * Ordered shutdown: steps registered during start-up run in reverse (HTTP first, the database last) on
 * SIGINT/SIGTERM, within a deadline. A second signal, or the deadline, forces the exit.
 */
export function createShutdown(options: { timeoutMs: number; log: (msg: string, err?: unknown) => void }) {
  const steps: { name: string; run: () => Promise<void> }[] = [];
  let shuttingDown = false;

  async function shutdown(reason: string, exitCode: number) {
    if (shuttingDown) {
      options.log(`${reason} again: exiting now`);
      process.exit(1);
    }
    shuttingDown = true;
    const started = Date.now();
    options.log(`${reason}: shutting down`);
    const deadline = setTimeout(() => {
      options.log(`shutdown did not finish within ${options.timeoutMs} ms; exiting`);
      process.exit(1);
    }, options.timeoutMs);
    deadline.unref();
    for (const step of steps.reverse()) {
      try {
        await step.run();
      } catch (err) {
        options.log(`shutdown step "${step.name}" failed`, err);
        exitCode = exitCode || 1;
      }
    }
    clearTimeout(deadline);
    options.log(`shutdown finished in ${Date.now() - started} ms; exiting with code ${exitCode}`);
    process.exit(exitCode);
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }

  return {
    add(name: string, run: () => Promise<void>) {
      steps.push({ name, run });
    },
    fail: (reason: string) => shutdown(reason, 1),
  };
}
