/** How stores schedule work; tests hand them fake timers through this. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Search-as-you-type mechanics: a task runs once the typing pauses for `delayMs`, and only
 * the latest task's answer counts (a slow earlier answer that arrives later is dropped).
 */
export class LatestAfterPause {
  private timer: unknown = null;
  private generation = 0;

  constructor(
    private readonly timers: Timers,
    private readonly delayMs: number,
  ) {}

  /** Replaces whatever is pending; `isCurrent()` tells the task whether its answer still counts. */
  schedule(task: (isCurrent: () => boolean) => Promise<void>): void {
    const generation = this.cancel();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void task(() => generation === this.generation);
    }, this.delayMs);
  }

  /** Drops the pending task and any answer in flight. Not final: a later schedule() works. */
  cancel(): number {
    this.generation++;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    return this.generation;
  }
}
