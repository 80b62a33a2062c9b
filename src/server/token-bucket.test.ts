import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then the refill rate, and says how long to wait', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(50)).toBe(50);
    expect(bucket.take(100)).toBe(0);
    expect(bucket.take(10_000)).toBe(0); // refills to the burst, no further
    expect([bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)]).toEqual([0, 0, 100]);
  });

  it('takes several tokens at once, and a charge after the fact is a debt that delays the next take', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(bucket.take(0, 4)).toBe(0);
    expect(bucket.take(0, 4)).toBe(300); // 1 left, 3 more at 10/s
    bucket.charge(0, 11); // 1 - 11 = -10
    expect(bucket.take(0)).toBe(1100);
    expect(bucket.take(1100)).toBe(0);
    expect(bucket.isFull(1100)).toBe(false);
    expect(bucket.isFull(2000)).toBe(true);
  });
});
