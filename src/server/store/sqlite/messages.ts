import { MAX_CONVERSATIONS, type Message, type SystemEvent } from '../../../shared/protocol';
import type { AppendRequest, AppendResult, ReceiptChange, ReceiptRequest } from '../store';
import type { Db } from './database';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows';

/** Timeline entries and receipt watermarks. */
export class SqliteMessages {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      byClientId: db.prepare<[string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE client_id = ?`),
      isMember: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM members WHERE conversation_id = ? AND user_id = ?',
      ),
      memberState: db.prepare<[string, string], { state: 'accepted' | 'pending' }>(
        'SELECT state FROM members WHERE conversation_id = ? AND user_id = ?',
      ),
      accept: db.prepare("UPDATE members SET state = 'accepted' WHERE conversation_id = ? AND user_id = ?"),
      acceptedCount: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM members WHERE user_id = ? AND state = 'accepted'"),
      nextSeq: db.prepare<[string], { last_seq: number }>(
        'UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
      ),
      insert: db.prepare(
        'INSERT INTO messages (conversation_id, seq, sender_id, client_id, kind, body, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      // Sending implies having read (and received) everything before it.
      senderSeen: db.prepare(
        'UPDATE members SET read_seq = ?, delivered_seq = MAX(delivered_seq, ?) WHERE conversation_id = ? AND user_id = ?',
      ),
      memberIds: db.prepare<[string], { user_id: string }>('SELECT user_id FROM members WHERE conversation_id = ?'),
      memberStates: db.prepare<[string], { user_id: string; state: 'accepted' | 'pending' }>('SELECT user_id, state FROM members WHERE conversation_id = ?'),
      before: db.prepare<[string, number, number], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
      after: db.prepare<[string, number, number], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      watermarks: db.prepare<[string, string], { delivered_seq: number; read_seq: number; last_seq: number; state: 'accepted' | 'pending' }>(
        `SELECT m.delivered_seq, m.read_seq, c.last_seq, m.state FROM members m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.conversation_id = ? AND m.user_id = ?`,
      ),
      setWatermarks: db.prepare('UPDATE members SET delivered_seq = ?, read_seq = ? WHERE conversation_id = ? AND user_id = ?'),
    };
  }

  /** Assigns the next seq and stores one entry, and the sender has seen it. Call inside a transaction. */
  appendEntry(conversationId: string, senderId: string, clientId: string | null, body: string | SystemEvent, ts: number): Message {
    const message = this.insertEntry(conversationId, senderId, clientId, body, ts);
    this.q.senderSeen.run(message.seq, message.seq, conversationId, senderId);
    return message;
  }

  /** The entry alone (the caller moves the sender's read mark). */
  private insertEntry(conversationId: string, senderId: string, clientId: string | null, body: string | SystemEvent, ts: number): Message {
    const { last_seq: seq } = this.q.nextSeq.get(conversationId)!;
    const isSystem = typeof body !== 'string';
    const stored = isSystem ? JSON.stringify(body) : body;
    this.q.insert.run(conversationId, seq, senderId, clientId, isSystem ? 'system' : 'text', stored, ts);
    return isSystem
      ? { kind: 'system', conversationId, seq, senderId, clientId: null, system: body, ts }
      : { kind: 'text', conversationId, seq, senderId, clientId: clientId ?? '', body, ts };
  }

  /**
   * The message path, one transaction for the whole batch. Per conversation it reads the
   * members (with their states) once; per message it looks up the client id, takes the
   * next seq and inserts; the senders' read marks ("sending implies reading") are written
   * once per sender and conversation at the end, with the highest seq each sent.
   */
  appendMessages(batch: readonly AppendRequest[]): AppendResult[] {
    return this.db.transaction(() => {
      const membersOf = new Map<string, { ids: string[]; states: Map<string, 'accepted' | 'pending'> }>();
      const seen = new Map<string, { conversationId: string; senderId: string; seq: number }>();
      const results = batch.map((req): AppendResult => {
        const existing = this.q.byClientId.get(req.clientId);
        if (existing) {
          // A retry carries the same message; anything else under this id is a client bug.
          const same = existing.sender_id === req.senderId && existing.conversation_id === req.conversationId && existing.body === req.body;
          if (!same) return { ok: false, code: 'conflict' };
          return { ok: true, message: toMessage(existing), duplicate: true, memberIds: [], accepted: false };
        }
        let members = membersOf.get(req.conversationId);
        if (!members) {
          const rows = this.q.memberStates.all(req.conversationId);
          members = { ids: rows.map((r) => r.user_id), states: new Map(rows.map((r) => [r.user_id, r.state])) };
          membersOf.set(req.conversationId, members);
        }
        const state = members.states.get(req.senderId);
        if (state === undefined) return { ok: false, code: 'not_found' };
        // Answering a request accepts it, as replying does in other messengers.
        const accepted = state === 'pending';
        if (accepted) {
          if (this.q.acceptedCount.get(req.senderId)!.n >= MAX_CONVERSATIONS) return { ok: false, code: 'limit_reached' };
          this.q.accept.run(req.conversationId, req.senderId);
          members.states.set(req.senderId, 'accepted');
        }
        const message = this.insertEntry(req.conversationId, req.senderId, req.clientId, req.body, req.now);
        seen.set(`${req.conversationId}\u0000${req.senderId}`, { conversationId: req.conversationId, senderId: req.senderId, seq: message.seq });
        return { ok: true, message, duplicate: false, memberIds: members.ids, accepted };
      });
      for (const s of seen.values()) this.q.senderSeen.run(s.seq, s.seq, s.conversationId, s.senderId);
      return results;
    })();
  }

  memberIds(conversationId: string): string[] {
    return this.q.memberIds.all(conversationId).map((r) => r.user_id);
  }

  isMember(conversationId: string, userId: string): boolean {
    return this.q.isMember.get(conversationId, userId) !== undefined;
  }

  historyBefore(viewerId: string, conversationId: string, beforeSeq: number, limit: number): Message[] | null {
    if (!this.isMember(conversationId, viewerId)) return null;
    return this.q.before.all(conversationId, beforeSeq, limit).map(toMessage);
  }

  messagesAfter(conversationId: string, afterSeq: number, limit: number): Message[] {
    return this.q.after.all(conversationId, afterSeq, limit).map(toMessage);
  }

  lastMessage(conversationId: string, lastSeq: number): Message | null {
    if (lastSeq === 0) return null;
    const row = this.q.before.get(conversationId, lastSeq + 1, 1);
    return row ? toMessage(row) : null;
  }

  markReceipts(batch: readonly ReceiptRequest[]): Array<ReceiptChange | null> {
    return this.db.transaction(() =>
      batch.map((req): ReceiptChange | null => {
        const row = this.q.watermarks.get(req.conversationId, req.userId);
        if (!row) return null;
        const seq = Math.min(req.seq, row.last_seq);
        const read = req.kind === 'read' ? Math.max(row.read_seq, seq) : row.read_seq;
        // Reading implies delivery; neither watermark moves backwards.
        const delivered = Math.max(row.delivered_seq, read, req.kind === 'delivered' ? seq : 0);
        const changed = delivered !== row.delivered_seq || read !== row.read_seq;
        if (changed) this.q.setWatermarks.run(delivered, read, req.conversationId, req.userId);
        const receipt = { conversationId: req.conversationId, userId: req.userId, deliveredSeq: delivered, readSeq: read };
        return { receipt, changed, shared: row.state === 'accepted' };
      }),
    )();
  }
}
