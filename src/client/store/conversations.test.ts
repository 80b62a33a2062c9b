import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, conversation, member, tempStore, text, texts, type TempStore } from './test-fixtures';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.dispose());

const count = (table: string) => t.store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('upsertConversations', () => {
  it('stores the snapshot with its members in order', () => {
    const members = [member('u_zed', { role: 'owner', displayName: 'Zed' }), member(ME), member('u_amy')];
    const result = t.store.upsertConversations([conversation('c1', { kind: 'group', title: 'Team', lastSeq: 4, members })], ME);
    expect(result.changed).toEqual(['c1']);
    expect(t.store.getConversation('c1')).toEqual({
      id: 'c1',
      kind: 'group',
      title: 'Team',
      createdAt: 1_000,
      lastSeq: 4,
      lastMessage: null,
      lastActivityAt: 1_000,
      unread: 4,
      readSeq: 0,
      muted: false,
      members,
    });
    expect(t.store.listConversations()).toEqual([t.store.getConversation('c1')]);
  });

  it('reports no change for the same snapshot again', () => {
    t.store.upsertConversations([conversation('c1')], ME);
    expect(t.store.upsertConversations([conversation('c1')], ME).changed).toEqual([]);
    expect(t.store.upsertConversations([conversation('c1', { title: 'New' })], ME).changed).toEqual(['c1']);
    expect(t.store.upsertConversations([conversation('c1', { title: 'New', members: [member(ME)] })], ME).changed).toEqual(['c1']);
  });

  it('never moves lastSeq or my readSeq backwards, and keeps muted', () => {
    t.store.upsertConversations([conversation('c1', { lastSeq: 10, members: [member(ME, { readSeq: 7 })] })], ME);
    t.store.setMuted('c1', true);
    t.store.upsertConversations([conversation('c1', { lastSeq: 6, title: 'Renamed', members: [member(ME, { readSeq: 2 })] })], ME);
    expect(t.store.getConversation('c1')).toMatchObject({ lastSeq: 10, readSeq: 7, unread: 3, muted: true, title: 'Renamed' });
    t.store.upsertConversations([conversation('c1', { lastSeq: 12, members: [member(ME, { readSeq: 11 })] })], ME);
    expect(t.store.getConversation('c1')).toMatchObject({ lastSeq: 12, readSeq: 11, unread: 1, muted: true });
  });

  it('replaces the member list but never moves a member watermark backwards', () => {
    t.store.upsertConversations([conversation('c1', { members: [member(ME), member('u_bob', { readSeq: 5, deliveredSeq: 6 }), member('u_eve')] })], ME);
    t.store.upsertConversations([conversation('c1', { members: [member('u_bob', { readSeq: 3, deliveredSeq: 8 }), member(ME)] })], ME);
    expect(t.store.getConversation('c1')!.members).toEqual([member('u_bob', { readSeq: 5, deliveredSeq: 8 }), member(ME)]);
  });

  it('keeps unread at zero when my read watermark is ahead of lastSeq', () => {
    t.store.upsertConversations([conversation('c1', { lastSeq: 3, members: [member(ME, { readSeq: 5 })] }), conversation('c2', { lastSeq: 2 })], ME);
    expect(t.store.getConversation('c1')!.unread).toBe(0);
    expect(t.store.unreadTotal()).toBe(2);
  });
});

describe('unread', () => {
  it('sums unread over conversations that are not muted', () => {
    t.store.upsertConversations([conversation('c1', { lastSeq: 5 }), conversation('c2', { lastSeq: 3 }), conversation('c3', { lastSeq: 9, members: [member(ME, { readSeq: 9 })] })], ME);
    expect(t.store.unreadTotal()).toBe(8);
    t.store.setMuted('c2', true);
    expect(t.store.unreadTotal()).toBe(5);
    expect(t.store.getConversation('c2')).toMatchObject({ muted: true, unread: 3 });
    t.store.setMuted('c2', false);
    expect(t.store.unreadTotal()).toBe(8);
  });

  it('markReadLocal moves my watermark forward only, and never past lastSeq', () => {
    t.store.upsertConversations([conversation('c1', { lastSeq: 10 })], ME);
    expect(t.store.markReadLocal('c1', ME, 4)).toBe(true);
    expect(t.store.markReadLocal('c1', ME, 4)).toBe(false);
    expect(t.store.markReadLocal('c1', ME, 2)).toBe(false);
    expect(t.store.getConversation('c1')).toMatchObject({ readSeq: 4, unread: 6 });
    expect(t.store.markReadLocal('c1', ME, 99)).toBe(true);
    expect(t.store.getConversation('c1')).toMatchObject({ readSeq: 10, unread: 0 });
    expect(t.store.markReadLocal('nope', ME, 1)).toBe(false);
    // The member row is what the server knows: a local mark does not pretend the server has it.
    expect(t.store.getConversation('c1')!.members.find((m) => m.userId === ME)!.readSeq).toBe(0);
  });
});

describe('applyReceipt', () => {
  beforeEach(() => {
    t.store.upsertConversations([conversation('c1', { lastSeq: 10 })], ME);
  });

  it('moves member watermarks forward only', () => {
    expect(t.store.applyReceipt({ conversationId: 'c1', userId: 'u_bob', deliveredSeq: 5, readSeq: 3 })).toBe(true);
    expect(t.store.applyReceipt({ conversationId: 'c1', userId: 'u_bob', deliveredSeq: 4, readSeq: 2 })).toBe(false);
    expect(t.store.applyReceipt({ conversationId: 'c1', userId: 'u_bob', deliveredSeq: 4, readSeq: 4 })).toBe(true);
    expect(t.store.getConversation('c1')!.members.find((m) => m.userId === 'u_bob')).toMatchObject({ deliveredSeq: 5, readSeq: 4 });
    expect(t.store.applyReceipt({ conversationId: 'c1', userId: 'u_nobody', deliveredSeq: 9, readSeq: 9 })).toBe(false);
    expect(t.store.applyReceipt({ conversationId: 'c9', userId: 'u_bob', deliveredSeq: 9, readSeq: 9 })).toBe(false);
  });

  it('moves my unread when another of my devices has read', () => {
    expect(t.store.applyReceipt({ conversationId: 'c1', userId: ME, deliveredSeq: 8, readSeq: 8 })).toBe(true);
    expect(t.store.getConversation('c1')).toMatchObject({ readSeq: 8, unread: 2 });
  });
});

describe('listConversations', () => {
  it('orders by latest activity, with the newest entry including a pending one', () => {
    t.store.upsertConversations([conversation('c1', { createdAt: 100 }), conversation('c2', { createdAt: 200 }), conversation('c3', { createdAt: 300 })], ME);
    expect(t.store.listConversations().map((c) => c.id)).toEqual(['c3', 'c2', 'c1']);

    t.store.applyMessages([text('c1', 1, { ts: 1_000, body: 'old news' })], ME);
    expect(t.store.listConversations().map((c) => c.id)).toEqual(['c1', 'c3', 'c2']);

    const pending = t.store.enqueue({ conversationId: 'c2', clientId: 'k1', body: 'typed offline', senderId: ME, createdAt: 2_000 });
    const list = t.store.listConversations();
    expect(list.map((c) => [c.id, c.lastActivityAt])).toEqual([
      ['c2', 2_000],
      ['c1', 1_000],
      ['c3', 300],
    ]);
    expect(list[0]!.lastMessage).toEqual(pending);
    expect(list[1]!.lastMessage).toMatchObject({ seq: 1, body: 'old news', state: 'sent' });
    expect(list[2]!.lastMessage).toBeNull();

    // Deleting the pending entry puts c2 back where its own history places it.
    t.store.deleteOutbox('k1');
    expect(t.store.listConversations().map((c) => [c.id, c.lastActivityAt])).toEqual([
      ['c1', 1_000],
      ['c3', 300],
      ['c2', 200],
    ]);
  });

  it('gives each conversation its own members', () => {
    t.store.upsertConversations([conversation('c1', { members: [member(ME), member('u_a')] }), conversation('c2', { members: [member('u_b'), member(ME)] })], ME);
    const byId = new Map(t.store.listConversations().map((c) => [c.id, c.members.map((m) => m.userId)]));
    expect(byId).toEqual(new Map([['c1', [ME, 'u_a']], ['c2', ['u_b', ME]]]));
  });
});

describe('watermarks', () => {
  it('lists every conversation, most active first', () => {
    t.store.upsertConversations([conversation('c1', { createdAt: 100 }), conversation('c2', { createdAt: 200 })], ME);
    t.store.applyMessages(texts('c1', 1, 3), ME);
    expect(t.store.watermarks()).toEqual([
      ['c1', 3],
      ['c2', 0],
    ]);
  });
});

describe('removeConversation', () => {
  it('deletes the conversation with its members, messages, search rows and outbox', () => {
    t.store.upsertConversations([conversation('c1'), conversation('c2')], ME);
    t.store.applyMessages([text('c1', 1, { body: 'findable words' }), text('c2', 1, { body: 'findable too' })], ME);
    t.store.enqueue({ conversationId: 'c1', clientId: 'k1', body: 'pending', senderId: ME, createdAt: 5 });
    expect(t.store.search('findable', 10)).toHaveLength(2);

    t.store.removeConversation('c1');
    expect(t.store.getConversation('c1')).toBeNull();
    expect(t.store.page('c1', { limit: 10 })).toEqual([]);
    expect(t.store.pendingOutbox()).toEqual([]);
    expect(t.store.search('findable', 10).map((h) => h.message.conversationId)).toEqual(['c2']);
    expect(count("members WHERE conversation_id = 'c1'")).toBe(0);
    expect(count("messages WHERE conversation_id = 'c1'")).toBe(0);
    t.store.db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
    expect(t.store.watermarks().map(([id]) => id)).toEqual(['c2']);
  });
});

describe('applySyncBatch', () => {
  it('stores snapshots, removals and messages in one step', () => {
    t.store.upsertConversations([conversation('gone')], ME);
    const result = t.store.applySyncBatch(
      { conversations: [conversation('c1', { lastSeq: 3 })], removed: ['gone', 'never-had'], messages: texts('c1', 1, 3) },
      ME,
    );
    expect(result.removed).toEqual(['gone']);
    expect(result.changed).toEqual(['c1']);
    expect(result.gaps).toEqual([]);
    expect([...result.inserted.keys()]).toEqual(['c1']);
    expect(t.store.watermarks()).toEqual([['c1', 3]]);
  });

  it('stores nothing of a batch that fails', () => {
    const bad = { ...conversation('c2'), kind: 'channel' } as unknown as ReturnType<typeof conversation>;
    expect(() => t.store.applySyncBatch({ conversations: [conversation('c1'), bad], removed: [], messages: [] }, ME)).toThrow();
    expect(t.store.listConversations()).toEqual([]);
  });
});

describe('meta', () => {
  it('keeps values across a reopen and deletes on null', () => {
    expect(t.store.getMeta('k')).toBeNull();
    t.store.setMeta('k', 'v1');
    t.store.setMeta('k', 'v2');
    expect(t.reopen().getMeta('k')).toBe('v2');
    t.store.setMeta('k', null);
    expect(t.store.getMeta('k')).toBeNull();
  });
});
