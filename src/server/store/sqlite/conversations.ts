import {
  MAX_CONVERSATIONS,
  MAX_GROUP_MEMBERS,
  MAX_PENDING_REQUESTS,
  type Conversation,
  type Member,
  type MemberState,
  type Message,
} from '../../../shared/protocol';
import { viewOf, type ConversationSnapshot } from '../../conversation-view';
import { newId } from '../../ids';
import type { MembershipChange, Refusal } from '../store';
import type { Db } from './database';
import type { SqliteMessages } from './messages';
import type { SqliteRelations } from './relations';

interface ConversationRow {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  created_at: number;
  last_seq: number;
}
interface MemberRow {
  user_id: string;
  username: string;
  display_name: string | null;
  role: 'owner' | 'member';
  state: MemberState;
  invited_by: string | null;
  delivered_seq: number;
  read_seq: number;
}

type Outcome = MembershipChange | Refusal;

/**
 * Conversations and their membership. Every change appends a system entry to the timeline,
 * and consent decides how someone gets in: put in by a user they have no accepted
 * conversation with, they join `pending` (a request or an invitation) and share nothing
 * until they accept.
 */
export class SqliteConversations {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly messages: SqliteMessages,
    private readonly relations: SqliteRelations,
  ) {
    this.q = {
      byDirectKey: db.prepare<[string], { id: string }>('SELECT id FROM conversations WHERE direct_key = ?'),
      insert: db.prepare('INSERT INTO conversations (id, kind, title, direct_key, created_at) VALUES (?, ?, ?, ?, ?)'),
      addMember: db.prepare(
        'INSERT INTO members (conversation_id, user_id, role, joined_at, state, invited_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      removeMember: db.prepare('DELETE FROM members WHERE conversation_id = ? AND user_id = ?'),
      setState: db.prepare('UPDATE members SET state = ? WHERE conversation_id = ? AND user_id = ?'),
      get: db.prepare<[string], ConversationRow>('SELECT id, kind, title, created_at, last_seq FROM conversations WHERE id = ?'),
      rename: db.prepare('UPDATE conversations SET title = ? WHERE id = ?'),
      member: db.prepare<[string, string], { role: 'owner' | 'member'; state: MemberState }>(
        'SELECT role, state FROM members WHERE conversation_id = ? AND user_id = ?',
      ),
      members: db.prepare<[string], MemberRow>(
        `SELECT m.user_id, u.username, u.display_name, m.role, m.state, m.invited_by, m.delivered_seq, m.read_seq
         FROM members m JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?
         ORDER BY m.role = 'owner' DESC, m.joined_at, u.username`,
      ),
      // The heir: the longest-standing member who chose to be there, else anyone left.
      heir: db.prepare<[string], { user_id: string }>(
        `SELECT m.user_id FROM members m JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?
         ORDER BY m.state = 'accepted' DESC, m.joined_at, u.username LIMIT 1`,
      ),
      promote: db.prepare("UPDATE members SET role = 'owner' WHERE conversation_id = ? AND user_id = ?"),
      owners: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM members WHERE conversation_id = ? AND role = 'owner'"),
      states: db.prepare<[string], { user_id: string; state: MemberState }>('SELECT user_id, state FROM members WHERE conversation_id = ?'),
      memberships: db.prepare<[string], { conversation_id: string; last_seq: number }>(
        'SELECT m.conversation_id, c.last_seq FROM members m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ?',
      ),
      countMemberships: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE user_id = ?'),
      countPending: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM members WHERE user_id = ? AND state = 'pending'"),
      userExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM users WHERE id = ? AND disabled = 0'),
      contacts: db.prepare<[string, string], { user_id: string }>(
        `SELECT DISTINCT o.user_id FROM members m JOIN members o ON o.conversation_id = m.conversation_id
         WHERE m.user_id = ? AND o.user_id <> ?`,
      ),
      requestsFrom: db.prepare<[string, string], { conversation_id: string }>(
        "SELECT conversation_id FROM members WHERE user_id = ? AND state = 'pending' AND invited_by = ?",
      ),
    };
  }

  openDirect(userId: string, otherId: string, now: number): Outcome | 'user_not_found' {
    if (userId === otherId) return 'invalid_request';
    const key = directKey(userId, otherId);
    return this.db.transaction((): Outcome | 'user_not_found' => {
      const found = this.q.byDirectKey.get(key);
      if (found) return this.reopenDirect(found.id, userId, now);
      if (!this.q.userExists.get(otherId)) return 'user_not_found';
      const refusal = this.blockRefusal(userId, otherId) ?? this.capRefusal(userId, 'accepted');
      if (refusal) return refusal;
      const state = this.stateFor(otherId, userId, null);
      const capped = this.capRefusal(otherId, state);
      if (capped) return capped;
      const id = newId('c');
      this.q.insert.run(id, 'direct', null, key, now);
      this.q.addMember.run(id, userId, 'member', now, 'accepted', null);
      this.q.addMember.run(id, otherId, 'member', now, state, state === 'pending' ? userId : null);
      const message = this.messages.appendEntry(id, userId, null, { event: 'created', title: null }, now);
      return this.change(id, message, { joined: [userId, otherId] });
    })();
  }

  hasDirect(userId: string, otherId: string): boolean {
    return this.q.byDirectKey.get(directKey(userId, otherId)) !== undefined;
  }

  /**
   * A direct chat that exists: unchanged, unless the opener is the one who declined it,
   * who comes back in by asking. The one they declined cannot put them back.
   */
  private reopenDirect(id: string, userId: string, now: number): Outcome {
    if (this.q.member.get(id, userId)) return this.unchanged(id);
    const other = this.messages.memberIds(id)[0];
    const refusal = (other === undefined ? null : this.blockRefusal(userId, other)) ?? this.capRefusal(userId, 'accepted');
    if (refusal) return refusal;
    this.q.addMember.run(id, userId, 'member', now, 'accepted', null);
    this.relations.clearFormer(id, userId);
    const message = this.messages.appendEntry(id, userId, null, { event: 'members.added', userIds: [userId] }, now);
    return this.change(id, message, { joined: [userId] });
  }

  createGroup(ownerId: string, title: string, memberIds: readonly string[], now: number): Outcome | 'user_not_found' {
    const others = [...new Set(memberIds)].filter((id) => id !== ownerId);
    if (others.length + 1 > MAX_GROUP_MEMBERS) return 'limit_reached';
    return this.db.transaction((): Outcome | 'user_not_found' => {
      if (others.some((id) => !this.q.userExists.get(id))) return 'user_not_found';
      const states = new Map(others.map((id) => [id, this.stateFor(id, ownerId, null)]));
      const refusal = this.capRefusal(ownerId, 'accepted') ?? this.firstRefusal(others, (id) => this.blockRefusal(ownerId, id) ?? this.capRefusal(id, states.get(id)!));
      if (refusal) return refusal;
      const id = newId('c');
      this.q.insert.run(id, 'group', title, null, now);
      this.q.addMember.run(id, ownerId, 'owner', now, 'accepted', null);
      for (const other of others) this.q.addMember.run(id, other, 'member', now, states.get(other)!, states.get(other) === 'pending' ? ownerId : null);
      const message = this.messages.appendEntry(id, ownerId, null, { event: 'created', title }, now);
      return this.change(id, message, { joined: [ownerId, ...others] });
    })();
  }

  rename(actorId: string, conversationId: string, title: string, now: number): Outcome {
    return this.db.transaction((): Outcome => {
      const refusal = this.checkActiveGroupMember(actorId, conversationId);
      if (refusal) return refusal;
      if (this.q.get.get(conversationId)?.title === title) return this.unchanged(conversationId);
      this.q.rename.run(title, conversationId);
      const message = this.messages.appendEntry(conversationId, actorId, null, { event: 'renamed', title }, now);
      return this.change(conversationId, message, { title });
    })();
  }

  addMembers(actorId: string, conversationId: string, userIds: readonly string[], now: number): Outcome | 'user_not_found' {
    return this.db.transaction((): Outcome | 'user_not_found' => {
      const refusal = this.checkActiveGroupMember(actorId, conversationId);
      if (refusal) return refusal;
      const current = new Set(this.messages.memberIds(conversationId));
      const fresh = [...new Set(userIds)].filter((id) => !current.has(id));
      if (fresh.some((id) => !this.q.userExists.get(id))) return 'user_not_found';
      if (current.size + fresh.length > MAX_GROUP_MEMBERS) return 'limit_reached';
      const isOwner = this.q.member.get(conversationId, actorId)?.role === 'owner';
      const formerly = new Map(fresh.map((id) => [id, this.relations.formerReason(conversationId, id)]));
      const states = new Map(fresh.map((id) => [id, this.stateFor(id, actorId, formerly.get(id)!)]));
      const refused = this.firstRefusal(fresh, (id) =>
        formerly.get(id) === 'removed' && !isOwner ? 'removed_by_owner' : (this.blockRefusal(actorId, id) ?? this.capRefusal(id, states.get(id)!)),
      );
      if (refused) return refused;
      if (fresh.length === 0) return this.unchanged(conversationId);
      for (const id of fresh) {
        const state = states.get(id)!;
        this.q.addMember.run(conversationId, id, 'member', now, state, state === 'pending' ? actorId : null);
        this.relations.clearFormer(conversationId, id);
      }
      const message = this.messages.appendEntry(conversationId, actorId, null, { event: 'members.added', userIds: fresh }, now);
      return this.change(conversationId, message, { joined: fresh });
    })();
  }

  removeMember(actorId: string, conversationId: string, userId: string, now: number): Outcome {
    if (actorId === userId) return this.leave(actorId, conversationId, now);
    return this.db.transaction((): Outcome => {
      const refusal = this.checkActiveGroupMember(actorId, conversationId);
      if (refusal) return refusal;
      if (this.q.member.get(conversationId, actorId)?.role !== 'owner') return 'not_allowed';
      if (!this.q.member.get(conversationId, userId)) return 'invalid_request';
      // The entry is appended while the removed member is still in, so it is their last one.
      const message = this.messages.appendEntry(conversationId, actorId, null, { event: 'member.removed', userId }, now);
      this.q.removeMember.run(conversationId, userId);
      this.relations.setFormer(conversationId, userId, 'removed', actorId, now);
      return this.change(conversationId, message, { removed: [userId] });
    })();
  }

  leave(userId: string, conversationId: string, now: number): Outcome {
    return this.db.transaction((): Outcome => {
      const refusal = this.checkGroupMember(userId, conversationId);
      if (refusal) return refusal;
      if (this.q.member.get(conversationId, userId)?.state === 'pending') return this.declineIn(userId, conversationId, now);
      const message = this.messages.appendEntry(conversationId, userId, null, { event: 'member.left' }, now);
      this.q.removeMember.run(conversationId, userId);
      this.relations.setFormer(conversationId, userId, 'left', userId, now);
      return this.change(conversationId, message, { removed: [userId], changed: this.keepAnOwner(conversationId) });
    })();
  }

  accept(userId: string, conversationId: string): Outcome {
    return this.db.transaction((): Outcome => {
      const member = this.q.member.get(conversationId, userId);
      if (!member) return 'not_found';
      if (member.state === 'accepted') return this.unchanged(conversationId);
      const capped = this.capRefusal(userId, 'accepted');
      if (capped) return capped;
      this.q.setState.run('accepted', conversationId, userId);
      return this.change(conversationId, null, { changed: [userId] });
    })();
  }

  decline(userId: string, conversationId: string, now: number): Outcome {
    return this.db.transaction((): Outcome => {
      const member = this.q.member.get(conversationId, userId);
      if (!member) return 'not_found';
      if (member.state !== 'pending') return 'invalid_request';
      return this.declineIn(userId, conversationId, now);
    })();
  }

  /** Inside a transaction: the pending member is out, with an entry that says so. */
  private declineIn(userId: string, conversationId: string, now: number): MembershipChange {
    const message = this.messages.appendEntry(conversationId, userId, null, { event: 'request.declined' }, now);
    this.q.removeMember.run(conversationId, userId);
    this.relations.setFormer(conversationId, userId, 'declined', userId, now);
    return this.change(conversationId, message, { removed: [userId], changed: this.keepAnOwner(conversationId) });
  }

  /** Declines, inside one transaction, every request `from` sent `userId`. */
  declineRequestsFrom(userId: string, from: string, now: number): MembershipChange[] {
    return this.q.requestsFrom.all(userId, from).map((r) => this.declineIn(userId, r.conversation_id, now));
  }

  snapshot(conversationId: string): ConversationSnapshot | null {
    const row = this.q.get.get(conversationId);
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      createdAt: row.created_at,
      lastSeq: row.last_seq,
      lastMessage: this.messages.lastMessage(row.id, row.last_seq),
      members: this.q.members.all(conversationId).map(toMember),
      blocks: this.relations.blocksAmong(conversationId),
    };
  }

  getConversation(viewerId: string, conversationId: string): Conversation | null {
    if (!this.q.member.get(conversationId, viewerId)) return null;
    const snapshot = this.snapshot(conversationId);
    return snapshot && viewOf(snapshot, viewerId);
  }

  listConversations(viewerId: string): Conversation[] {
    return this.listMemberships(viewerId)
      .map(([id]) => this.getConversation(viewerId, id))
      .filter((c): c is Conversation => c !== null)
      .sort((a, b) => (b.lastMessage?.ts ?? b.createdAt) - (a.lastMessage?.ts ?? a.createdAt));
  }

  listMemberships(userId: string): Array<[string, number]> {
    return this.q.memberships.all(userId).map((r) => [r.conversation_id, r.last_seq]);
  }

  memberStates(conversationId: string): Array<{ userId: string; state: MemberState }> {
    return this.q.states.all(conversationId).map((r) => ({ userId: r.user_id, state: r.state }));
  }

  contactsOf(userId: string): string[] {
    return this.q.contacts.all(userId, userId).map((r) => r.user_id);
  }

  /** Whether the user may take one more conversation in `state` (requests have their own cap). */
  private capRefusal(userId: string, state: MemberState): Refusal | null {
    const pending = this.q.countPending.get(userId)!.n;
    if (state === 'pending') return pending >= MAX_PENDING_REQUESTS ? 'requests_full' : null;
    return this.q.countMemberships.get(userId)!.n - pending >= MAX_CONVERSATIONS ? 'limit_reached' : null;
  }

  /** How `userId` joins when `actorId` puts them in: by consent, and never silently back after leaving. */
  private stateFor(userId: string, actorId: string, formerly: string | null): MemberState {
    if (formerly === 'left' || formerly === 'declined') return 'pending';
    return this.relations.hasAccepted(userId, actorId) ? 'accepted' : 'pending';
  }

  private blockRefusal(actorId: string, otherId: string): Refusal | null {
    if (this.relations.isBlocked(actorId, otherId)) return 'blocked';
    if (this.relations.isBlocked(otherId, actorId)) return 'actor_blocked';
    return null;
  }

  private firstRefusal(ids: readonly string[], check: (id: string) => Refusal | null): Refusal | null {
    for (const id of ids) {
      const refusal = check(id);
      if (refusal) return refusal;
    }
    return null;
  }

  /** A group keeps an owner while it has members: the heir, if one was needed. */
  private keepAnOwner(conversationId: string): string[] {
    if (this.q.get.get(conversationId)?.kind !== 'group' || this.q.owners.get(conversationId)!.n > 0) return [];
    const heir = this.q.heir.get(conversationId);
    if (!heir) return [];
    this.q.promote.run(conversationId, heir.user_id);
    return [heir.user_id];
  }

  /** Non-members learn nothing: a missing conversation and a foreign one look the same. */
  private checkGroupMember(userId: string, conversationId: string): Refusal | null {
    const row = this.q.get.get(conversationId);
    if (!row || !this.q.member.get(conversationId, userId)) return 'not_found';
    if (row.kind !== 'group') return 'not_allowed';
    return null;
  }

  /** As checkGroupMember, and the member has accepted (an invitation does not let you manage the group). */
  private checkActiveGroupMember(userId: string, conversationId: string): Refusal | null {
    return this.checkGroupMember(userId, conversationId) ?? (this.q.member.get(conversationId, userId)?.state === 'pending' ? 'accept_first' : null);
  }

  private unchanged(conversationId: string): MembershipChange {
    return { conversationId, message: null, memberIds: this.messages.memberIds(conversationId), joinedIds: [], removedIds: [], changedIds: [], existing: true };
  }

  private change(
    conversationId: string,
    message: Message | null,
    o: { joined?: string[]; removed?: string[]; changed?: string[]; title?: string },
  ): MembershipChange {
    return {
      conversationId,
      message,
      memberIds: this.messages.memberIds(conversationId),
      joinedIds: o.joined ?? [],
      removedIds: o.removed ?? [],
      changedIds: o.changed ?? [],
      ...(o.title === undefined ? {} : { title: o.title }),
      existing: false,
    };
  }
}

/** "<smaller id>:<larger id>": one direct chat per pair, whoever opens it. */
function directKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

function toMember(r: MemberRow): Member {
  return {
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    state: r.state,
    invitedBy: r.invited_by,
    deliveredSeq: r.delivered_seq,
    readSeq: r.read_seq,
  };
}
