/** Time sources and a timer, injectable so tests can move the two clocks independently. */
export interface WakeClock {
  /** Wall-clock ms (Date.now): keeps counting while the machine sleeps. */
  wallNow(): number;
  /** Monotonic ms (performance.now): stops during a Linux/macOS suspend. */
  monoNow(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface WakeDetectorOptions {
  /** Called once per detected gap with how long the process was away (ms). */
  onWake(sleptMs: number): void;
  /** How often to compare the clocks (default 5 s). */
  tickMs?: number;
  /** Gaps up to this long are ordinary jitter (default 10 s). */
  thresholdMs?: number;
  clock?: Partial<WakeClock>;
}

export interface WakeDetector {
  /** Starts ticking from now; a no-op if already running. */
  start(): void;
  stop(): void;
}

const systemClock: WakeClock = {
  wallNow: () => Date.now(),
  monoNow: () => performance.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * Notices that the machine slept, or the process was frozen, without any OS event (a
 * headless client has no powerMonitor). Each tick compares what the two clocks saw
 * since the previous tick:
 *
 * - Suspend: the monotonic clock behind performance.now stops on Linux and macOS while
 *   the wall clock keeps going, so wall − mono grows by the time asleep.
 * - Freeze (SIGSTOP, a debugger, Windows where the monotonic clock counts suspend too):
 *   the tick itself arrives late by monotonic time.
 *
 * A wall clock set BACKWARDS (NTP correction, the user fixing the time) is not sleep and
 * is ignored; the next tick measures from the new time. A wall clock set forward by more
 * than the threshold is indistinguishable from sleep and reports a wake, which costs only
 * a liveness check.
 */
export function createWakeDetector(o: WakeDetectorOptions): WakeDetector {
  const clock: WakeClock = { ...systemClock, ...o.clock };
  const tickMs = o.tickMs ?? 5_000;
  const thresholdMs = o.thresholdMs ?? 10_000;
  let handle: unknown;
  let running = false;
  let lastWall = 0;
  let lastMono = 0;

  const anchor = () => {
    lastWall = clock.wallNow();
    lastMono = clock.monoNow();
  };

  const tick = () => {
    const wallElapsed = clock.wallNow() - lastWall;
    const monoElapsed = clock.monoNow() - lastMono;
    anchor();
    const suspended = Math.max(0, wallElapsed - monoElapsed);
    const frozen = Math.max(0, monoElapsed - tickMs);
    if (suspended > thresholdMs || frozen > thresholdMs) o.onWake(suspended + frozen);
  };

  return {
    start() {
      if (running) return;
      running = true;
      anchor();
      handle = clock.setInterval(tick, tickMs);
      unref(handle);
    },
    stop() {
      if (!running) return;
      running = false;
      clock.clearInterval(handle);
      handle = undefined;
    },
  };
}

/** A wake detector must never be what keeps the process alive. */
function unref(handle: unknown): void {
  if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') handle.unref();
}
