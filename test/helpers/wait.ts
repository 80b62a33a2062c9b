/**
 * Waiting in tests without guessing how long things take. A sleep long enough on an idle
 * machine is too short on a loaded one, so:
 *
 * - to see something happen, wait for the event itself, or poll for it with `waitUntil`
 *   (the timeout only decides how long a broken build takes to fail);
 * - to see that something does NOT happen, prefer a barrier (see `barrier` in ./server);
 * - where no barrier exists (a timer that must not fire), use `quietPeriod`, which names
 *   the wait for what it is.
 */

export interface WaitUntilOptions {
  /** Give up after this long (ms); generous, since it only bounds a failing run. */
  timeoutMs?: number;
  /** Poll this often (ms). */
  intervalMs?: number;
  /** What was awaited, for the failure message (a function is asked at the time of failure). */
  message?: string | (() => string);
}

/** Resolves as soon as `condition` holds; rejects with `message` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, o: WaitUntilOptions = {}): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (performance.now() > deadline) {
      const what = typeof o.message === 'function' ? o.message() : (o.message ?? 'a condition');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 10));
  }
}

/**
 * Lets `ms` pass so that something which should NOT happen has had the chance to. Only for
 * timer-driven behaviour with no event or barrier to wait on (a retry loop that must stay
 * stopped, a grace period that must not run out); say at the call site why.
 */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
