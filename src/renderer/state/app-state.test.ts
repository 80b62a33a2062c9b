import { describe, expect, it } from 'vitest';
import type { Account } from './types';
import { bridgeOf } from '../test-support/app-harness';
import { FakeCourier } from '../test-support/fake-courier';
import { conversation } from '../test-support/fixtures';
import { AppState } from './app-state';
import { myPresence } from './session-store';

const account: Account = { serverUrl: 'http://127.0.0.1:1', userId: 'u_ann', username: 'ann', displayName: 'Ann', sessionId: 's1' };

function setup(signedIn: boolean) {
  const fake = new FakeCourier()
    .handle('session.get', () => ({
      account: signedIn ? account : null,
      connection: { status: 'online', attempt: 0, nextRetryAt: null, error: null },
      outbox: { pending: 2, failed: 0 },
      presence: [],
    }))
    .handle('settings.get', () => ({ notifications: true, notificationsPaused: false, status: 'online', startAtLogin: false, closeToTray: true, theme: 'dark', lastServerUrl: null }))
    .handle('conversations.list', () => [conversation('a')])
    .handle('conversation.setActive', () => null)
    .handle('blocks.list', () => [{ id: 'u_mal', username: 'mallory', displayName: null }])
    .handle('privacy.get', () => ({ lastSeen: 'nobody' as const }))
    .handle('session.signOut', () => null);
  return { fake, app: new AppState(bridgeOf(fake)) };
}

describe('AppState', () => {
  it('loads the session, settings and conversations of a signed-in account', async () => {
    const { app } = setup(true);
    await app.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.session.getSnapshot()).toMatchObject({ loaded: true, outbox: { pending: 2 }, settings: { theme: 'dark' } });
    expect(app.myUserId).toBe('u_ann');
    expect(app.conversations.getSnapshot().order).toEqual(['a']);
    expect(app.blocks.isBlocked('u_mal')).toBe(true);
    expect(app.privacy.getSnapshot().privacy).toEqual({ lastSeen: 'nobody' });
  });

  it('clears everything of the previous account when the account changes', async () => {
    const { app, fake } = setup(true);
    await app.start();
    await new Promise((r) => setTimeout(r, 0));
    app.ui.openConversation('a');
    fake.emit('account', null);
    expect(app.conversations.getSnapshot().order).toEqual([]);
    expect(app.ui.getSnapshot().activeConversationId).toBeNull();
    expect(app.blocks.getSnapshot().users).toEqual([]);
    expect(app.privacy.getSnapshot().privacy).toBeNull();
  });

  it('starts on the sign-in screen without an account and follows a sign-in from main', async () => {
    const { app, fake } = setup(false);
    await app.start();
    expect(app.myUserId).toBeNull();
    fake.emit('account', account);
    await new Promise((r) => setTimeout(r, 0));
    expect(app.conversations.getSnapshot().order).toEqual(['a']);
  });

  it('releases every event listener when disposed', () => {
    const { app, fake } = setup(false);
    app.dispose();
    expect(fake.listenerCount()).toBe(0);
  });
});

describe('myPresence', () => {
  it('is what others see: offline unless connected, away when chosen, online for dnd', () => {
    const connection = (status: 'online' | 'offline') => ({ status, attempt: 0, nextRetryAt: null, error: null });
    const settings = (status: 'online' | 'away' | 'dnd') => ({ notifications: true, notificationsPaused: false, status, startAtLogin: false, closeToTray: true, theme: 'system' as const, lastServerUrl: null });
    expect(myPresence({ connection: connection('offline'), settings: settings('online') })).toBe('offline');
    expect(myPresence({ connection: connection('online'), settings: settings('away') })).toBe('away');
    expect(myPresence({ connection: connection('online'), settings: settings('dnd') })).toBe('online');
    expect(myPresence({ connection: connection('online'), settings: null })).toBe('online');
  });
});
