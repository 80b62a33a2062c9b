import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASONS, shouldReconnect } from './codes';

describe('close codes', () => {
  it('say reconnect or not as docs/protocol.md §16 lists them', () => {
    const reconnect = [1000, 1001, 1006, CLOSE.policyViolation, CLOSE.internalError, CLOSE.authInvalid, CLOSE.slowConsumer, CLOSE.syncOverflow, 4999];
    const stay = [CLOSE.invalidPayload, CLOSE.tooBig, CLOSE.authTimeout, CLOSE.sessionRevoked, 4000, 4499];
    expect(reconnect.map(shouldReconnect)).toEqual(reconnect.map(() => true));
    expect(stay.map(shouldReconnect)).toEqual(stay.map(() => false));
  });

  it('have reasons that tell every cause apart and fit in a close frame', () => {
    const reasons = Object.values(CLOSE_REASONS);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
  });
});
