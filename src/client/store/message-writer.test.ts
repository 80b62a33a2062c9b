import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, conversation, member, seqs, system, tempStore, text, texts, type TempStore } from './test-fixtures';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.upsertConversations([conversation('c1'), conversation('c2')], ME);
});
afterEach(() => t.dispose());

const watermark = (id: string) => new Map(t.store.watermarks()).get(id);
const stored = (id: string) => seqs(t.store.page(id, { limit: 5000 }));

describe('applyMessages', () => {
  it('stores a message once and returns only the new ones, oldest first', () => {
    const first = t.store.applyMessages([text('c1', 2), text('c1', 1), text('c1', 3)], ME);
    expect(seqs(first.inserted.get('c1')!)).toEqual([1, 2, 3]);
    expect(first.changed).toEqual(['c1']);

    const again = t.store.applyMessages([text('c1', 2), text('c1', 3), text('c1', 4), text('c1', 4)], ME);
    expect(seqs(again.inserted.get('c1')!)).toEqual([4]);
    expect(stored('c1')).toEqual([1, 2, 3, 4]);

    const nothing = t.store.applyMessages([text('c1', 1)], ME);
    expect(nothing.inserted.size).toBe(0);
    expect(nothing.changed).toEqual([]);
    expect(nothing.gaps).toEqual([]);
  });

  it('keeps the first copy of a message', () => {
    t.store.applyMessages([text('c1', 1, { body: 'original', ts: 5 })], ME);
    t.store.applyMessages([text('c1', 1, { body: 'changed', ts: 6 })], ME);
    expect(t.store.page('c1', { limit: 5 })).toMatchObject([{ body: 'original', ts: 5 }]);
    expect(t.store.search('changed', 5)).toEqual([]);
  });

  it('returns stored messages as the UI shows them', () => {
    const body = 'hello <b>not html</b>';
    const { inserted } = t.store.applyMessages([text('c1', 1, { body, ts: 5_000, clientId: 'k1' }), system('c1', 2, { event: 'renamed', title: 'Hi' })], ME);
    expect(inserted.get('c1')).toEqual([
      { conversationId: 'c1', seq: 1, clientId: 'k1', senderId: 'u_bob', kind: 'text', body, system: null, ts: 5_000, state: 'sent', error: null },
      { conversationId: 'c1', seq: 2, clientId: null, senderId: 'u_bob', kind: 'system', body: null, system: { event: 'renamed', title: 'Hi' }, ts: 10_002, state: 'sent', error: null },
    ]);
    expect(t.store.page('c1', { limit: 10 })).toEqual(inserted.get('c1'));
  });

  it('moves the watermark over contiguous seqs only; a message beyond a gap is kept and reported', () => {
    t.store.applyMessages(texts('c1', 1, 3), ME);
    expect(watermark('c1')).toBe(3);

    const beyond = t.store.applyMessages([text('c1', 5), text('c1', 6), text('c2', 1)], ME);
    expect(beyond.gaps).toEqual(['c1']);
    expect(seqs(beyond.inserted.get('c1')!)).toEqual([5, 6]);
    expect(watermark('c1')).toBe(3);
    expect(watermark('c2')).toBe(1);
    expect(stored('c1')).toEqual([1, 2, 3, 5, 6]);

    // Filling the gap walks the watermark over everything already stored beyond it.
    const filled = t.store.applyMessages([text('c1', 4)], ME);
    expect(filled.gaps).toEqual([]);
    expect(watermark('c1')).toBe(6);
  });

  it('walks over a long stored run beyond a filled gap', () => {
    t.store.applyMessages(texts('c1', 1, 10), ME);
    t.store.applyMessages(texts('c1', 12, 2000), ME);
    expect(watermark('c1')).toBe(10);
    t.store.applyMessages([text('c1', 11)], ME);
    expect(watermark('c1')).toBe(2011);
  });

  it('starts a conversation with nothing stored at the lowest seq of its first batch', () => {
    // A backlog-limited catch-up brings only the latest entries.
    const first = t.store.applyMessages(texts('c1', 201, 200), ME);
    expect(first.gaps).toEqual([]);
    expect(watermark('c1')).toBe(400);
    expect(t.store.oldestSeq('c1')).toBe(201);

    // Older history arrives later, below the watermark: no gap, no move.
    const history = t.store.applyMessages(texts('c1', 151, 50), ME);
    expect(history.gaps).toEqual([]);
    expect(seqs(history.inserted.get('c1')!)).toHaveLength(50);
    expect(watermark('c1')).toBe(400);
    expect(t.store.oldestSeq('c1')).toBe(151);
  });

  it('reports a gap inside the first batch', () => {
    const first = t.store.applyMessages([...texts('c1', 201, 100), text('c1', 305)], ME);
    expect(first.gaps).toEqual(['c1']);
    expect(watermark('c1')).toBe(300);
  });

  it('skips messages of a conversation it does not know and asks for a sync', () => {
    const result = t.store.applyMessages([text('c9', 1), text('c1', 1)], ME);
    expect(result.gaps).toEqual(['c9']);
    expect([...result.inserted.keys()]).toEqual(['c1']);
    expect(t.store.getConversation('c9')).toBeNull();
    expect(t.store.page('c9', { limit: 10 })).toEqual([]);
  });

  it('raises lastSeq to the highest stored seq, and unread with it', () => {
    t.store.applyMessages(texts('c1', 1, 8), ME);
    const c = t.store.getConversation('c1')!;
    expect(c.lastSeq).toBe(8);
    expect(c.unread).toBe(8);
    expect(t.store.unreadTotal()).toBe(8);
  });

  it('moves my read watermark to my own messages, never back', () => {
    t.store.applyMessages(texts('c1', 1, 3), ME);
    t.store.applyMessages([text('c1', 4, { senderId: ME })], ME);
    expect(t.store.getConversation('c1')).toMatchObject({ readSeq: 4, unread: 0 });
    t.store.applyMessages([text('c1', 5)], ME);
    expect(t.store.getConversation('c1')).toMatchObject({ readSeq: 4, unread: 1 });
    // An old message of mine from a history page does not move it back.
    t.store.applyMessages([text('c2', 10), text('c2', 11, { senderId: ME }), text('c2', 12)], ME);
    t.store.applyMessages([text('c2', 5, { senderId: ME })], ME);
    expect(t.store.getConversation('c2')).toMatchObject({ readSeq: 11, unread: 1 });
  });

  it("moves a sender's member watermarks to their message, never back", () => {
    t.store.upsertConversations([conversation('c1', { members: [member(ME), member('u_bob'), member('u_eve', { readSeq: 9, deliveredSeq: 9 })] })], ME);
    const result = t.store.applyMessages([text('c1', 1), text('c1', 2, { senderId: 'u_eve' }), text('c1', 3)], ME);
    expect(result.changed).toEqual(['c1']);
    const members = new Map(t.store.getConversation('c1')!.members.map((m) => [m.userId, m]));
    expect(members.get('u_bob')).toMatchObject({ deliveredSeq: 3, readSeq: 3 });
    expect(members.get('u_eve')).toMatchObject({ deliveredSeq: 9, readSeq: 9 });
    expect(members.get(ME)).toMatchObject({ deliveredSeq: 0, readSeq: 0 });
  });

  it('orders the sidebar by the newest message', () => {
    t.store.applyMessages([text('c1', 1, { ts: 50_000 })], ME);
    t.store.applyMessages([text('c2', 1, { ts: 60_000 })], ME);
    expect(t.store.listConversations().map((c) => [c.id, c.lastActivityAt])).toEqual([
      ['c2', 60_000],
      ['c1', 50_000],
    ]);
    // An older message from a history page does not move it.
    t.store.applyMessages([text('c2', 2, { ts: 70_000 }), text('c1', 2, { ts: 40_000 })], ME);
    expect(t.store.listConversations().map((c) => [c.id, c.lastActivityAt])).toEqual([
      ['c2', 70_000],
      ['c1', 50_000],
    ]);
  });

  it('applies a batch spread over many conversations in one transaction', () => {
    const many = Array.from({ length: 50 }, (_, i) => conversation(`m${i}`));
    t.store.upsertConversations(many, ME);
    const batch = many.flatMap((c, i) => texts(c.id, 1, 1 + (i % 7)));
    const result = t.store.applyMessages(batch, ME);
    expect(result.inserted.size).toBe(50);
    expect(result.gaps).toEqual([]);
    for (const [i, c] of many.entries()) expect(watermark(c.id)).toBe(1 + (i % 7));
  });

  it('stores many messages within one millisecond', () => {
    const burst = Array.from({ length: 1500 }, (_, i) => text('c1', i + 1, { ts: 77_000 }));
    t.store.applyMessages(burst.slice(0, 700), ME);
    t.store.applyMessages(burst.slice(700), ME);
    expect(stored('c1')).toHaveLength(1500);
    expect(watermark('c1')).toBe(1500);
  });
});
