import { describe, expect, it, vi } from 'vitest';
import { createWakeDetector, type WakeClock } from './wake-detector';

/** Two clocks the test moves independently, and an interval it fires by hand. */
function fakeClock() {
  const state = { wall: 1_700_000_000_000, mono: 1_000, tick: null as (() => void) | null, ms: 0, unrefs: 0, clears: 0 };
  const clock: WakeClock = {
    wallNow: () => state.wall,
    monoNow: () => state.mono,
    setInterval(fn, ms) {
      state.tick = fn;
      state.ms = ms;
      return { unref: () => state.unrefs++ };
    },
    clearInterval() {
      state.tick = null;
      state.clears++;
    },
  };
  /** Moves the clocks, then fires the interval as the event loop would. */
  const advance = (wallMs: number, monoMs = wallMs) => {
    state.wall += wallMs;
    state.mono += monoMs;
    state.tick?.();
  };
  return { state, clock, advance };
}

function setup(o: { tickMs?: number; thresholdMs?: number } = {}) {
  const fake = fakeClock();
  const wakes: number[] = [];
  const detector = createWakeDetector({ ...o, clock: fake.clock, onWake: (ms) => wakes.push(ms) });
  detector.start();
  return { ...fake, wakes, detector };
}

describe('createWakeDetector', () => {
  it('stays quiet on ordinary ticks, a little early or late', () => {
    const { advance, wakes, state } = setup();
    expect(state.ms).toBe(5_000);
    for (let i = 0; i < 200; i++) advance(5_000 + ((i * 137) % 2_000) - 1_000);
    expect(wakes).toEqual([]);
  });

  it('reports a suspend: the wall clock jumped 60 s while the monotonic clock moved 5 s', () => {
    const { advance, wakes } = setup();
    advance(5_000);
    advance(65_000, 5_000);
    expect(wakes).toEqual([60_000]);
    advance(5_000);
    expect(wakes).toHaveLength(1);
  });

  it('reports a frozen event loop: the tick fired 30 s late by both clocks', () => {
    const { advance, wakes } = setup();
    advance(35_000);
    expect(wakes).toEqual([30_000]);
  });

  it('fires only beyond the threshold', () => {
    const { advance, wakes } = setup({ tickMs: 1_000, thresholdMs: 4_000 });
    advance(1_000 + 4_000, 1_000); // drift exactly the threshold
    advance(1_000 + 4_000); // late by exactly the threshold
    expect(wakes).toEqual([]);
    advance(1_000 + 4_001, 1_000);
    advance(1_000 + 4_001);
    expect(wakes).toEqual([4_001, 4_001]);
  });

  it('ignores the wall clock set backwards (NTP correction), then measures from the new time', () => {
    const { advance, wakes } = setup();
    advance(-3_600_000 + 5_000, 5_000);
    advance(5_000);
    advance(5_000);
    expect(wakes).toEqual([]);
  });

  it('unrefs its interval, stops ticking on stop(), and re-anchors on start()', () => {
    const { advance, wakes, state, detector } = setup();
    expect(state.unrefs).toBe(1);
    detector.start(); // already running: no second interval
    expect(state.unrefs).toBe(1);
    detector.stop();
    detector.stop();
    expect(state.clears).toBe(1);
    expect(state.tick).toBeNull();
    state.wall += 3_600_000; // slept while stopped: not a wake once restarted
    detector.start();
    advance(5_000);
    expect(wakes).toEqual([]);
  });

  it('runs on the system clocks by default and notices a blocked event loop', async () => {
    const wakes: number[] = [];
    const detector = createWakeDetector({ tickMs: 10, thresholdMs: 150, onWake: (ms) => wakes.push(ms) });
    detector.start();
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // Block the event loop, as a SIGSTOP or a debugger would.
    }
    // The next tick, once the loop is free, reports the stall.
    await vi.waitFor(() => expect(wakes.length).toBeGreaterThan(0), { timeout: 10_000, interval: 10 });
    detector.stop();
    expect(wakes[0]).toBeGreaterThan(150); // a loaded machine may add a later stall; the first is ours
  });
});
