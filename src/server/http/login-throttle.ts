export interface LoginThrottleOptions {
  /** Failures allowed before the first wait. */
  freeFailures: number;
  /** The wait after the last free failure; doubled by each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A record with no failure for this long is forgotten. */
  forgetAfterMs: number;
  /** Accounts remembered at once. */
  capacity: number;
}

/** After 5 failures: 1 s, 2 s, 4 s … up to 15 min; forgotten after a day without failures. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * 3_600_000,
  capacity: 100_000,
};

interface Failures {
  count: number;
  lastAt: number;
  /** No attempt for this account is checked before this time. */
  until: number;
}

/**
 * ------------------------------------------------------------------------------------
 * Failed logins per account name, whoever sends them: guessing one account's password
 * from many addresses gets slower and slower. The name is counted whether or not an
 * account has it, so the 429 tells nothing about which names exist.
 *
 * An attempt inside the wait is answered at once (429 with the time left) without
 * checking the password, so it costs no scrypt and does not extend the wait.
 *
 * The price: anyone can make an account wait by failing on purpose. The wait is capped
 * at 15 minutes, only new sign-ins wait (devices already signed in refresh their tokens
 * as usual), and a successful login clears the record.
 *
 * Memory is bounded: beyond `capacity` names the one whose last failure is oldest is
 * forgotten. Evicting a victim's record that way takes `capacity` fresh failures, each a
 * full password check behind the global hashing limit: longer than the longest wait.
 * ------------------------------------------------------------------------------------
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly o: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {}

  /** How long `account` must still wait before its next attempt is checked: 0 = go ahead. */
  retryAfterMs(account: string, now: number): number {
    const record = this.live(account, now);
    return record && record.until > now ? record.until - now : 0;
  }

  /** Records a failure; returns the failures so far and the wait it imposes (0 while free). */
  failed(account: string, now: number): { failures: number; waitMs: number } {
    const record = this.live(account, now) ?? { count: 0, lastAt: now, until: 0 };
    record.count++;
    record.lastAt = now;
    const over = record.count - this.o.freeFailures;
    const waitMs = over < 0 ? 0 : Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(over, 40));
    record.until = now + waitMs;
    this.failures.delete(account); // re-inserted last: Map order is oldest failure first
    this.failures.set(account, record);
    if (this.failures.size > this.o.capacity) this.failures.delete(this.failures.keys().next().value!);
    return { failures: record.count, waitMs };
  }

  succeeded(account: string): void {
    this.failures.delete(account);
  }

  private live(account: string, now: number): Failures | undefined {
    const record = this.failures.get(account);
    if (record && now - record.lastAt >= this.o.forgetAfterMs && record.until <= now) {
      this.failures.delete(account);
      return undefined;
    }
    return record;
  }
}
