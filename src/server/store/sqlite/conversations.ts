import { MAX_GROUP_MEMBERS, MAX_WATERMARKS, type Conversation, type Member } from '../../../shared/protocol';
import { newId } from '../../ids';
import type { MembershipChange, Refusal } from '../store';
import type { Db } from './database';
import type { SqliteMessages } from './messages';

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
  delivered_seq: number;
  read_seq: number;
}

/** Conversations and their membership. Every change appends a system entry to the timeline. */
export class SqliteConversations {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly messages: SqliteMessages,
  ) {
    this.q = {
      byDirectKey: db.prepare<[string], { id: string }>('SELECT id FROM conversations WHERE direct_key = ?'),
      insert: db.prepare('INSERT INTO conversations (id, kind, title, direct_key, created_at) VALUES (?, ?, ?, ?, ?)'),
      addMember: db.prepare(
        'INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      removeMember: db.prepare('DELETE FROM members WHERE conversation_id = ? AND user_id = ?'),
      get: db.prepare<[string], ConversationRow>('SELECT id, kind, title, created_at, last_seq FROM conversations WHERE id = ?'),
      rename: db.prepare('UPDATE conversations SET title = ? WHERE id = ?'),
      role: db.prepare<[string, string], { role: 'owner' | 'member' }>(
        'SELECT role FROM members WHERE conversation_id = ? AND user_id = ?',
      ),
      members: db.prepare<[string], MemberRow>(
        `SELECT m.user_id, u.username, u.display_name, m.role, m.delivered_seq, m.read_seq
         FROM members m JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?
         ORDER BY m.role = 'owner' DESC, m.joined_at, u.username`,
      ),
      oldestMember: db.prepare<[string], { user_id: string }>(
        `SELECT m.user_id FROM members m JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?
         ORDER BY m.joined_at, u.username LIMIT 1`,
      ),
      promote: db.prepare("UPDATE members SET role = 'owner' WHERE conversation_id = ? AND user_id = ?"),
      owners: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM members WHERE conversation_id = ? AND role = 'owner'"),
      memberCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE conversation_id = ?'),
      memberships: db.prepare<[string], { conversation_id: string; last_seq: number }>(
        'SELECT m.conversation_id, c.last_seq FROM members m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ?',
      ),
      countMemberships: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE user_id = ?'),
      userExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM users WHERE id = ? AND disabled = 0'),
      contacts: db.prepare<[string, string], { user_id: string }>(
        `SELECT DISTINCT o.user_id FROM members m JOIN members o ON o.conversation_id = m.conversation_id
         WHERE m.user_id = ? AND o.user_id <> ?`,
      ),
    };
  }

  openDirect(userId: string, otherId: string, now: number): MembershipChange | 'user_not_found' | Refusal {
    if (userId === otherId) return 'invalid_request';
    const key = userId < otherId ? `${userId}:${otherId}` : `${otherId}:${userId}`;
    return this.db.transaction((): MembershipChange | 'user_not_found' | Refusal => {
      const found = this.q.byDirectKey.get(key);
      if (found) return { conversationId: found.id, message: null, memberIds: this.messages.memberIds(found.id), removedIds: [], existing: true };
      if (!this.q.userExists.get(otherId)) return 'user_not_found';
      if (this.atMembershipLimit(userId) || this.atMembershipLimit(otherId)) return 'limit_reached';
      const id = newId('c');
      this.q.insert.run(id, 'direct', null, key, now);
      this.q.addMember.run(id, userId, 'member', now);
      this.q.addMember.run(id, otherId, 'member', now);
      const message = this.messages.appendEntry(id, userId, null, { event: 'created', title: null }, now);
      return { conversationId: id, message, memberIds: [userId, otherId], removedIds: [], existing: false };
    })();
  }

  createGroup(ownerId: string, title: string, memberIds: readonly string[], now: number): MembershipChange | 'user_not_found' | Refusal {
    const others = [...new Set(memberIds)].filter((id) => id !== ownerId);
    if (others.length + 1 > MAX_GROUP_MEMBERS) return 'limit_reached';
    return this.db.transaction((): MembershipChange | 'user_not_found' | Refusal => {
      if (others.some((id) => !this.q.userExists.get(id))) return 'user_not_found';
      if ([ownerId, ...others].some((id) => this.atMembershipLimit(id))) return 'limit_reached';
      const id = newId('c');
      this.q.insert.run(id, 'group', title, null, now);
      this.q.addMember.run(id, ownerId, 'owner', now);
      for (const other of others) this.q.addMember.run(id, other, 'member', now);
      const message = this.messages.appendEntry(id, ownerId, null, { event: 'created', title }, now);
      return { conversationId: id, message, memberIds: [ownerId, ...others], removedIds: [], existing: false };
    })();
  }

  rename(actorId: string, conversationId: string, title: string, now: number): MembershipChange | Refusal {
    return this.db.transaction((): MembershipChange | Refusal => {
      const refusal = this.checkGroupMember(actorId, conversationId);
      if (refusal) return refusal;
      if (this.q.get.get(conversationId)?.title === title) return this.change(conversationId, null, []);
      this.q.rename.run(title, conversationId);
      const message = this.messages.appendEntry(conversationId, actorId, null, { event: 'renamed', title }, now);
      return this.change(conversationId, message, []);
    })();
  }

  addMembers(actorId: string, conversationId: string, userIds: readonly string[], now: number): MembershipChange | Refusal | 'user_not_found' {
    return this.db.transaction((): MembershipChange | Refusal | 'user_not_found' => {
      const refusal = this.checkGroupMember(actorId, conversationId);
      if (refusal) return refusal;
      const current = new Set(this.messages.memberIds(conversationId));
      const fresh = [...new Set(userIds)].filter((id) => !current.has(id));
      if (fresh.some((id) => !this.q.userExists.get(id))) return 'user_not_found';
      if (current.size + fresh.length > MAX_GROUP_MEMBERS || fresh.some((id) => this.atMembershipLimit(id))) return 'limit_reached';
      if (fresh.length === 0) return this.change(conversationId, null, []);
      for (const id of fresh) this.q.addMember.run(conversationId, id, 'member', now);
      const message = this.messages.appendEntry(conversationId, actorId, null, { event: 'members.added', userIds: fresh }, now);
      return this.change(conversationId, message, []);
    })();
  }

  removeMember(actorId: string, conversationId: string, userId: string, now: number): MembershipChange | Refusal {
    if (actorId === userId) return this.leave(actorId, conversationId, now);
    return this.db.transaction((): MembershipChange | Refusal => {
      const refusal = this.checkGroupMember(actorId, conversationId);
      if (refusal) return refusal;
      if (this.q.role.get(conversationId, actorId)?.role !== 'owner') return 'not_allowed';
      if (!this.q.role.get(conversationId, userId)) return 'invalid_request';
      // The entry is appended while the removed member is still in, so it is their last one.
      const message = this.messages.appendEntry(conversationId, actorId, null, { event: 'member.removed', userId }, now);
      this.q.removeMember.run(conversationId, userId);
      return this.change(conversationId, message, [userId]);
    })();
  }

  leave(userId: string, conversationId: string, now: number): MembershipChange | Refusal {
    return this.db.transaction((): MembershipChange | Refusal => {
      const refusal = this.checkGroupMember(userId, conversationId);
      if (refusal) return refusal;
      const message = this.messages.appendEntry(conversationId, userId, null, { event: 'member.left' }, now);
      this.q.removeMember.run(conversationId, userId);
      // A group keeps an owner while it has members: the longest-standing member inherits.
      if (this.q.owners.get(conversationId)!.n === 0) {
        const heir = this.q.oldestMember.get(conversationId);
        if (heir) this.q.promote.run(conversationId, heir.user_id);
      }
      return this.change(conversationId, message, [userId]);
    })();
  }

  getConversation(viewerId: string, conversationId: string): Conversation | null {
    const row = this.q.get.get(conversationId);
    if (!row) return null;
    const members = this.q.members.all(conversationId).map(toMember);
    const me = members.find((m) => m.userId === viewerId);
    if (!me) return null;
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      createdAt: row.created_at,
      lastSeq: row.last_seq,
      lastMessage: this.messages.lastMessage(row.id, row.last_seq),
      unread: Math.max(0, row.last_seq - me.readSeq),
      members,
    };
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

  countMemberships(userId: string): number {
    return this.q.countMemberships.get(userId)!.n;
  }

  contactsOf(userId: string): string[] {
    return this.q.contacts.all(userId, userId).map((r) => r.user_id);
  }

  private atMembershipLimit(userId: string): boolean {
    return this.countMemberships(userId) >= MAX_WATERMARKS;
  }

  /** Non-members learn nothing: a missing conversation and a foreign one look the same. */
  private checkGroupMember(userId: string, conversationId: string): Refusal | null {
    const row = this.q.get.get(conversationId);
    if (!row || !this.q.role.get(conversationId, userId)) return 'not_found';
    if (row.kind !== 'group') return 'not_allowed';
    return null;
  }

  private change(conversationId: string, message: MembershipChange['message'], removedIds: string[]): MembershipChange {
    return { conversationId, message, memberIds: this.messages.memberIds(conversationId), removedIds, existing: message === null };
  }
}

function toMember(r: MemberRow): Member {
  return {
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    deliveredSeq: r.delivered_seq,
    readSeq: r.read_seq,
  };
}
