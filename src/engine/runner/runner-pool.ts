import type { FromRunner, TaskRequest, TaskResponse } from './protocol.ts';
import type { RunnerHandle } from './runner-handles.ts';

export interface PoolOptions {
  /** How many runners run at once; each runs one task at a time. */
  size: number;
  spawn: () => RunnerHandle;
  /** A task that has not answered this long after its own time limit: its runner is killed and replaced. */
  hangGraceMs: number;
  /** How long a stopped task may take to wind down before its runner is killed. */
  cancelGraceMs: number;
  log?: { warn(details: object, message: string): void };
}

export interface TaskHooks {
  /** Hard limit for the task (its own time limit); the runner is killed once it passes by hangGraceMs. */
  timeoutMs: number;
  signal?: AbortSignal;
  log?(line: string): void;
}

interface Slot {
  id: number;
  handle: RunnerHandle;
  ready: boolean;
  /** Executions this runner holds a copy of. */
  holds: Set<string>;
  /** It said it must be replaced: it gets no more tasks, and its replacement is already started. */
  retiring?: boolean;
  task?: Running;
  startedAt: number;
}

interface Pending {
  executionId: string;
  build: (runner: number, fresh: boolean) => TaskRequest;
  hooks: TaskHooks;
  resolve(response: TaskResponse): void;
}

interface Running extends Pending {
  taskId: number;
  startedAt: number;
  timer: NodeJS.Timeout;
  cancelTimer?: NodeJS.Timeout;
  onAbort?: () => void;
}

/** A runner that dies this soon after starting waits before it is replaced, so a crash loop does not spin. */
const QUICK_DEATH_MS = 2000;
/** A task waits this long for the busy runner that holds its execution before it moves to a free one. */
const MOVE_AFTER_BUSY_MS = 250;
const RESPAWN_BACKOFF_MS = 1000;

/**
 * The runner processes and the tasks waiting for them. An execution sticks to the runner that holds its copy while
 * that runner is free; otherwise any free runner takes the task and gets the whole copy (`build(runner, fresh)`).
 * A runner that dies, or hangs past a task's limit, fails only the task it was running, and is replaced.
 */
export class RunnerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextTaskId = 1;
  private nextSlotId = 1;
  private closing = false;
  private readonly idleWaiters: (() => void)[] = [];

  private started = false;

  /** Runners start with the first task: a server (or a test) that never runs user code starts none. */
  constructor(private readonly options: PoolOptions) {}

  private ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.options.size; i++) this.start();
  }

  /** How many runners are up and ready now. */
  get readyCount(): number {
    return this.slots.filter((slot) => slot.ready).length;
  }

  run(executionId: string, build: Pending['build'], hooks: TaskHooks): Promise<TaskResponse> {
    if (this.closing) return Promise.resolve(failed('canceled', 'The server is shutting down'));
    if (hooks.signal?.aborted) return Promise.resolve(failed('canceled', 'The execution was canceled'));
    this.ensureStarted();
    return new Promise((resolve) => {
      this.queue.push({ executionId, build, hooks, resolve });
      this.dispatch();
    });
  }

  /** The execution is over: runners drop their copies. */
  release(executionId: string): void {
    for (const slot of this.slots) {
      if (slot.holds.delete(executionId)) slot.handle.send({ type: 'release', executionId });
    }
  }

  /** Lets running tasks finish for up to `graceMs`, then ends every runner. Queued tasks fail. */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    for (const pending of this.queue.splice(0)) pending.resolve(failed('canceled', 'The server is shutting down'));
    if (this.slots.some((slot) => slot.task)) {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    for (const slot of [...this.slots]) {
      if (slot.task) this.finish(slot, failed('canceled', 'The server is shutting down'));
      slot.handle.kill();
    }
    this.slots.length = 0;
  }

  private start(delayMs = 0): void {
    if (delayMs > 0) {
      setTimeout(() => this.start(), delayMs).unref();
      return;
    }
    if (this.closing) return;
    const slot: Slot = { id: this.nextSlotId++, handle: this.options.spawn(), ready: false, holds: new Set(), startedAt: Date.now() };
    this.slots.push(slot);
    slot.handle.onMessage((message) => this.onMessage(slot, message));
    slot.handle.onExit((reason) => this.onExit(slot, reason));
  }

  private onMessage(slot: Slot, message: FromRunner): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.dispatch();
    } else if (message.type === 'retiring') {
      slot.ready = false;
      slot.retiring = true;
      slot.holds.clear();
      this.start();
    } else if (message.type === 'dropped') {
      slot.holds.delete(message.executionId);
    } else if (message.type === 'log') {
      if (slot.task?.taskId === message.taskId) slot.task.hooks.log?.(message.line);
    } else if (message.type === 'result' && slot.task?.taskId === message.taskId) {
      this.finish(slot, message.response);
      this.dispatch();
    }
  }

  private onExit(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    if (slot.task) {
      this.options.log?.warn({ reason }, 'a runner process ended while running user code; it is replaced');
      this.finish(slot, failed('crashed', `The runner process running this code ended (${reason}): it most likely ran out of memory`));
    }
    if (this.closing) return;
    if (!slot.retiring) this.start(Date.now() - slot.startedAt < QUICK_DEATH_MS ? RESPAWN_BACKOFF_MS : 0);
    this.dispatch();
  }

  /**
   * Queued tasks in order, each to the runner holding its execution's copy (a fresh runner would cost a new isolate
   * and the whole copy again). A task waits for that runner while it is busy, unless it has been busy so long that
   * moving the execution is cheaper; a task of an execution no runner holds goes to the free runner holding least.
   */
  private dispatch(): void {
    const now = Date.now();
    for (let index = 0; index < this.queue.length; ) {
      const idle = this.slots.filter((slot) => slot.ready && !slot.task);
      if (!idle.length) return;
      const pending = this.queue[index]!;
      const holder = this.slots.find((slot) => slot.holds.has(pending.executionId));
      let target: Slot | undefined;
      if (holder && idle.includes(holder)) target = holder;
      else if (!holder || now - (holder.task?.startedAt ?? now) > MOVE_AFTER_BUSY_MS) {
        target = idle.reduce((best, slot) => (slot.holds.size < best.holds.size ? slot : best));
      }
      if (!target) {
        // Look again once its runner has been busy long enough for the task to move.
        this.redispatchIn(MOVE_AFTER_BUSY_MS - (now - (holder?.task?.startedAt ?? now)) + 1);
        index++;
        continue;
      }
      this.queue.splice(index, 1);
      this.assign(target, pending);
    }
  }

  private redispatchTimer: NodeJS.Timeout | undefined;

  private redispatchIn(ms: number): void {
    if (this.redispatchTimer) return;
    this.redispatchTimer = setTimeout(
      () => {
        this.redispatchTimer = undefined;
        this.dispatch();
      },
      Math.max(1, ms),
    );
    this.redispatchTimer.unref();
  }

  private assign(slot: Slot, pending: Pending): void {
    const fresh = !slot.holds.has(pending.executionId);
    if (fresh) {
      // Its copy elsewhere is stale from now on.
      for (const other of this.slots)
        if (other !== slot && other.holds.delete(pending.executionId))
          other.handle.send({ type: 'release', executionId: pending.executionId });
      slot.holds.add(pending.executionId);
    }
    const taskId = this.nextTaskId++;
    const timer = setTimeout(() => this.hung(slot, taskId), pending.hooks.timeoutMs + this.options.hangGraceMs);
    const running: Running = { ...pending, taskId, timer, startedAt: Date.now() };
    slot.task = running;
    if (pending.hooks.signal) {
      running.onAbort = () => this.cancel(slot, taskId);
      pending.hooks.signal.addEventListener('abort', running.onAbort, { once: true });
    }
    slot.handle.send({ type: 'task', taskId, request: pending.build(slot.id, fresh) });
  }

  private cancel(slot: Slot, taskId: number): void {
    if (slot.task?.taskId !== taskId) return;
    slot.handle.send({ type: 'cancel', taskId });
    slot.task.cancelTimer = setTimeout(() => {
      if (slot.task?.taskId !== taskId) return;
      this.finish(slot, failed('canceled', 'The execution was canceled'));
      slot.handle.kill();
    }, this.options.cancelGraceMs);
  }

  private hung(slot: Slot, taskId: number): void {
    if (slot.task?.taskId !== taskId) return;
    this.options.log?.warn({ timeoutMs: slot.task.hooks.timeoutMs }, 'a runner did not answer in time; it is replaced');
    this.finish(slot, failed('timeout', `The code did not finish within ${slot.task.hooks.timeoutMs} ms`));
    slot.handle.kill();
  }

  private finish(slot: Slot, response: TaskResponse): void {
    const task = slot.task;
    if (!task) return;
    slot.task = undefined;
    clearTimeout(task.timer);
    if (task.cancelTimer) clearTimeout(task.cancelTimer);
    if (task.onAbort) task.hooks.signal?.removeEventListener('abort', task.onAbort);
    if (!response.ok && response.failure.kind === 'needsSetup') {
      // The runner dropped this execution's copy: send the task again, with everything.
      slot.holds.delete(task.executionId);
      this.queue.unshift(task);
    } else {
      task.resolve(response);
    }
    if (!this.slots.some((s) => s.task)) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

function failed(kind: 'canceled' | 'crashed' | 'timeout', message: string): TaskResponse {
  return { ok: false, failure: { kind, message } };
}
