import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../state/bridge';
import type { SearchHit } from '../state/types';
import { message } from '../test-support/fixtures';
import { SearchStore, type SearchFn } from './search-store';

function hit(conversationId: string, seq: number, ts: number): SearchHit {
  return { message: message(conversationId, seq, { ts }), snippet: `hit ${seq}` };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SearchStore', () => {
  it('queries once after typing pauses for 200 ms, with the trimmed query', async () => {
    const search = vi.fn<SearchFn>(async () => []);
    const store = new SearchStore(search);
    for (const q of ['l', 'la', 'lau', 'launch ']) {
      store.setQuery(q);
      await vi.advanceTimersByTimeAsync(150);
    }
    expect(search).not.toHaveBeenCalled();
    expect(store.getSnapshot().status).toBe('searching');
    await vi.advanceTimersByTimeAsync(50);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('launch', 50);
    expect(store.getSnapshot()).toMatchObject({ query: 'launch ', status: 'done', hits: [] });
  });

  it('orders results newest first', async () => {
    const store = new SearchStore(async () => [hit('a', 1, 100), hit('b', 7, 300), hit('a', 2, 200)]);
    store.setQuery('x');
    await vi.advanceTimersByTimeAsync(200);
    expect(store.getSnapshot().hits.map((h) => h.message.seq)).toEqual([7, 2, 1]);
  });

  it('drops an answer that arrives after a newer query was typed', async () => {
    const slow = deferred<SearchHit[]>();
    const fast = deferred<SearchHit[]>();
    const answers = [slow.promise, fast.promise];
    const store = new SearchStore(() => answers.shift() ?? Promise.resolve([]));
    store.setQuery('old');
    await vi.advanceTimersByTimeAsync(200);
    store.setQuery('new');
    await vi.advanceTimersByTimeAsync(200);
    fast.resolve([hit('a', 2, 2)]);
    await flush();
    slow.resolve([hit('a', 1, 1)]);
    await flush();
    expect(store.getSnapshot()).toMatchObject({ query: 'new', status: 'done' });
    expect(store.getSnapshot().hits.map((h) => h.message.seq)).toEqual([2]);
  });

  it('ignores an answer for a query the user is still changing', async () => {
    const slow = deferred<SearchHit[]>();
    const store = new SearchStore(vi.fn<SearchFn>().mockReturnValueOnce(slow.promise).mockResolvedValue([]));
    store.setQuery('ab');
    await vi.advanceTimersByTimeAsync(200);
    store.setQuery('abc');
    slow.resolve([hit('a', 1, 1)]);
    await flush();
    expect(store.getSnapshot()).toMatchObject({ status: 'searching', hits: [] });
  });

  it('clears the results for an empty query and drops what was in flight', async () => {
    const pending = deferred<SearchHit[]>();
    const search = vi.fn<SearchFn>(() => pending.promise);
    const store = new SearchStore(search);
    store.setQuery('abc');
    await vi.advanceTimersByTimeAsync(200);
    store.setQuery('  ');
    pending.resolve([hit('a', 1, 1)]);
    await vi.advanceTimersByTimeAsync(500);
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', hits: [] });
    expect(search).toHaveBeenCalledTimes(1);
  });

  it('reports a failure', async () => {
    const store = new SearchStore(async () => Promise.reject(new BridgeError({ code: 'auth_required', message: 'Sign in first.' })));
    store.setQuery('x');
    await vi.advanceTimersByTimeAsync(200);
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: 'Sign in first.', hits: [] });
  });

  it('moves the active result with ↑/↓ and stops at the ends', async () => {
    const store = new SearchStore(async () => [hit('a', 1, 1), hit('a', 2, 2)]);
    store.move(1);
    expect(store.getSnapshot().active).toBe(-1);
    store.setQuery('x');
    await vi.advanceTimersByTimeAsync(200);
    store.move(1);
    expect(store.activeHit?.message.seq).toBe(2);
    store.move(1);
    store.move(1);
    expect(store.activeHit?.message.seq).toBe(1);
    store.move(-1);
    expect(store.getSnapshot().active).toBe(0);
  });

  it('does not search after it was disposed', async () => {
    const search = vi.fn<SearchFn>(async () => []);
    const store = new SearchStore(search);
    store.setQuery('x');
    store.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(search).not.toHaveBeenCalled();
  });
});
