import { describe, expect, it } from 'vitest';
import { FakeCourier } from '../test-support/fake-courier';
import { BlocksStore } from './blocks-store';
import type { User } from './types';

const mallory: User = { id: 'u_mallory', username: 'mallory', displayName: 'Mallory' };
const eve: User = { id: 'u_eve', username: 'eve', displayName: null };

describe('BlocksStore', () => {
  it('loads the list, then follows blocks.changed', async () => {
    const courier = new FakeCourier().handle('blocks.list', () => [mallory]);
    const store = new BlocksStore(courier);
    expect(store.getSnapshot().loaded).toBe(false);
    await store.load();
    expect(store.getSnapshot()).toMatchObject({ loaded: true, users: [mallory] });
    expect(store.isBlocked('u_mallory')).toBe(true);
    expect(store.isBlocked('u_eve')).toBe(false);
    courier.emit('blocks.changed', { users: [mallory, eve] });
    expect(store.isBlocked('u_eve')).toBe(true);
    courier.emit('blocks.changed', { users: [] });
    expect(store.getSnapshot().users).toEqual([]);
    expect(store.isBlocked('u_mallory')).toBe(false);
  });

  it('keeps the same snapshot when the list did not change (rows compare by identity)', async () => {
    const courier = new FakeCourier().handle('blocks.list', () => [mallory]);
    const store = new BlocksStore(courier);
    await store.load();
    const before = store.getSnapshot();
    courier.emit('blocks.changed', { users: [{ ...mallory }] });
    expect(store.getSnapshot()).toBe(before);
  });

  it('blocks and unblocks through main, and shows the list main has afterwards', async () => {
    let list: User[] = [];
    const courier = new FakeCourier()
      .handle('blocks.list', () => list)
      .handle('user.block', ({ userId }) => {
        list = [...list, { id: userId, username: 'mallory', displayName: 'Mallory' }];
        return null;
      })
      .handle('user.unblock', ({ userId }) => {
        list = list.filter((u) => u.id !== userId);
        return null;
      });
    const store = new BlocksStore(courier);
    await store.block('u_mallory');
    expect(courier.callsOf('user.block')).toEqual([{ userId: 'u_mallory' }]);
    expect(store.isBlocked('u_mallory')).toBe(true);
    await store.unblock('u_mallory');
    expect(store.isBlocked('u_mallory')).toBe(false);
  });

  it('passes a refusal on and changes nothing', async () => {
    const courier = new FakeCourier().handle('blocks.list', () => []).fail('user.block', 'offline', "You're offline. Try again when Courier has reconnected.");
    const store = new BlocksStore(courier);
    await store.load();
    await expect(store.block('u_mallory')).rejects.toThrow("You're offline");
    expect(store.getSnapshot().users).toEqual([]);
  });

  it('forgets the list on clear and stops listening on dispose', async () => {
    const courier = new FakeCourier().handle('blocks.list', () => [mallory]);
    const store = new BlocksStore(courier);
    await store.load();
    store.clear();
    expect(store.getSnapshot()).toMatchObject({ loaded: false, users: [] });
    store.dispose();
    expect(courier.listenerCount()).toBe(0);
  });
});
