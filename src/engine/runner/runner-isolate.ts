import ivm from 'isolated-vm';
import type { UserCodeFailure } from './protocol.ts';

/** isolated-vm refuses smaller heaps. */
const MIN_MEMORY_LIMIT_MB = 8;

/** A failure that ends the task (and the isolate with it, for memory): the runner reports it as the node's error. */
export class UserCodeStopped extends Error {
  constructor(readonly failure: UserCodeFailure) {
    super(failure.message);
  }
}

/**
 * The V8 isolate of a runner: one heap, limited to `memoryLimitMb`, in which every execution the runner serves has
 * its own contexts (realms: own globals, prototypes and intrinsics, RegExp statics, Luxon). Contexts are cheap
 * (well under a millisecond) where an isolate per execution costs several. When user code overruns the heap, the
 * isolate goes and every execution's contexts with it; the runner makes a new one, and the server sends each
 * execution's copy again with its next task.
 */
export class RunnerIsolate {
  readonly isolate: ivm.Isolate;
  catastrophic: string | undefined;
  /** Rejects when V8 gives up on the isolate: whatever ran in it never settles on its own then. */
  private readonly catastrophe: Promise<never>;

  constructor(
    readonly memoryLimitMb: number,
    onCatastrophicError: (message: string) => void,
  ) {
    let fail: (error: Error) => void = () => {};
    this.catastrophe = new Promise<never>((_resolve, reject) => {
      fail = reject;
    });
    this.catastrophe.catch(() => {});
    this.isolate = new ivm.Isolate({
      memoryLimit: Math.max(MIN_MEMORY_LIMIT_MB, memoryLimitMb),
      onCatastrophicError: (message) => {
        this.catastrophic = message;
        fail(new Error(`memory limit: ${message}`));
        onCatastrophicError(message);
      },
    });
  }

  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** `work`, unless the isolate breaks first. */
  guarded<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.catastrophe]);
  }

  /** A memory overrun disposes the isolate: say so, in the words of what was running. */
  stopped(error: unknown, what: 'expression' | 'code'): Error {
    if (error instanceof UserCodeStopped) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (this.catastrophic || this.isolate.isDisposed || /memory limit/i.test(message)) {
      this.dispose();
      return new UserCodeStopped({
        kind: 'memory',
        message:
          what === 'expression'
            ? 'Expression used too much memory and was stopped'
            : `Code execution ran out of memory (limit: ${this.memoryLimitMb} MB)`,
      });
    }
    return error instanceof Error ? error : new Error(message);
  }
}
