import { describe, expect, it } from 'vitest';
import { bannerContent } from './connection-banner';

const state = (status: 'online' | 'offline' | 'connecting' | 'authenticating' | 'catchingUp' | 'signedOut', over = {}) => ({ status, attempt: 0, nextRetryAt: null, error: null, ...over });
const none = { pending: 0, failed: 0 };

describe('bannerContent', () => {
  it('says nothing when online', () => {
    expect(bannerContent(state('online'), { pending: 3, failed: 0 }, 0)).toBeNull();
  });

  it('counts what will be sent when offline, and when the next attempt is', () => {
    expect(bannerContent(state('offline', { nextRetryAt: 12_400 }), { pending: 3, failed: 1 }, 0)).toEqual({
      tone: 'warning',
      text: 'You’re offline. 3 messages will be sent when you’re back online. Retrying in 13 s.',
    });
    expect(bannerContent(state('offline'), { pending: 1, failed: 0 }, 0)?.text).toBe('You’re offline. 1 message will be sent when you’re back online.');
    expect(bannerContent(state('offline'), none, 0)?.text).toBe('You’re offline.');
  });

  it('tells a first connection from a reconnect, and catching up from both', () => {
    expect(bannerContent(state('connecting'), none, 0)).toEqual({ tone: 'info', text: 'Connecting…' });
    expect(bannerContent(state('authenticating', { attempt: 2 }), { pending: 2, failed: 0 }, 0)?.text).toBe(
      'Reconnecting… 2 messages will be sent when you’re back online.',
    );
    expect(bannerContent(state('catchingUp'), none, 0)?.text).toBe('Catching up on new messages…');
  });
});
