import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { seededRandom } from './seeded-random';

/** Fixed, so a failure replays exactly; change it to explore, then fix the bug and put it back. */
const FC = { seed: 20_251_124, numRuns: 2_000 };

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const attempt = fc.oneof(fc.nat({ max: 64 }), fc.nat({ max: 100_000 }), fc.constant(10_000));

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base × 2^attempt)] for any attempt, random, base and cap', () => {
    fc.assert(
      fc.property(attempt, unit, fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 600_000 }), (n, r, baseMs, capMs) => {
        const delay = backoffDelay(n, { baseMs, capMs, random: () => r });
        // base × 2^n overflows to Infinity for large n, which min() turns into the cap: a fine oracle.
        const ceiling = Math.min(capMs, baseMs * 2 ** n);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(capMs);
        expect(delay).toBeCloseTo(r * ceiling, 6);
      }),
      FC,
    );
  });

  it('honours a server retryAfter as a floor, even above the cap', () => {
    fc.assert(
      fc.property(attempt, unit, fc.integer({ min: 0, max: 120_000 }), (n, r, retryAfterMs) => {
        const delay = backoffDelay(n, { random: () => r, retryAfterMs });
        const jittered = backoffDelay(n, { random: () => r });
        expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
        expect(delay).toBe(Math.max(retryAfterMs, jittered));
      }),
      FC,
    );
  });

  it('does not overflow for huge attempts', () => {
    for (const n of [1_023, 1_024, 1_100, 10_000, Number.MAX_SAFE_INTEGER, Infinity]) {
      expect(backoffDelay(n, { random: () => 0.999_999 })).toBeCloseTo(30_000 * 0.999_999, 6);
      expect(backoffDelay(n, { random: () => 0 })).toBe(0);
    }
    expect(Number.isNaN(backoffDelay(NaN, { random: () => 0.5 }))).toBe(false);
  });

  it('uses base 500 ms and cap 30 s by default', () => {
    const top = () => 0.999_999_999;
    expect(backoffDelay(0, { random: top })).toBeCloseTo(500, 3);
    expect(backoffDelay(3, { random: top })).toBeCloseTo(4_000, 3);
    expect(backoffDelay(5, { random: top })).toBeCloseTo(16_000, 3);
    expect(backoffDelay(6, { random: top })).toBeCloseTo(30_000, 3); // 32 s, capped
  });

  it('spreads delays uniformly over the whole window (mean ≈ half the ceiling)', () => {
    const random = seededRandom(7);
    for (const [n, ceiling] of [
      [3, 4_000],
      [12, 30_000],
    ] as const) {
      const samples = Array.from({ length: 20_000 }, () => backoffDelay(n, { random }));
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      expect(Math.abs(mean - ceiling / 2)).toBeLessThan(ceiling * 0.01);
      expect(Math.min(...samples)).toBeLessThan(ceiling * 0.01);
      expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.99);
    }
  });
});

describe('seededRandom', () => {
  it('replays the same sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    const xs = Array.from({ length: 1_000 }, () => a());
    expect(Array.from({ length: 1_000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(124)()).not.toBe(xs[0]);
  });
});
