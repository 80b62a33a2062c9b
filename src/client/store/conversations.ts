import type { LocalConversation, LocalMessage } from '../../shared/ipc';
import type { Conversation, ConversationChange, Member, Receipt } from '../../shared/protocol';
import type { ApplyAccumulator } from './apply-result';
import type { Db } from './database';
import { ALL_MEMBERS, GET_CONVERSATION, LIST_CONVERSATIONS, MEMBERS_OF, TOUCH_ACTIVITY, UNREAD_TOTAL, WATERMARKS } from './hot-queries';
import { outboxToLocal, toLocalMessage, toMember, type MemberRow } from './rows';

/** A conversation row joined with its newest stored message (m_*) and outbox entry (o_*). */
interface ConversationRow {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  created_at: number;
  last_seq: number;
  my_read_seq: number;
  muted: number;
  last_activity_at: number;
  m_seq: number | null;
  m_client_id: string | null;
  m_sender_id: string | null;
  m_kind: 'text' | 'system' | null;
  m_body: string | null;
  m_system: string | null;
  m_ts: number | null;
  o_client_id: string | null;
  o_sender_id: string | null;
  o_body: string | null;
  o_created_at: number | null;
  o_state: 'pending' | 'failed' | null;
  o_error_code: string | null;
  o_error_message: string | null;
}

/** Conversation rows, their members, and the watermarks derived from them. */
export class Conversations {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      list: db.prepare<[], ConversationRow>(LIST_CONVERSATIONS),
      get: db.prepare<[string], ConversationRow>(GET_CONVERSATION),
      allMembers: db.prepare<[], MemberRow>(ALL_MEMBERS),
      membersOf: db.prepare<[string], MemberRow>(MEMBERS_OF),
      watermarks: db.prepare<[], { id: string; synced_seq: number }>(WATERMARKS),
      unreadTotal: db.prepare<[], { n: number }>(UNREAD_TOTAL),
      // The snapshot wins for what the server owns; seqs never move backwards; muted is ours.
      // The WHERE makes `changes` say whether anything the UI shows is different.
      upsert: db.prepare(
        `INSERT INTO conversations (id, kind, title, created_at, last_seq, my_read_seq, last_activity_at)
         VALUES (@id, @kind, @title, @createdAt, @lastSeq, @myReadSeq, @createdAt)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, created_at = excluded.created_at,
           last_seq = MAX(last_seq, excluded.last_seq), my_read_seq = MAX(my_read_seq, excluded.my_read_seq)
         WHERE kind IS NOT excluded.kind OR title IS NOT excluded.title OR created_at IS NOT excluded.created_at
           OR last_seq < excluded.last_seq OR my_read_seq < excluded.my_read_seq`,
      ),
      upsertMember: db.prepare(
        `INSERT INTO members (conversation_id, user_id, username, display_name, role, state, invited_by, delivered_seq, read_seq, position)
         VALUES (@conversationId, @userId, @username, @displayName, @role, @state, @invitedBy, @deliveredSeq, @readSeq, @position)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET username = excluded.username,
           display_name = excluded.display_name, role = excluded.role, state = excluded.state, invited_by = excluded.invited_by,
           position = excluded.position,
           delivered_seq = MAX(delivered_seq, excluded.delivered_seq), read_seq = MAX(read_seq, excluded.read_seq)
         WHERE username IS NOT excluded.username OR display_name IS NOT excluded.display_name OR role IS NOT excluded.role
           OR state IS NOT excluded.state OR invited_by IS NOT excluded.invited_by
           OR position IS NOT excluded.position OR delivered_seq < excluded.delivered_seq OR read_seq < excluded.read_seq`,
      ),
      // A patch (conversation.changed) names who a member is, not their receipts: keep those, and
      // a newcomer goes to the end of the list.
      patchMember: db.prepare(
        `INSERT INTO members (conversation_id, user_id, username, display_name, role, state, invited_by, position)
         VALUES (@conversationId, @userId, @username, @displayName, @role, @state, @invitedBy,
           (SELECT COALESCE(MAX(position), -1) + 1 FROM members WHERE conversation_id = @conversationId))
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET username = excluded.username,
           display_name = excluded.display_name, role = excluded.role, state = excluded.state, invited_by = excluded.invited_by
         WHERE username IS NOT excluded.username OR display_name IS NOT excluded.display_name OR role IS NOT excluded.role
           OR state IS NOT excluded.state OR invited_by IS NOT excluded.invited_by`,
      ),
      removeMember: db.prepare<[string, string]>('DELETE FROM members WHERE conversation_id = ? AND user_id = ?'),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM conversations WHERE id = ?'),
      patch: db.prepare<{ id: string; title: string | null; hasTitle: number; lastSeq: number }>(
        `UPDATE conversations SET title = CASE WHEN @hasTitle THEN @title ELSE title END, last_seq = MAX(last_seq, @lastSeq)
         WHERE id = @id AND ((@hasTitle AND title IS NOT @title) OR last_seq < @lastSeq)`,
      ),
      removeDeparted: db.prepare<[string, string]>(
        'DELETE FROM members WHERE conversation_id = ? AND user_id NOT IN (SELECT value FROM json_each(?))',
      ),
      // Members, messages (and so their search rows, by trigger) and outbox go by cascade.
      remove: db.prepare<[string]>('DELETE FROM conversations WHERE id = ?'),
      setMuted: db.prepare<[number, string]>('UPDATE conversations SET muted = ? WHERE id = ?'),
      receipt: db.prepare(
        `UPDATE members SET delivered_seq = MAX(delivered_seq, @deliveredSeq), read_seq = MAX(read_seq, @readSeq)
         WHERE conversation_id = @conversationId AND user_id = @userId AND (delivered_seq < @deliveredSeq OR read_seq < @readSeq)`,
      ),
      // Never past lastSeq: reading cannot cover messages that do not exist yet.
      markRead: db.prepare<[{ id: string; seq: number }]>(
        'UPDATE conversations SET my_read_seq = MIN(@seq, last_seq) WHERE id = @id AND my_read_seq < MIN(@seq, last_seq)',
      ),
      touch: db.prepare<[{ id: string }]>(TOUCH_ACTIVITY),
    };
  }

  list(): LocalConversation[] {
    const members = new Map<string, Member[]>();
    for (const row of this.q.allMembers.iterate()) {
      let list = members.get(row.conversation_id);
      if (!list) members.set(row.conversation_id, (list = []));
      list.push(toMember(row));
    }
    return this.q.list.all().map((row) => toLocalConversation(row, members.get(row.id) ?? []));
  }

  get(id: string): LocalConversation | null {
    const row = this.q.get.get(id);
    return row ? toLocalConversation(row, this.q.membersOf.all(id).map(toMember)) : null;
  }

  watermarks(): Array<[string, number]> {
    return this.q.watermarks.all().map((r) => [r.id, r.synced_seq]);
  }

  unreadTotal(): number {
    return this.q.unreadTotal.get()!.n;
  }

  /** Applies a patch of a conversation we have (one we do not have arrives whole). Call inside a transaction. */
  patch(change: ConversationChange, acc: ApplyAccumulator): void {
    if (!this.q.exists.get(change.conversationId)) return;
    const title = change.title ?? null;
    let changes = this.q.patch.run({ id: change.conversationId, title, hasTitle: change.title === undefined ? 0 : 1, lastSeq: change.lastSeq }).changes;
    for (const m of change.members) changes += this.q.patchMember.run({ conversationId: change.conversationId, ...m }).changes;
    for (const userId of change.removed) changes += this.q.removeMember.run(change.conversationId, userId).changes;
    if (changes > 0) acc.changed.add(change.conversationId);
  }

  /** Stores server snapshots. Call inside a transaction. */
  upsert(conversations: readonly Conversation[], me: string, acc: ApplyAccumulator): void {
    for (const c of conversations) {
      const myReadSeq = c.members.find((m) => m.userId === me)?.readSeq ?? 0;
      let changes = this.q.upsert.run({ id: c.id, kind: c.kind, title: c.title, createdAt: c.createdAt, lastSeq: c.lastSeq, myReadSeq }).changes;
      c.members.forEach((m, position) => {
        changes += this.q.upsertMember.run({ conversationId: c.id, ...m, position }).changes;
      });
      changes += this.q.removeDeparted.run(c.id, JSON.stringify(c.members.map((m) => m.userId))).changes;
      if (changes === 0) continue;
      this.touch(c.id); // created_at may have changed
      acc.changed.add(c.id);
    }
  }

  remove(id: string): boolean {
    return this.q.remove.run(id).changes > 0;
  }

  setMuted(id: string, muted: boolean): void {
    this.q.setMuted.run(muted ? 1 : 0, id);
  }

  /** Moves a member's watermarks forward; my own read watermark too when the receipt is mine. */
  applyReceipt(receipt: Receipt, me: string | null): boolean {
    let changed = this.q.receipt.run(receipt).changes > 0;
    if (receipt.userId === me && this.markRead(receipt.conversationId, receipt.readSeq)) changed = true;
    return changed;
  }

  markRead(id: string, seq: number): boolean {
    return this.q.markRead.run({ id, seq }).changes > 0;
  }

  /** Recomputes the sidebar's sort key after the newest entry may have changed. */
  touch(id: string): void {
    this.q.touch.run({ id });
  }
}

function toLocalConversation(row: ConversationRow, members: Member[]): LocalConversation {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    lastMessage: lastMessage(row),
    lastActivityAt: row.last_activity_at,
    unread: Math.max(0, row.last_seq - row.my_read_seq),
    readSeq: row.my_read_seq,
    muted: row.muted !== 0,
    members,
  };
}

/** The newest entry: an outbox entry comes after every stored message, as in the timeline. */
function lastMessage(row: ConversationRow): LocalMessage | null {
  if (row.o_client_id !== null) {
    return outboxToLocal({
      client_id: row.o_client_id,
      conversation_id: row.id,
      sender_id: row.o_sender_id!,
      body: row.o_body!,
      created_at: row.o_created_at!,
      state: row.o_state!,
      error_code: row.o_error_code,
      error_message: row.o_error_message,
    });
  }
  if (row.m_seq === null) return null;
  return toLocalMessage({
    conversation_id: row.id,
    seq: row.m_seq,
    client_id: row.m_client_id,
    sender_id: row.m_sender_id!,
    kind: row.m_kind!,
    body: row.m_body,
    system: row.m_system,
    ts: row.m_ts!,
  });
}
