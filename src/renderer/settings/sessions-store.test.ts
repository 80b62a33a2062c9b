import { describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../state/bridge';
import type { SessionInfo } from '../state/types';
import { SessionsStore } from './sessions-store';

const session = (id: string, lastSeenAt: number, current = false): SessionInfo => ({ id, deviceName: `Device ${id}`, createdAt: 1, lastSeenAt, current });

function port(list: SessionInfo[]) {
  const p = {
    list,
    sessions: vi.fn(async () => p.list),
    revokeSession: vi.fn(async (id: string) => {
      p.list = p.list.filter((s) => s.id !== id);
    }),
  };
  return p;
}

describe('SessionsStore', () => {
  it('lists this device first, then the most recently active', async () => {
    const store = new SessionsStore(port([session('a', 10), session('here', 5, true), session('b', 30)]));
    expect(store.getSnapshot().status).toBe('loading');
    await store.load();
    expect(store.getSnapshot().sessions.map((s) => s.id)).toEqual(['here', 'b', 'a']);
  });

  it('revokes only after confirmation, then reloads the list', async () => {
    const p = port([session('here', 5, true), session('b', 30)]);
    const store = new SessionsStore(p);
    await store.load();
    store.askRevoke('here');
    expect(store.getSnapshot().confirming).toBeNull();
    store.askRevoke('b');
    expect(store.getSnapshot().confirming).toBe('b');
    store.cancelRevoke();
    await store.confirmRevoke();
    expect(p.revokeSession).not.toHaveBeenCalled();
    store.askRevoke('b');
    await store.confirmRevoke();
    expect(p.revokeSession).toHaveBeenCalledWith('b');
    expect(p.sessions).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot()).toMatchObject({ confirming: null, revoking: null, status: 'ready' });
    expect(store.getSnapshot().sessions.map((s) => s.id)).toEqual(['here']);
  });

  it('keeps the confirmation open with the reason when revoking fails', async () => {
    const p = port([session('here', 5, true), session('b', 30)]);
    p.revokeSession.mockRejectedValueOnce(new BridgeError({ code: 'offline', message: "You're offline." }));
    const store = new SessionsStore(p);
    await store.load();
    store.askRevoke('b');
    await store.confirmRevoke();
    expect(store.getSnapshot()).toMatchObject({ confirming: 'b', revoking: null, revokeError: "You're offline." });
  });

  it('reports a failed load, and drops an older answer that arrives last', async () => {
    let release: (v: SessionInfo[]) => void = () => undefined;
    const p = port([]);
    p.sessions.mockImplementationOnce(() => new Promise((r) => (release = r))).mockRejectedValueOnce(new BridgeError({ code: 'auth_required', message: 'Sign in first.' }));
    const store = new SessionsStore(p);
    const first = store.load();
    await store.load();
    release([session('old', 1)]);
    await first;
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: 'Sign in first.', sessions: [] });
  });
});

describe('SessionsStore after dispose() (React strict mode remounts with the same instance)', () => {
  it('drops the answer in flight but loads again afterwards', async () => {
    const store = new SessionsStore(port([session('a', 10), session('here', 5, true)]));
    const first = store.load();
    store.dispose();
    await first;
    expect(store.getSnapshot().status).toBe('loading');
    await store.load();
    expect(store.getSnapshot()).toMatchObject({ status: 'ready', sessions: [{ id: 'here' }, { id: 'a' }] });
  });
});
