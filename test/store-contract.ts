import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_REQUESTS } from '../src/shared/protocol';
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
      expect(first).toEqual({ receipt: { conversationId: id, userId: b, deliveredSeq: 1, readSeq: 1 }, changed: true, shared: false }); // b has not accepted a's request
      expect(back?.changed).toBe(false);
      expect(far?.receipt.deliveredSeq).toBe(1);
      expect(same?.changed).toBe(false);
      expect(await store.markReceipts([{ conversationId: id, userId: 'u_outsider', kind: 'read', seq: 1 }])).toEqual([null]);
    });

    it('membership changes append entries and enforce roles', async () => {
      const [owner, m1, m2] = [await user(), await user(), await user()];
      const g = await store.createGroup(owner, 'g', [m1], now);
      if (typeof g === 'string') throw new Error(g);
      expect(await store.addMembers(m1, g.conversationId, [m2], now)).toBe('accept_first'); // an invitation manages nothing
      expect(await store.accept(m1, g.conversationId)).toMatchObject({ changedIds: [m1], existing: false });
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

    it('consent: a stranger’s DM or invitation is pending until accepted; someone the user talks to is in directly', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const dm = await store.openDirect(a, b, now);
      if (typeof dm === 'string') throw new Error(dm);
      expect(dm.joinedIds).toEqual([a, b]);
      expect(await store.memberStates(dm.conversationId)).toEqual(expect.arrayContaining([{ userId: a, state: 'accepted' }, { userId: b, state: 'pending' }]));
      expect((await store.getConversation(a, dm.conversationId))?.members.find((m) => m.userId === b)).toMatchObject({ state: 'pending', invitedBy: a });
      // Sending answers (and accepts) the request.
      const [sent] = await store.appendMessages([{ senderId: b, conversationId: dm.conversationId, clientId: '00000000-0000-7000-8000-0000000000b1', body: 'hi', now }]);
      expect(sent).toMatchObject({ ok: true, accepted: true });
      expect(await store.accept(b, dm.conversationId)).toMatchObject({ existing: true });
      // b knows a now: a group of a's with b in it is no request for b; c is invited.
      const g = await store.createGroup(a, 'g', [b, c], now);
      if (typeof g === 'string') throw new Error(g);
      const view = await store.getConversation(c, g.conversationId);
      expect(view?.members.map((m) => [m.userId, m.state])).toEqual([[a, 'accepted'], [b, 'accepted'], [c, 'pending']]);
      expect(await store.hasDirect(a, b)).toBe(true);
      expect(await store.hasDirect(a, c)).toBe(false);
      // c declines: out, with an entry; in a DM the requester cannot put the decliner back.
      const declined = await store.decline(c, g.conversationId, now);
      expect(declined).toMatchObject({ removedIds: [c], message: { kind: 'system', system: { event: 'request.declined' } } });
      expect(await store.decline(b, g.conversationId, now)).toBe('invalid_request'); // nothing to decline
      const dm2 = await store.openDirect(a, c, now);
      if (typeof dm2 === 'string') throw new Error(dm2);
      await store.decline(c, dm2.conversationId, now);
      expect(await store.openDirect(a, c, now)).toMatchObject({ existing: true, memberIds: [a] });
      expect(await store.openDirect(c, a, now)).toMatchObject({ existing: false, joinedIds: [c] });
    });

    it('requests have their own cap and do not count toward the conversation cap', async () => {
      const target = await user();
      for (let i = 0; i < MAX_PENDING_REQUESTS; i++) expect(typeof (await store.openDirect(await user(), target, now))).toBe('object');
      expect(await store.openDirect(await user(), target, now)).toBe('requests_full');
      // The target can still start conversations of their own.
      expect(typeof (await store.openDirect(target, await user(), now))).toBe('object');
      expect((await store.listMemberships(target)).length).toBe(MAX_PENDING_REQUESTS + 1);
    });

    it('blocks: no DM, no invitation, requests from the blocked are declined; presence audiences follow consent and blocks', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const request = await store.openDirect(b, a, now);
      if (typeof request === 'string') throw new Error(request);
      expect(await store.presenceAudience(a)).toEqual([]); // a has accepted nothing: shares with nobody
      expect(await store.presenceVisibleTo(a)).toEqual([b]); // b chose to talk to a
      const declined = await store.block(a, b, now);
      expect(Array.isArray(declined) && declined.map((d) => d.removedIds)).toEqual([[a]]);
      expect(await store.block(a, b, now)).toEqual([]); // again: nothing new
      expect(await store.listBlocked(a)).toEqual([expect.objectContaining({ id: b })]);
      expect(await store.blocksOf(a)).toEqual({ blocked: [b], blockedBy: [] });
      expect(await store.blocksOf(b)).toEqual({ blocked: [], blockedBy: [a] });
      expect(await store.openDirect(b, c, now)).toMatchObject({ existing: false });
      expect(await store.createGroup(b, 'g', [a], now)).toBe('blocked');
      expect(await store.openDirect(a, b, now)).toBe('actor_blocked'); // the declined one: not while a blocks b
      const fresh = await user();
      await store.block(fresh, c, now);
      expect(await store.openDirect(c, fresh, now)).toBe('blocked');
      expect(await store.openDirect(fresh, c, now)).toBe('actor_blocked');
      expect(await store.block(a, 'u_nobody', now)).toBe('user_not_found');
      // In a group all accepted: a's presence goes to c but not to the blocked b, b's goes to both.
      const ac = await store.openDirect(c, a, now);
      if (typeof ac === 'string') throw new Error(ac);
      await store.accept(a, ac.conversationId);
      expect((await store.presenceAudience(a)).sort()).toEqual([c]);
      expect(await store.unblock(a, b)).toBe(true);
      expect(await store.unblock(a, b)).toBe(false);
    });

    it('privacy and search', async () => {
      const [a, b] = [await user(), await user()];
      expect(await store.getPrivacy(a)).toEqual({ lastSeen: 'contacts' });
      expect(await store.setPrivacy(a, { lastSeen: 'nobody' })).toEqual({ lastSeen: 'nobody' });
      expect([...(await store.hidingLastSeen([a, b]))]).toEqual([a]);
      expect(await store.getPrivacy('u_nobody')).toBeNull();
      const found = await store.searchUsers(a, 'contract', 50, false);
      expect(found.map((u) => u.id)).toEqual(expect.arrayContaining([a, b]));
      expect(await store.searchUsers(a, 'contract', 50, true)).toEqual([]);
      await store.block(b, a, now);
      expect((await store.searchUsers(a, 'contract', 50, false)).map((u) => u.id)).not.toContain(b);
    });

    it('refresh tokens rotate once; a spent one revokes the session', async () => {
      const a = await user();
      await store.createSession({ id: 's_1', userId: a, deviceName: 'laptop', refreshHash: 'h1', now });
      const start = await store.revocationsAfter(null);
      expect(await store.rotateRefreshToken('h1', 'h2', now + 1, 0)).toEqual({ ok: true, sessionId: 's_1', userId: a, issuedAt: now + 1 });
      expect(await store.rotateRefreshToken('h1', 'h3', now + 2, 0)).toEqual({ ok: false, reason: 'reused', sessionId: 's_1' });
      expect(await store.getLiveSession('s_1')).toBeNull();
      expect(await store.rotateRefreshToken('h2', 'h4', now + 3, 0)).toEqual({ ok: false, reason: 'revoked', sessionId: 's_1' });
      expect(await store.rotateRefreshToken('nope', 'h5', now + 4, 0)).toEqual({ ok: false, reason: 'unknown', sessionId: null });
      // The reuse revoked the session: that is in the log every server reads.
      expect((await store.revocationsAfter(start.cursor)).sessionIds).toEqual(['s_1']);
    });

    it('a refresh token presented again within the replay window, its successor unused, answers the same exchange', async () => {
      const a = await user();
      await store.createSession({ id: 's_2', userId: a, deviceName: 'laptop', refreshHash: 'r1', now });
      expect(await store.rotateRefreshToken('r1', 'r2', now + 10, 60_000)).toMatchObject({ ok: true, issuedAt: now + 10 });
      // The answer was lost: the same token again, the same successor.
      expect(await store.rotateRefreshToken('r1', 'r2', now + 40_000, 60_000)).toEqual({ ok: true, sessionId: 's_2', userId: a, issuedAt: now + 10 });
      // The successor was used: the old token is now a copy in someone else's hands.
      expect(await store.rotateRefreshToken('r2', 'r3', now + 41_000, 60_000)).toMatchObject({ ok: true });
      expect(await store.rotateRefreshToken('r1', 'r2', now + 42_000, 60_000)).toMatchObject({ ok: false, reason: 'reused' });
      // And after the window, even with the successor unused.
      await store.createSession({ id: 's_3', userId: a, deviceName: 'phone', refreshHash: 'p1', now });
      await store.rotateRefreshToken('p1', 'p2', now, 60_000);
      expect(await store.rotateRefreshToken('p1', 'p2', now + 60_001, 60_000)).toMatchObject({ ok: false, reason: 'reused' });
    });

    it('revocations are logged in order for every way a session ends; disabling signs a user out everywhere', async () => {
      const a = await user();
      const start = await store.revocationsAfter(null);
      for (const id of ['s_a', 's_b', 's_c']) await store.createSession({ id, userId: a, deviceName: id, refreshHash: `h_${id}`, now });
      expect(await store.revokeSession(a, 's_a', now)).toBe(true);
      expect(await store.revokeSession(a, 's_a', now)).toBe(false);
      expect(await store.setDisabled(a, true, now)).toEqual(expect.arrayContaining(['s_b', 's_c']));
      const log = await store.revocationsAfter(start.cursor);
      expect(log.sessionIds).toEqual(['s_a', ...log.sessionIds.slice(1)]);
      expect([...log.sessionIds].sort()).toEqual(['s_a', 's_b', 's_c']);
      expect(await store.revocationsAfter(log.cursor)).toEqual({ cursor: log.cursor, sessionIds: [] });
      expect((await store.findUserForLogin('contract' + a.slice('u_contract'.length)))?.disabled).toBe(true);
      expect(await store.setDisabled(a, false, now)).toEqual([]);
      expect(await store.setDisabled('u_nobody', true, now)).toBeNull();
      await store.pruneRevocations(now + 1);
      expect((await store.revocationsAfter(start.cursor)).sessionIds).toEqual([]);
    });
  });
}
