/**
 * A token bucket: `ratePerSec` tokens refill continuously up to `burst`. Takes the time
 * as an argument so tests drive it with a fake clock.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes `cost` tokens (default one): 0 if allowed, else how many ms until they are available. */
  take(now: number, cost = 1): number {
    this.refill(now);
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return Math.ceil(((Math.min(cost, this.burst) - this.tokens) * 1000) / this.ratePerSec);
  }

  /**
   * Spends `cost` after the fact, going into debt if need be: for costs known only once the
   * work is done (bytes read). While in debt, `take` waits until the debt is paid back.
   */
  charge(now: number, cost: number): void {
    this.refill(now);
    this.tokens -= cost;
  }

  /** True when the bucket is full again: nothing to remember about this key. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSec) / 1000);
  }
}
