import { describe, expect, it, vi } from 'vitest';
import { FakeCourier } from '../test-support/fake-courier';
import { conversation, member, ME } from '../test-support/fixtures';
import { ConversationsStore } from './conversations-store';

const PRESENCE = [{ userId: 'u_a', status: 'online' as const, lastSeenAt: null }];

function setup() {
  const courier = new FakeCourier()
    .handle('conversations.list', () => [conversation('a', { lastActivityAt: 1 }), conversation('b', { lastActivityAt: 3 }), conversation('c', { lastActivityAt: 2 })]);
  return { courier, store: new ConversationsStore(courier) };
}

describe('ConversationsStore', () => {
  it('orders by latest activity and keeps the order as conversations change', async () => {
    const { courier, store } = setup();
    await store.load(PRESENCE);
    expect(store.getSnapshot().order).toEqual(['b', 'c', 'a']);
    expect(store.getSnapshot().presence.get('u_a')?.status).toBe('online');
    courier.emit('conversations.changed', { conversations: [conversation('a', { lastActivityAt: 9, unread: 2 })] });
    expect(store.getSnapshot().order).toEqual(['a', 'b', 'c']);
    expect(store.get('a')?.unread).toBe(2);
    courier.emit('conversation.removed', { conversationId: 'b' });
    expect(store.getSnapshot().order).toEqual(['a', 'c']);
  });

  it('shows typing until the notice stops or its time to live runs out', async () => {
    vi.useFakeTimers();
    try {
      const { courier, store } = setup();
      await store.load(PRESENCE);
      courier.emit('typing', { conversationId: 'a', userId: 'u_a', typing: true, ttlMs: 6000 });
      courier.emit('typing', { conversationId: 'a', userId: 'u_x', typing: true, ttlMs: 6000 });
      expect(store.getSnapshot().typing.get('a')).toEqual(['u_a', 'u_x']);
      courier.emit('typing', { conversationId: 'a', userId: 'u_x', typing: false, ttlMs: 0 });
      expect(store.getSnapshot().typing.get('a')).toEqual(['u_a']);
      vi.advanceTimersByTime(5000);
      // A refresh restarts the clock.
      courier.emit('typing', { conversationId: 'a', userId: 'u_a', typing: true, ttlMs: 6000 });
      vi.advanceTimersByTime(5000);
      expect(store.getSnapshot().typing.get('a')).toEqual(['u_a']);
      vi.advanceTimersByTime(1001);
      expect(store.getSnapshot().typing.has('a')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('replaces snapshots immutably, so React sees each change', async () => {
    const { courier, store } = setup();
    await store.load(PRESENCE);
    const before = store.getSnapshot();
    courier.emit('presence', { userId: 'u_b', status: 'away', lastSeenAt: null });
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(before.presence.has('u_b')).toBe(false);
    expect(after.presence.get('u_b')?.status).toBe('away');
  });

  it('accepts a request (the answer replaces the snapshot) and declines one (it leaves the list)', async () => {
    const request = conversation('r', { lastActivityAt: 4, members: [member(ME, { state: 'pending', invitedBy: 'u_r' }), member('u_r')] });
    const { courier, store } = setup();
    courier
      .handle('conversations.list', () => [request, conversation('a', { lastActivityAt: 1 })])
      .handle('conversation.accept', ({ conversationId }) => ({ ...request, id: conversationId, members: [member(ME), member('u_r')] }))
      .handle('conversation.decline', () => null);
    await store.load();
    await store.accept('r');
    expect(store.get('r')?.members.map((m) => m.state)).toEqual(['accepted', 'accepted']);
    await store.decline('r');
    expect(store.get('r')).toBeUndefined();
    expect(store.getSnapshot().order).toEqual(['a']);
    expect(courier.callsOf('conversation.decline')).toEqual([{ conversationId: 'r' }]);
  });

  it('does not show typing from people it is told to hide (the blocked)', async () => {
    const courier = new FakeCourier().handle('conversations.list', () => [conversation('a')]);
    const store = new ConversationsStore(courier, undefined, (userId) => userId === 'u_blocked');
    await store.load();
    courier.emit('typing', { conversationId: 'a', userId: 'u_blocked', typing: true, ttlMs: 6000 });
    courier.emit('typing', { conversationId: 'a', userId: 'u_a', typing: true, ttlMs: 6000 });
    expect(store.getSnapshot().typing.get('a')).toEqual(['u_a']);
    store.dispose();
  });

  it('stops listening when disposed', () => {
    const { courier, store } = setup();
    expect(courier.listenerCount()).toBe(4);
    store.dispose();
    expect(courier.listenerCount()).toBe(0);
  });
});
