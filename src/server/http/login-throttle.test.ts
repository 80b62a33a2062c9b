import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('lets five failures through, then waits 1 s, 2 s, 4 s … capped at 15 minutes', () => {
    const throttle = new LoginThrottle();
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      expect(throttle.retryAfterMs('alice', now)).toBe(0);
      const { waitMs } = throttle.failed('alice', now);
      waits.push(waitMs);
      expect(throttle.retryAfterMs('alice', now)).toBe(waitMs);
      now += waitMs;
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits.slice(4, 10)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000]);
    expect(Math.max(...waits)).toBe(15 * 60_000);
    expect(waits.at(-1)).toBe(15 * 60_000);
  });

  it('counts per account, and a success clears the account', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) throttle.failed('alice', 0);
    expect(throttle.retryAfterMs('alice', 500)).toBe(500);
    expect(throttle.retryAfterMs('bob', 500)).toBe(0);
    throttle.succeeded('alice');
    expect(throttle.retryAfterMs('alice', 500)).toBe(0);
    expect(throttle.failed('alice', 500)).toEqual({ failures: 1, waitMs: 0 });
  });

  it('forgets failures a day old, and stays within its capacity', () => {
    const throttle = new LoginThrottle({ ...DEFAULT_LOGIN_THROTTLE, capacity: 3 });
    for (let i = 0; i < 4; i++) throttle.failed('alice', 0);
    expect(throttle.failed('alice', DEFAULT_LOGIN_THROTTLE.forgetAfterMs)).toEqual({ failures: 1, waitMs: 0 });
    for (const name of ['a', 'b', 'c', 'd']) throttle.failed(name, 0);
    expect(throttle.failed('alice', 1).failures).toBe(1); // the oldest record went first
  });
});
