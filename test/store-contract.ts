import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/server/store/store';

/**
 * The behaviour every Store must have. Run against each implementation with a factory
 * that returns a fresh, empty store (and a cleanup).
 */
export function describeStoreContract(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let n = 0;
    const now = 1_700_000_000_000;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    async function user(): Promise<string> {
      const id = `u_contract${++n}`;
      const created = await store.createUser({ id, username: `contract${n}`, displayName: null, passwordHash: 'x', now });
      if (created === 'username_taken') throw new Error('unexpected');
      return id;
    }

    it('usernames are unique', async () => {
      await store.createUser({ id: 'u_1', username: 'same', displayName: null, passwordHash: 'x', now });
      expect(await store.createUser({ id: 'u_2', username: 'same', displayName: null, passwordHash: 'x', now })).toBe('username_taken');
    });

    it('assigns gapless seqs, stores a client id once, and refuses non-members', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const direct = await store.openDirect(a, b, now);
      if (typeof direct === 'string') throw new Error(direct);
      const id = direct.conversationId;
      const results = await store.appendMessages([
        { senderId: a, conversationId: id, clientId: '00000000-0000-7000-8000-000000000001', body: 'one', now },
        { senderId: b, conversationId: id, clientId: '00000000-0000-7000-8000-000000000002', body: 'two', now },
        { senderId: a, conversationId: id, clientId: '00000000-0000-7000-8000-000000000001', body: 'one', now },
        { senderId: c, conversationId: id, clientId: '00000000-0000-7000-8000-000000000003', body: 'intruder', now },
        { senderId: b, conversationId: id, clientId: '00000000-0000-7000-8000-000000000001', body: 'stolen id', now },
        { senderId: a, conversationId: id, clientId: '00000000-0000-7000-8000-000000000001', body: 'one, edited', now },
      ]);
      expect(results.map((r) => (r.ok ? [r.message.seq, r.duplicate] : r.code))).toEqual([[2, false], [3, false], [2, true], 'not_found', 'conflict', 'conflict']);
      expect((await store.messagesAfter(id, 0, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(await store.historyBefore(c, id, 100, 10)).toBeNull();
      expect((await store.historyBefore(a, id, 3, 10))?.map((m) => m.seq)).toEqual([2, 1]);
    });

    it('exactly one direct conversation per pair, in either direction', async () => {
      const [a, b] = [await user(), await user()];
      const first = await store.openDirect(a, b, now);
      const second = await store.openDirect(b, a, now);
      if (typeof first === 'string' || typeof second === 'string') throw new Error('refused');
      expect(second.conversationId).toBe(first.conversationId);
      expect(second.existing).toBe(true);
      expect(await store.openDirect(a, 'u_missing', now)).toBe('user_not_found');
    });

    it('receipts never move backwards nor past the end, and report whether they changed', async () => {
      const [a, b] = [await user(), await user()];
      const direct = await store.openDirect(a, b, now);
      if (typeof direct === 'string') throw new Error(direct);
      const id = direct.conversationId;
      const [first, back, far, same] = await store.markReceipts([
        { conversationId: id, userId: b, kind: 'read', seq: 1 },
        { conversationId: id, userId: b, kind: 'delivered', seq: 0 },
        { conversationId: id, userId: b, kind: 'delivered', seq: 99 },
        { conversationId: id, userId: b, kind: 'read', seq: 1 },
      ]);
      expect(first).toEqual({ receipt: { conversationId: id, userId: b, deliveredSeq: 1, readSeq: 1 }, changed: true });
      expect(back?.changed).toBe(false);
      expect(far?.receipt.deliveredSeq).toBe(1);
      expect(same?.changed).toBe(false);
      expect(await store.markReceipts([{ conversationId: id, userId: 'u_outsider', kind: 'read', seq: 1 }])).toEqual([null]);
    });

    it('membership changes append entries and enforce roles', async () => {
      const [owner, m1, m2] = [await user(), await user(), await user()];
      const g = await store.createGroup(owner, 'g', [m1], now);
      if (typeof g === 'string') throw new Error(g);
      expect(await store.removeMember(m1, g.conversationId, owner, now)).toBe('not_allowed');
      const added = await store.addMembers(m1, g.conversationId, [m2], now);
      if (typeof added === 'string') throw new Error(added);
      expect(added.message?.seq).toBe(2);
      const removed = await store.removeMember(owner, g.conversationId, m2, now);
      if (typeof removed === 'string') throw new Error(removed);
      expect(removed.removedIds).toEqual([m2]);
      expect(await store.memberIds(g.conversationId)).not.toContain(m2);
      expect(await store.getConversation(m2, g.conversationId)).toBeNull();
      expect(await store.rename(m2, g.conversationId, 'x', now)).toBe('not_found');
      const same = await store.rename(owner, g.conversationId, 'g', now);
      expect(typeof same !== 'string' && same.message).toBeNull(); // renaming to the same title adds no entry
      expect(await store.contactsOf(owner)).toEqual([m1]);
    });

    it('refresh tokens rotate once; a spent one revokes the session', async () => {
      const a = await user();
      await store.createSession({ id: 's_1', userId: a, deviceName: 'laptop', refreshHash: 'h1', now });
      expect(await store.rotateRefreshToken('h1', 'h2', now + 1)).toEqual({ ok: true, sessionId: 's_1', userId: a });
      expect(await store.rotateRefreshToken('h1', 'h3', now + 2)).toEqual({ ok: false, reason: 'reused', sessionId: 's_1' });
      expect(await store.getLiveSession('s_1')).toBeNull();
      expect(await store.rotateRefreshToken('h2', 'h4', now + 3)).toEqual({ ok: false, reason: 'revoked', sessionId: 's_1' });
      expect(await store.rotateRefreshToken('nope', 'h5', now + 4)).toEqual({ ok: false, reason: 'unknown', sessionId: null });
    });
  });
}
