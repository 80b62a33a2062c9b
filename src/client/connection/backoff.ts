export interface BackoffOptions {
  /** The ceiling of attempt 0 (default 500 ms); it doubles with every attempt. */
  baseMs?: number;
  /** No delay ever exceeds this (default 30 s), except a larger `retryAfterMs`. */
  capMs?: number;
  /** Uniform in [0, 1); injectable so tests are deterministic (default Math.random). */
  random?: () => number;
  /** A floor the server asked for (rate limiting, restart): honoured even above the cap. */
  retryAfterMs?: number;
}

export const DEFAULT_BACKOFF_BASE_MS = 500;
export const DEFAULT_BACKOFF_CAP_MS = 30_000;

/**
 * How long to wait before reconnect attempt `attempt` (counting from 0): exponential
 * backoff with FULL jitter, uniform in [0, min(cap, base × 2^attempt)). Full jitter
 * spreads a crowd of clients that lost the server at the same moment over the whole
 * window, so a restarted server is not hit by one synchronised wave per attempt.
 */
export function backoffDelay(attempt: number, o: BackoffOptions = {}): number {
  const base = o.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = o.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const random = o.random ?? Math.random;
  const jittered = random() * backoffCeiling(attempt, base, cap);
  return Math.max(o.retryAfterMs ?? 0, jittered);
}

/**
 * min(cap, base × 2^attempt) without computing 2^attempt for huge attempts: 2^1100 is
 * Infinity, and 0 × Infinity (base 0) would be NaN.
 */
export function backoffCeiling(attempt: number, baseMs = DEFAULT_BACKOFF_BASE_MS, capMs = DEFAULT_BACKOFF_CAP_MS): number {
  if (baseMs <= 0 || capMs <= 0) return 0;
  const n = attempt > 0 ? Math.floor(attempt) : 0; // NaN and negatives count as 0
  // Once base × 2^n reaches the cap, more doublings cannot lower it.
  if (n >= Math.log2(capMs / baseMs)) return capMs;
  return Math.min(capMs, baseMs * 2 ** n);
}
