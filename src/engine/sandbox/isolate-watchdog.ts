import type ivm from 'isolated-vm';

export type StopReason = 'timeout' | 'canceled' | 'catastrophic';

/**
 * Stops an isolate from the host. isolated-vm's own `timeout` only bounds synchronous runs: code awaiting a
 * promise that never settles would hold the isolate forever. The watchdog disposes the isolate when the time
 * limit passes, the execution is canceled, or V8 reports a catastrophic error, which ends whatever runs in it;
 * `stopped` then rejects so the caller stops waiting.
 */
export class IsolateWatchdog {
  readonly stopped: Promise<never>;
  private stopReason: StopReason | undefined;
  private rejectStopped: (error: Error) => void = () => {};
  private isolate: ivm.Isolate | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly deadline: number;
  private readonly onAbort = () => this.stop('canceled');

  constructor(
    timeoutMs: number,
    private readonly signal: AbortSignal,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.stopped = new Promise<never>((_resolve, reject) => {
      this.rejectStopped = reject;
    });
    // Whoever races on `stopped` may already be gone when it rejects.
    this.stopped.catch(() => {});
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  watch(isolate: ivm.Isolate): void {
    this.isolate = isolate;
    if (this.stopReason) this.disposeIsolate();
  }

  stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.disposeIsolate();
    this.rejectStopped(new Error(`sandbox stopped: ${reason}`));
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** Time left for one synchronous step inside the isolate (isolated-vm wants at least 1 ms). */
  remainingMs = (): number => Math.max(1, this.deadline - Date.now());

  release(): void {
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
  }

  private disposeIsolate(): void {
    if (this.isolate && !this.isolate.isDisposed) this.isolate.dispose();
  }
}
