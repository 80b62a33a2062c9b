import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeCourier } from '../test-support/fake-courier';
import { ME, message } from '../test-support/fixtures';
import { FakeHistory } from '../test-support/timeline-harness';
import type { LocalMessage } from '../state/types';
import { visibleCount } from './message-list';
import { FIRST_INDEX, HIGHLIGHT_MS, MARK_READ_DELAY_MS, MAX_UNREAD_PAGES, TimelineStore } from './timeline-store';

const C = 'c1';

function setup(count: number, o: ConstructorParameters<typeof FakeHistory>[3] = {}) {
  const fake = new FakeCourier();
  const history = new FakeHistory(fake, C, count, o);
  const store = new TimelineStore(fake, C, history.source(), { myUserId: ME });
  return { fake, history, store };
}

const seqs = (messages: readonly LocalMessage[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function pending(body: string): LocalMessage {
  return message(C, null, { senderId: ME, body, ts: Date.now() });
}

describe('TimelineStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens at the newest page with the outbox at the end, scrolled to the bottom', async () => {
    const { fake, history, store } = setup(120);
    const queued = pending('not sent yet');
    history.outbox = [queued];
    await store.open();
    const s = store.getSnapshot();
    expect(s.status).toBe('ready');
    expect(seqs(s.messages)).toEqual([...range(71, 120), null]);
    expect(s.messages.at(-1)).toBe(queued);
    expect(s.hasOlder).toBe(true);
    expect(s.initial).toEqual({ kind: 'bottom' });
    expect(s.unreadSeq).toBeNull();
    expect(fake.callsOf('messages.page')).toEqual([{ conversationId: C, limit: 50 }]);
  });

  it('scrolls back page by page to the beginning: in order, and prepending never moves the rows on screen', async () => {
    const { fake, store } = setup(230);
    await store.open();
    // The last row's Virtuoso index stays put while pages are prepended: nothing below the top jumps.
    const lastIndex = (s = store.getSnapshot()) => s.firstItemIndex + visibleCount(s.messages, s.hasOlder) - 1;
    const anchor = lastIndex();
    let previousFirst = store.getSnapshot().firstItemIndex;
    while (store.getSnapshot().hasOlder) {
      const before = store.getSnapshot().messages.length;
      const loading = store.loadOlder();
      expect(store.getSnapshot().loadingOlder).toBe(true);
      await loading;
      const s = store.getSnapshot();
      expect(s.loadingOlder).toBe(false);
      expect(s.messages.length).toBeGreaterThan(before);
      expect(lastIndex()).toBe(anchor);
      expect(s.firstItemIndex).toBeLessThan(previousFirst);
      previousFirst = s.firstItemIndex;
    }
    const s = store.getSnapshot();
    expect(seqs(s.messages)).toEqual(range(1, 230));
    expect(s.firstItemIndex).toBe(FIRST_INDEX - 181);
    const befores = fake.callsOf('messages.page').map((p) => (p as { beforeSeq?: number }).beforeSeq);
    expect(befores).toEqual([undefined, 181, 131, 81, 31]);
    await store.loadOlder();
    expect(fake.callsOf('messages.page')).toHaveLength(5);
  });

  it('an older page that brings nothing while more exist (offline) offers a retry instead of claiming the beginning', async () => {
    const { fake, store } = setup(120);
    await store.open();
    fake.handle('messages.page', () => ({ messages: [], hasMore: true }));
    await store.loadOlder();
    expect(store.getSnapshot()).toMatchObject({ hasOlder: true, olderFailed: true, loadingOlder: false });
    fake.fail('messages.page', 'offline', 'Offline');
    await store.loadOlder();
    expect(store.getSnapshot()).toMatchObject({ hasOlder: true, olderFailed: true });
  });

  it('opens at the first unread entry from someone else, loading back until it is included', async () => {
    // 700 is mine: my own messages never count as unread.
    const { fake, store } = setup(1000, { readSeq: 699, sender: (seq) => (seq === 700 ? ME : 'u_other') });
    await store.open();
    const s = store.getSnapshot();
    expect(s.unreadSeq).toBe(701);
    expect(s.initial).toEqual({ kind: 'seq', seq: 701, align: 'start' });
    expect(s.detached).toBe(false);
    expect(s.messages[0]?.seq).toBeLessThanOrEqual(700);
    expect(s.messages.at(-1)?.seq).toBe(1000);
    expect(seqs(s.messages)).toEqual(range(s.messages[0]?.seq ?? 0, 1000));
    expect(fake.callsOf('messages.around')).toHaveLength(0);
  });

  it('jumps to the first unread entry (detached) when it is more than ten pages back', async () => {
    const { fake, store } = setup(3000, { readSeq: 100 });
    await store.open();
    const s = store.getSnapshot();
    expect(fake.callsOf('messages.page').length).toBeLessThanOrEqual(MAX_UNREAD_PAGES);
    expect(fake.callsOf('messages.around')).toEqual([{ conversationId: C, seq: 101, limit: 100 }]);
    expect(s.detached).toBe(true);
    expect(s.unreadSeq).toBe(101);
    expect(s.initial).toEqual({ kind: 'seq', seq: 101, align: 'start' });
    expect(s.messages.some((m) => m.seq === 101)).toBe(true);
  });

  it('appends live entries; outbox entries stay at the end; an ack replaces its pending twin exactly once', async () => {
    const { fake, history, store } = setup(10);
    await store.open();
    store.setAtBottom(true);
    const mine = pending('hello');
    fake.emit('messages.changed', { conversationId: C, messages: [mine], origin: 'local' });
    expect(store.getSnapshot().scrollRequest).toMatchObject({ kind: 'bottom' });
    const theirs = history.add();
    fake.emit('messages.changed', { conversationId: C, messages: [theirs], origin: 'live' });
    expect(seqs(store.getSnapshot().messages)).toEqual([...range(1, 11), null]);
    const acked: LocalMessage = { ...mine, seq: 12, state: 'sent', ts: mine.ts + 5 };
    history.stored.push(acked);
    fake.emit('messages.changed', { conversationId: C, messages: [acked], origin: 'live' });
    fake.emit('messages.changed', { conversationId: C, messages: [acked], origin: 'sync' });
    const s = store.getSnapshot();
    expect(seqs(s.messages)).toEqual(range(1, 12));
    expect(s.messages.filter((m) => m.clientId === mine.clientId)).toEqual([acked]);
    // Entries that did not change keep their identity (rows are memoised by it).
    expect(s.messages[0]).toBe(history.stored[0]);
    // A page fetched by someone scrolling elsewhere ('history') older than the window is not ours to add.
    fake.emit('messages.changed', { conversationId: C, messages: [message(C, 0.5)], origin: 'history' });
    expect(store.getSnapshot().messages).toBe(s.messages);
  });

  it('marks failed entries in place, removes deleted ones, and forwards retry/delete', async () => {
    const { fake, store } = setup(3);
    await store.open();
    const mine = pending('x');
    fake.emit('messages.changed', { conversationId: C, messages: [mine], origin: 'local' });
    const failed: LocalMessage = { ...mine, state: 'failed', error: { code: 'too_long', message: 'Too long' } };
    fake.emit('messages.changed', { conversationId: C, messages: [failed], origin: 'live' });
    expect(store.getSnapshot().messages.at(-1)).toBe(failed);
    fake.handle('message.retry', () => mine).handle('message.delete', () => null);
    await store.retry(mine.clientId ?? '');
    await store.delete(mine.clientId ?? '');
    expect(fake.callsOf('message.retry')).toEqual([{ conversationId: C, clientId: mine.clientId }]);
    expect(fake.callsOf('message.delete')).toEqual([{ conversationId: C, clientId: mine.clientId }]);
    fake.emit('message.deleted', { conversationId: C, clientId: mine.clientId ?? '' });
    expect(seqs(store.getSnapshot().messages)).toEqual([1, 2, 3]);
    fake.emit('messages.changed', { conversationId: 'other', messages: [message('other', 9)], origin: 'live' });
    expect(seqs(store.getSnapshot().messages)).toEqual([1, 2, 3]);
  });

  it('counts new entries from others while scrolled up, and resets at the bottom', async () => {
    const { fake, history, store } = setup(10);
    await store.open();
    store.setAtBottom(false);
    const a = history.add();
    const b = history.add();
    fake.emit('messages.changed', { conversationId: C, messages: [a, b], origin: 'live' });
    fake.emit('messages.changed', { conversationId: C, messages: [b], origin: 'sync' });
    fake.emit('messages.changed', { conversationId: C, messages: [history.add({ senderId: ME, clientId: 'c-x' })], origin: 'live' });
    expect(store.getSnapshot().newBelow).toBe(2);
    store.setAtBottom(true);
    expect(store.getSnapshot().newBelow).toBe(0);
    fake.emit('messages.changed', { conversationId: C, messages: [history.add()], origin: 'live' });
    expect(store.getSnapshot().newBelow).toBe(0);
  });

  it('applies changes that arrive while the first page is loading', async () => {
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, C, 5);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const answer = { messages: history.stored.slice(), hasMore: false };
    fake.handle('messages.page', async () => {
      await gate;
      return answer;
    });
    const store = new TimelineStore(fake, C, history.source(), { myUserId: ME });
    const opening = store.open();
    const late = history.add();
    fake.emit('messages.changed', { conversationId: C, messages: [late], origin: 'live' });
    fake.emit('messages.changed', { conversationId: C, messages: [history.stored[4]!], origin: 'sync' });
    release();
    await opening;
    expect(seqs(store.getSnapshot().messages)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('jumps to a loaded entry by scrolling to it and highlighting it briefly', async () => {
    const { fake, store } = setup(100);
    await store.open();
    await store.jumpTo(80);
    const s = store.getSnapshot();
    expect(s.scrollRequest).toMatchObject({ kind: 'seq', seq: 80 });
    expect(s.highlight).toMatchObject({ seq: 80 });
    expect(s.epoch).toBe(1);
    expect(fake.callsOf('messages.around')).toHaveLength(0);
    store.consumeScrollRequest(s.scrollRequest!.nonce);
    expect(store.getSnapshot().scrollRequest).toBeNull();
    vi.advanceTimersByTime(HIGHLIGHT_MS);
    expect(store.getSnapshot().highlight).toBeNull();
  });

  it('jumps to an entry far back in a detached window; live appends wait; scrolling down fills the gap and reattaches', async () => {
    const { fake, history, store } = setup(500);
    await store.open();
    await store.jumpTo(200);
    let s = store.getSnapshot();
    expect(fake.callsOf('messages.around')).toEqual([{ conversationId: C, seq: 200, limit: 100 }]);
    expect(s).toMatchObject({ detached: true, epoch: 2, initial: { kind: 'seq', seq: 200, align: 'center' }, highlight: { seq: 200 } });
    expect(seqs(s.messages)).toEqual(range(150, 249));
    expect(s.firstItemIndex).toBe(FIRST_INDEX);

    store.setAtBottom(true);
    fake.emit('messages.changed', { conversationId: C, messages: [history.add()], origin: 'live' });
    s = store.getSnapshot();
    expect(s.messages.at(-1)?.seq).toBe(249);
    expect(s.newBelow).toBe(1);

    const queued = pending('later');
    history.outbox = [queued];
    for (let i = 0; i < 10 && store.getSnapshot().detached; i++) await store.loadNewer();
    s = store.getSnapshot();
    expect(s.detached).toBe(false);
    expect(seqs(s.messages)).toEqual([...range(150, 501), null]);
    expect(s.epoch).toBe(2);
    // Attached again: live entries append.
    fake.emit('messages.changed', { conversationId: C, messages: [history.add()], origin: 'live' });
    expect(seqs(store.getSnapshot().messages)).toEqual([...range(150, 502), null]);
  });

  it('"Jump to latest" from a detached window reloads the newest page; an own send does the same', async () => {
    const { fake, history, store } = setup(500);
    await store.open();
    await store.jumpTo(100);
    await store.jumpToLatest();
    let s = store.getSnapshot();
    expect(s).toMatchObject({ detached: false, epoch: 3, initial: { kind: 'bottom' }, newBelow: 0 });
    expect(seqs(s.messages)).toEqual(range(451, 500));

    await store.jumpTo(100);
    const mine = pending('hi');
    history.outbox = [mine];
    fake.emit('messages.changed', { conversationId: C, messages: [mine], origin: 'local' });
    await vi.waitFor(() => expect(store.getSnapshot().detached).toBe(false));
    s = store.getSnapshot();
    expect(s.messages.at(-1)).toBe(mine);
    expect(s.initial).toEqual({ kind: 'bottom' });

    // Attached: "Jump to latest" only scrolls.
    const calls = fake.calls.length;
    await store.jumpToLatest();
    expect(store.getSnapshot().scrollRequest).toMatchObject({ kind: 'bottom' });
    expect(fake.calls.length).toBe(calls);
  });

  it('opens straight at a jump target', async () => {
    const { fake, store } = setup(1000, { readSeq: 990 });
    await store.open(300);
    expect(fake.callsOf('messages.page')).toHaveLength(0);
    expect(store.getSnapshot()).toMatchObject({ detached: true, highlight: { seq: 300 }, initial: { kind: 'seq', seq: 300 } });
  });

  it('marks read the highest visible seq, debounced, only when the newest rows are on screen and the window is active', async () => {
    const { fake, history, store } = setup(60, { readSeq: 55 });
    fake.handle('conversation.markRead', () => null);
    await store.open();
    const n = visibleCount(store.getSnapshot().messages, store.getSnapshot().hasOlder);
    store.setVisibleRange(n - 10, n - 1);
    vi.advanceTimersByTime(1000);
    expect(fake.callsOf('conversation.markRead')).toEqual([]); // not focused
    store.setDocumentActive(true);
    store.setVisibleRange(0, n - 3); // the newest entries are not on screen
    vi.advanceTimersByTime(1000);
    expect(fake.callsOf('conversation.markRead')).toEqual([]);
    store.setVisibleRange(n - 8, n - 1);
    vi.advanceTimersByTime(MARK_READ_DELAY_MS - 1);
    expect(fake.callsOf('conversation.markRead')).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fake.callsOf('conversation.markRead')).toEqual([{ conversationId: C, seq: 60 }]);
    store.setVisibleRange(n - 9, n - 1);
    vi.advanceTimersByTime(1000);
    expect(fake.callsOf('conversation.markRead')).toHaveLength(1);
    history.conversation = { ...history.conversation, readSeq: 60 };
    fake.emit('messages.changed', { conversationId: C, messages: [history.add()], origin: 'live' });
    store.setVisibleRange(n - 8, n);
    store.setDocumentActive(false);
    vi.advanceTimersByTime(1000);
    expect(fake.callsOf('conversation.markRead')).toHaveLength(1);
    store.setDocumentActive(true);
    vi.advanceTimersByTime(MARK_READ_DELAY_MS);
    expect(fake.callsOf('conversation.markRead')).toEqual([
      { conversationId: C, seq: 60 },
      { conversationId: C, seq: 61 },
    ]);
  });

  it('reports a failed open and can try again; disposal stops listening and drops late answers', async () => {
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, C, 5);
    fake.fail('messages.page', 'internal', 'Disk on fire');
    const store = new TimelineStore(fake, C, history.source(), { myUserId: ME });
    await store.open();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: 'Disk on fire' });
    new FakeHistory(fake, C, 5);
    await store.open();
    expect(store.getSnapshot().status).toBe('ready');
    const before = store.getSnapshot();
    const late = store.jumpTo(1000);
    store.dispose();
    await late;
    expect(fake.listenerCount()).toBe(0);
    expect(store.getSnapshot().messages).toBe(before.messages);
  });
});
