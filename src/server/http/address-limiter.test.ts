import { describe, expect, it } from 'vitest';
import { AddressLimiter } from './address-limiter';

describe('AddressLimiter', () => {
  const drain = (limiter: AddressLimiter, key: string, now: number) => {
    while (limiter.take(key, now) === 0);
  };

  it('gives each key its own bucket: a burst, then the rate', () => {
    const limiter = new AddressLimiter({ ratePerSec: 1, burst: 3, capacity: 10 });
    expect([0, 0, 0].map(() => limiter.take('a', 0))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 0)).toBe(1000);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 1000)).toBe(0);
  });

  it('never forgets a client that is still limited, however many others come (clearing the table did)', () => {
    const limiter = new AddressLimiter({ ratePerSec: 1, burst: 3, capacity: 4 });
    drain(limiter, 'victim-of-its-own-guessing', 0);
    for (let i = 0; i < 1000; i++) limiter.take(`spray-${i}`, 1);
    expect(limiter.size).toBeLessThanOrEqual(4);
    expect(limiter.take('victim-of-its-own-guessing', 2)).toBeGreaterThan(0);
  });

  it('newcomers share one overflow bucket while the table is full of limited clients', () => {
    const limiter = new AddressLimiter({ ratePerSec: 1, burst: 3, capacity: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    // Three tokens for all newcomers together, not three each.
    expect(['n1', 'n2', 'n3', 'n4'].map((k) => limiter.take(k, 1))).toEqual([0, 0, 0, expect.any(Number)]);
    expect(limiter.take('n5', 1)).toBeGreaterThan(0);
  });

  it('forgets a client once its bucket has refilled, making room for a newcomer', () => {
    const limiter = new AddressLimiter({ ratePerSec: 1, burst: 3, capacity: 2 });
    limiter.take('a', 0);
    limiter.take('b', 2000);
    expect(limiter.take('c', 3000)).toBe(0); // 'a' was full again after 3 s: dropped
    expect(limiter.size).toBe(2);
    drain(limiter, 'c', 3000);
    expect(limiter.take('d', 3001)).toBe(0); // 'b' has not refilled, so 'd' is in the overflow…
    expect(limiter.size).toBe(2);
    expect(limiter.take('c', 3001)).toBeGreaterThan(0); // …and 'c' keeps its debt
  });
});
