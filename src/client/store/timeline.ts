import type { LocalMessage } from '../../shared/ipc';
import type { Db } from './database';
import { OLDEST_SEQ, OUTBOX_OF, PAGE_BEFORE, PAGE_FROM } from './hot-queries';
import { MESSAGE_COLUMNS, outboxToLocal, toLocalMessage, type MessageRow, type OutboxRow } from './rows';

/** Reads of one conversation's timeline: stored messages, then its outbox entries. */
export class Timeline {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      before: db.prepare<[string, number, number], MessageRow>(PAGE_BEFORE),
      from: db.prepare<[string, number, number], MessageRow>(PAGE_FROM),
      oldest: db.prepare<[string], { seq: number | null }>(OLDEST_SEQ),
      at: db.prepare<[string, number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq = ?`),
      outbox: db.prepare<[string], OutboxRow>(OUTBOX_OF),
    };
  }

  page(conversationId: string, o: { beforeSeq?: number; limit: number }): LocalMessage[] {
    const limit = Math.max(0, Math.trunc(o.limit)); // a negative LIMIT means none to SQLite
    const rows = this.q.before.all(conversationId, o.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit);
    const page = rows.reverse().map(toLocalMessage);
    if (o.beforeSeq === undefined) for (const row of this.q.outbox.all(conversationId)) page.push(outboxToLocal(row));
    return page;
  }

  /**
   * Up to `limit` stored entries with `seq` in the middle (half before it, the rest from it
   * on); near either end the other side fills the window.
   */
  around(conversationId: string, seq: number, limit: number): LocalMessage[] {
    const want = Math.max(0, Math.trunc(limit));
    const half = Math.floor(want / 2);
    let newer = this.q.from.all(conversationId, seq, want - half);
    const older = this.q.before.all(conversationId, seq, want - newer.length);
    // Near the start there are fewer older entries than half: take more newer ones.
    if (newer.length === want - half && older.length < half) newer = this.q.from.all(conversationId, seq, want - older.length);
    return [...older.reverse(), ...newer].map(toLocalMessage);
  }

  oldestSeq(conversationId: string): number | null {
    return this.q.oldest.get(conversationId)?.seq ?? null;
  }

  at(conversationId: string, seq: number): LocalMessage | null {
    const row = this.q.at.get(conversationId, seq);
    return row ? toLocalMessage(row) : null;
  }
}
