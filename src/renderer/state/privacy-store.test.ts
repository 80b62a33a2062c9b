import { describe, expect, it } from 'vitest';
import { FakeCourier } from '../test-support/fake-courier';
import { PrivacyStore } from './privacy-store';

describe('PrivacyStore', () => {
  it('is unknown until the engine heard it, then follows the privacy event', async () => {
    const courier = new FakeCourier().handle('privacy.get', () => null);
    const store = new PrivacyStore(courier);
    await store.load();
    expect(store.getSnapshot().privacy).toBeNull();
    courier.emit('privacy', { lastSeen: 'nobody' });
    expect(store.getSnapshot().privacy).toEqual({ lastSeen: 'nobody' });
  });

  it('a late null answer does not hide what an event already said', async () => {
    let answer: (v: null) => void = () => {};
    const courier = new FakeCourier().handle('privacy.get', () => new Promise<null>((r) => (answer = r)));
    const store = new PrivacyStore(courier);
    const loading = store.load();
    courier.emit('privacy', { lastSeen: 'contacts' });
    answer(null);
    await loading;
    expect(store.getSnapshot().privacy).toEqual({ lastSeen: 'contacts' });
  });

  it('shows a change once the server stored it, and the reason when it did not', async () => {
    const courier = new FakeCourier().handle('privacy.get', () => ({ lastSeen: 'contacts' as const })).handle('privacy.set', (p) => ({ lastSeen: p.lastSeen ?? 'contacts' }));
    const store = new PrivacyStore(courier);
    await store.load();
    const saving = store.setLastSeen('nobody');
    expect(store.getSnapshot()).toMatchObject({ saving: true, privacy: { lastSeen: 'contacts' } });
    await saving;
    expect(store.getSnapshot()).toEqual({ privacy: { lastSeen: 'nobody' }, saving: false, error: null });
    expect(courier.callsOf('privacy.set')).toEqual([{ lastSeen: 'nobody' }]);

    courier.fail('privacy.set', 'offline', "You're offline. Try again when Courier has reconnected.");
    await store.setLastSeen('contacts');
    expect(store.getSnapshot()).toEqual({ privacy: { lastSeen: 'nobody' }, saving: false, error: "You're offline. Try again when Courier has reconnected." });
  });

  it('stops listening on dispose', () => {
    const courier = new FakeCourier();
    new PrivacyStore(courier).dispose();
    expect(courier.listenerCount()).toBe(0);
  });
});
