import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../state/bridge';
import type { User } from '../state/types';
import { moveIndex, UserSearch } from './user-search';

const user = (id: string): User => ({ id, username: id, displayName: null });

/** A search whose answers the test releases by hand, in any order. */
function controlled() {
  const pending = new Map<string, { resolve: (u: User[]) => void; reject: (e: unknown) => void }>();
  const search = vi.fn((q: string) => new Promise<User[]>((resolve, reject) => pending.set(q, { resolve, reject })));
  return { search, pending };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UserSearch', () => {
  it('waits for a pause in typing before it searches', async () => {
    const { search, pending } = controlled();
    const s = new UserSearch(search, { delayMs: 200 });
    s.setQuery('a');
    vi.advanceTimersByTime(100);
    s.setQuery('an');
    vi.advanceTimersByTime(100);
    s.setQuery('ann');
    expect(s.getSnapshot().status).toBe('loading');
    vi.advanceTimersByTime(199);
    expect(search).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('ann');
    pending.get('ann')!.resolve([user('u_ann')]);
    await vi.runAllTimersAsync();
    expect(s.getSnapshot()).toMatchObject({ query: 'ann', status: 'done', results: [user('u_ann')] });
  });

  it('ignores an answer that arrives after a newer query', async () => {
    const { search, pending } = controlled();
    const s = new UserSearch(search, { delayMs: 200 });
    s.setQuery('an');
    vi.advanceTimersByTime(200);
    s.setQuery('ann');
    vi.advanceTimersByTime(200);
    pending.get('ann')!.resolve([user('u_ann')]);
    await vi.runAllTimersAsync();
    pending.get('an')!.resolve([user('u_andy'), user('u_ann')]);
    await vi.runAllTimersAsync();
    expect(s.getSnapshot().results).toEqual([user('u_ann')]);
  });

  it('clears for an empty query and drops an answer still in flight', async () => {
    const { search, pending } = controlled();
    const s = new UserSearch(search, { delayMs: 200 });
    s.setQuery('bob');
    vi.advanceTimersByTime(200);
    s.setQuery('   ');
    expect(s.getSnapshot()).toMatchObject({ status: 'idle', results: [] });
    pending.get('bob')!.resolve([user('u_bob')]);
    await vi.runAllTimersAsync();
    expect(s.getSnapshot()).toMatchObject({ status: 'idle', results: [] });
  });

  it('leaves out excluded people (myself) and trims the query to what the server accepts', async () => {
    const search = vi.fn(async () => [user('u_me'), user('u_bob')]);
    const s = new UserSearch(search, { delayMs: 10, exclude: ['u_me'] });
    s.setQuery(`  ${'x'.repeat(80)}  `);
    await vi.runAllTimersAsync();
    expect(search).toHaveBeenCalledWith('x'.repeat(64));
    expect(s.getSnapshot().results).toEqual([user('u_bob')]);
  });

  it('reports a failure and can retry', async () => {
    let fail = true;
    const search = vi.fn(async () => {
      if (fail) throw new BridgeError({ code: 'offline', message: 'You are offline.' });
      return [user('u_bob')];
    });
    const s = new UserSearch(search, { delayMs: 10 });
    s.setQuery('bob');
    await vi.runAllTimersAsync();
    expect(s.getSnapshot()).toMatchObject({ status: 'error', error: 'You are offline.' });
    fail = false;
    s.retry();
    await vi.runAllTimersAsync();
    expect(s.getSnapshot()).toMatchObject({ status: 'done', error: null, results: [user('u_bob')] });
  });

  it('does nothing after dispose', async () => {
    const { search, pending } = controlled();
    const s = new UserSearch(search, { delayMs: 200 });
    s.setQuery('x');
    vi.advanceTimersByTime(200);
    s.setQuery('xy');
    s.dispose();
    vi.advanceTimersByTime(1000);
    expect(search).toHaveBeenCalledTimes(1);
    const before = s.getSnapshot();
    pending.get('x')!.resolve([user('u_x')]);
    await vi.runAllTimersAsync();
    expect(s.getSnapshot()).toBe(before);
  });
});

describe('moveIndex', () => {
  it('wraps and starts from the right end', () => {
    expect(moveIndex(-1, 1, 3)).toBe(0);
    expect(moveIndex(-1, -1, 3)).toBe(2);
    expect(moveIndex(2, 1, 3)).toBe(0);
    expect(moveIndex(0, -1, 3)).toBe(2);
    expect(moveIndex(1, 1, 3)).toBe(2);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});
