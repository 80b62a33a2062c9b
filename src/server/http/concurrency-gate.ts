/**
 * At most `limit` tasks at once, at most `queue` more waiting in order; beyond that a task
 * is refused at once instead of joining an ever longer line. Used for password hashing:
 * scrypt is deliberately slow and memory-hungry (~32 MiB each), so a flood of logins
 * must be turned away early rather than make everyone wait and the process swell.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly queue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /**
   * Runs `task` when a slot is free and returns its result; `null` (without running it)
   * when every slot is busy and the queue is full.
   */
  async run<T>(task: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.active >= this.limit) {
      if (this.waiting.length >= this.queue) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return { value: await task() };
    } finally {
      // The slot passes straight to the next in line, so `active` never dips below the truth.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
