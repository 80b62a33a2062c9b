import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASONS } from '../../shared/protocol';
import { closeMessage } from './connection-manager';

describe('closeMessage', () => {
  it('tells the causes of 1008 apart by the documented reason', () => {
    expect(closeMessage(CLOSE.policyViolation, CLOSE_REASONS.tooManySockets)).toMatch(/too many open connections/);
    expect(closeMessage(CLOSE.policyViolation, CLOSE_REASONS.tooManyRejections)).toMatch(/too many requests/);
    expect(closeMessage(CLOSE.policyViolation, CLOSE_REASONS.tooManyEarlyFrames)).toMatch(/too many requests/);
  });

  it('says a catch-up that fell behind will resume, for 4500 and 4501 alike', () => {
    expect(closeMessage(CLOSE.slowConsumer, CLOSE_REASONS.slowConsumer)).toBe(closeMessage(CLOSE.syncOverflow, CLOSE_REASONS.syncOverflow));
  });
});
